package dev.arena.rtc.rtcp;

/**
 * Sender report, PT 200 (RFC 3550 section 6.4.1). Report blocks follow the sender info; append them with
 * {@link ReportBlock#append}; they are read through {@link ReportPacket}.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         SSRC of sender                        |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * sender |              NTP timestamp, most significant word             |
 * info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |             NTP timestamp, least significant word             |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         RTP timestamp                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     sender's packet count                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      sender's octet count                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                 report blocks (RC x 24 bytes)                 |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 section 6.4.1</a>
 */
public final class SenderReport extends ReportPacket {
    /** Header, sender SSRC and sender info. */
    public static final int FIXED_LENGTH = 28;

    public SenderReport() {
        super(PT_SR, FIXED_LENGTH);
    }

    /** The 64-bit NTP timestamp (seconds in the high word, fraction in the low word). */
    public long ntpTimestamp() {
        return ((long) Be.i32(buf, off + 8) << 32) | Be.u32(buf, off + 12);
    }

    public long rtpTimestamp() {
        return Be.u32(buf, off + 16);
    }

    public long packetCount() {
        return Be.u32(buf, off + 20);
    }

    public long octetCount() {
        return Be.u32(buf, off + 24);
    }

    /**
     * Writes an SR without report blocks (28 bytes); append blocks with {@link ReportBlock#append}.
     *
     * @return 28, or -1 if it does not fit
     */
    public static int write(byte[] buf, int off, int senderSsrc, long ntpTimestamp, long rtpTimestamp,
                            long packetCount, long octetCount) {
        if (!Be.fits(buf, off, FIXED_LENGTH)) {
            return -1;
        }
        writeReportHeader(buf, off, PT_SR, FIXED_LENGTH, senderSsrc);
        Be.put32(buf, off + 8, (int) (ntpTimestamp >>> 32));
        Be.put32(buf, off + 12, (int) ntpTimestamp);
        Be.put32(buf, off + 16, (int) rtpTimestamp);
        Be.put32(buf, off + 20, (int) packetCount);
        Be.put32(buf, off + 24, (int) octetCount);
        return FIXED_LENGTH;
    }
}
