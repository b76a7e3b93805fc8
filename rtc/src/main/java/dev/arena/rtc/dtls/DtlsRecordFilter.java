package dev.arena.rtc.dtls;

import dev.arena.rtc.util.DropCounter;
import java.util.Objects;

/**
 * Cheap, stateless prefilter the I/O path runs on every datagram demultiplexed as DTLS (first byte 20..63,
 * RFC 7983 section 7) before copying it into a {@link DtlsSession}'s queue. It checks that the datagram is a
 * sequence of well-formed DTLS record headers whose lengths add up exactly to the datagram
 * (RFC 6347 section 4.1); everything cryptographic is left to BouncyCastle.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | content type  |    version (0xfefd / 0xfeff)  |     epoch     :
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :     epoch     |                                               |
 * +-+-+-+-+-+-+-+-+       sequence_number (48 bits)               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           length              |  fragment (length bytes) ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ... followed by further records in the same datagram
 * </pre>
 *
 * A {@code tls12_cid} record (type 25, RFC 9146) carries a connection id of negotiated length before its
 * length field, which a stateless filter cannot know; it is accepted as the last record of the datagram
 * (Arena never negotiates connection ids, so BouncyCastle discards it).
 */
public final class DtlsRecordFilter {
    /** Bytes of a DTLS 1.0/1.2 record header. */
    public static final int RECORD_HEADER_LENGTH = 13;
    /** Largest legal record fragment: 2^14 plus 2048 bytes of cipher expansion (RFC 6347 section 4.1). */
    public static final int MAX_FRAGMENT_LENGTH = (1 << 14) + 2048;

    static final int CONTENT_TYPE_MIN = 20; // change_cipher_spec
    static final int CONTENT_TYPE_TLS12_CID = 25;
    static final int VERSION_DTLS_1_2 = 0xfefd;
    static final int VERSION_DTLS_1_0 = 0xfeff;

    private static final int OFFSET_VERSION = 1;
    private static final int OFFSET_LENGTH = 11;

    private DtlsRecordFilter() {
    }

    /**
     * Checks one datagram.
     *
     * @return {@code null} when the datagram looks like DTLS records, else the reason to drop it
     * @throws IndexOutOfBoundsException if {@code off}/{@code len} lie outside {@code buf} (a caller bug,
     *         not bad input)
     */
    public static DtlsDrop check(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < RECORD_HEADER_LENGTH) {
            return DtlsDrop.TOO_SHORT;
        }
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (end - pos < RECORD_HEADER_LENGTH) {
                return DtlsDrop.BAD_LENGTH; // trailing bytes that cannot be a record
            }
            int type = buf[pos] & 0xff;
            if (type < CONTENT_TYPE_MIN || type > CONTENT_TYPE_TLS12_CID) {
                return DtlsDrop.BAD_CONTENT_TYPE;
            }
            int version = ((buf[pos + OFFSET_VERSION] & 0xff) << 8) | (buf[pos + OFFSET_VERSION + 1] & 0xff);
            if (version != VERSION_DTLS_1_2 && version != VERSION_DTLS_1_0) {
                return DtlsDrop.BAD_VERSION;
            }
            if (type == CONTENT_TYPE_TLS12_CID) {
                return null; // length field position depends on the negotiated CID length
            }
            int length = ((buf[pos + OFFSET_LENGTH] & 0xff) << 8) | (buf[pos + OFFSET_LENGTH + 1] & 0xff);
            if (length > MAX_FRAGMENT_LENGTH || length > end - pos - RECORD_HEADER_LENGTH) {
                return DtlsDrop.BAD_LENGTH;
            }
            pos += RECORD_HEADER_LENGTH + length;
        }
        return null;
    }

    /** {@link #check} that counts the drop reason; returns true when the datagram may be queued. */
    public static boolean accept(byte[] buf, int off, int len, DropCounter<DtlsDrop> drops) {
        DtlsDrop reason = check(buf, off, len);
        if (reason != null) {
            drops.count(reason);
            return false;
        }
        return true;
    }
}
