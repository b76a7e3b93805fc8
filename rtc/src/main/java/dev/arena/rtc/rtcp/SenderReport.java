package dev.arena.rtc.rtcp;

/**
 * Sender report, PT 200 (RFC 3550 section 6.4.1). Report blocks follow the sender info; append them with
 * {@link ReportBlock#append}. Profile-specific extensions after the blocks are tolerated.
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
public final class SenderReport extends RtcpPacket {
    /** Header, sender SSRC and sender info. */
    public static final int FIXED_LENGTH = 28;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_SR;
    }

    @Override
    protected RtcpDrop parse() {
        if (contentEnd - off < FIXED_LENGTH) {
            return RtcpDrop.TOO_SHORT;
        }
        if (FIXED_LENGTH + ReportBlock.LENGTH * count() > contentEnd - off) {
            return RtcpDrop.TRUNCATED;
        }
        return null;
    }

    public int senderSsrc() {
        return Be.i32(buf, off + 4);
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

    /** Number of report blocks (RC). */
    public int reportCount() {
        return count();
    }

    /** Points {@code into} at report block {@code i} and returns it. */
    public ReportBlock reportBlock(int i, ReportBlock into) {
        if (i < 0 || i >= count()) {
            throw new IndexOutOfBoundsException(i);
        }
        return into.wrap(buf, off + FIXED_LENGTH + ReportBlock.LENGTH * i);
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
        writeHeader(buf, off, 0, PT_SR, FIXED_LENGTH);
        Be.put32(buf, off + 4, senderSsrc);
        Be.put32(buf, off + 8, (int) (ntpTimestamp >>> 32));
        Be.put32(buf, off + 12, (int) ntpTimestamp);
        Be.put32(buf, off + 16, (int) rtpTimestamp);
        Be.put32(buf, off + 20, (int) packetCount);
        Be.put32(buf, off + 24, (int) octetCount);
        return FIXED_LENGTH;
    }
}
