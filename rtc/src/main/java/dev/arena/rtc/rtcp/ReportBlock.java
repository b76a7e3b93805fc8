package dev.arena.rtc.rtcp;

/**
 * One reception report block of an SR or RR (RFC 3550 section 6.4.1), as a reusable view at an offset,
 * and the writer that appends a block to an SR or RR already in a buffer.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 section 6.4.1</a>
 */
public final class ReportBlock {
    public static final int LENGTH = 24;

    private byte[] buf;
    private int off;

    /** Points this view at the block at {@code buf[off]} (bounds already checked by SR/RR wrap). */
    public ReportBlock wrap(byte[] buf, int off) {
        this.buf = buf;
        this.off = off;
        return this;
    }

    public int ssrc() {
        return Be.i32(buf, off);
    }

    /** Fraction lost, 0..255 (fixed point, /256). */
    public int fractionLost() {
        return Be.u8(buf, off + 4);
    }

    /** Cumulative number of packets lost: a signed 24-bit value. */
    public int cumulativeLost() {
        return (Be.u24(buf, off + 5) << 8) >> 8;
    }

    public long extendedHighestSequence() {
        return Be.u32(buf, off + 8);
    }

    public long jitter() {
        return Be.u32(buf, off + 12);
    }

    /** Middle 32 bits of the NTP timestamp of the last SR received. */
    public long lastSr() {
        return Be.u32(buf, off + 16);
    }

    /** Delay since that SR, in 1/65536 seconds. */
    public long delaySinceLastSr() {
        return Be.u32(buf, off + 20);
    }

    /**
     * Appends a report block to the SR or RR whose header is at {@code buf[packetOff]}: writes it after
     * the packet's current end and increments RC and the length field. The packet must not have padding.
     *
     * @return the packet's new length, or -1 if it already has 31 blocks or the block does not fit
     */
    public static int append(byte[] buf, int packetOff, int ssrc, int fractionLost, int cumulativeLost,
                             long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
        int rc = buf[packetOff] & 0x1F;
        int len = 4 * (Be.u16(buf, packetOff + 2) + 1);
        if (rc == 31 || !Be.fits(buf, packetOff + len, LENGTH)) {
            return -1;
        }
        int o = packetOff + len;
        Be.put32(buf, o, ssrc);
        buf[o + 4] = (byte) fractionLost;
        Be.put24(buf, o + 5, clampCumulative(cumulativeLost));
        Be.put32(buf, o + 8, (int) extendedHighestSeq);
        Be.put32(buf, o + 12, (int) jitter);
        Be.put32(buf, o + 16, (int) lastSr);
        Be.put32(buf, o + 20, (int) delaySinceLastSr);
        buf[packetOff] = (byte) ((buf[packetOff] & 0xE0) | (rc + 1));
        Be.put16(buf, packetOff + 2, (len + LENGTH) / 4 - 1);
        return len + LENGTH;
    }

    private static int clampCumulative(int v) {
        return Math.max(-0x800000, Math.min(0x7FFFFF, v)) & 0xFFFFFF;
    }
}
