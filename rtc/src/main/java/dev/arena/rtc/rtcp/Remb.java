package dev.arena.rtc.rtcp;

/**
 * Receiver estimated maximum bitrate, PT 206 FMT 15 (application layer feedback) with the "REMB"
 * identifier (draft-alvestrand-rmcat-remb-03 section 2.2). Bitrate = mantissa * 2^exp bits per second.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (0)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC feedback                                               |  (Num SSRC times)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-alvestrand-rmcat-remb-03#section-2.2">draft-alvestrand-rmcat-remb-03 section 2.2</a>
 */
public final class Remb extends FeedbackPacket {
    /** "REMB" as a big-endian int. */
    public static final int IDENTIFIER = 0x52454D42;

    private static final int MAX_MANTISSA = (1 << 18) - 1;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_PSFB && count == FMT_AFB;
    }

    /** True if the PSFB/AFB packet at {@code buf[off]} of {@code contentLen} bytes carries "REMB". */
    static boolean isRemb(byte[] buf, int off, int contentLen) {
        return contentLen >= 16 && Be.i32(buf, off + 12) == IDENTIFIER;
    }

    @Override
    protected RtcpDrop parse() {
        int content = contentEnd - off;
        if (content < 20 || Be.i32(buf, off + 12) != IDENTIFIER) {
            return RtcpDrop.BAD_REMB;
        }
        if (20 + 4 * ssrcCount() > content) {
            return RtcpDrop.BAD_REMB;
        }
        int exp = exponent();
        int mantissa = mantissa();
        if (mantissa != 0 && exp > 63 - (32 - Integer.numberOfLeadingZeros(mantissa))) {
            return RtcpDrop.BAD_REMB; // bitrate would not fit in a signed 64-bit long
        }
        return null;
    }

    public int ssrcCount() {
        return Be.u8(buf, off + 16);
    }

    private int exponent() {
        return (buf[off + 17] & 0xFF) >>> 2;
    }

    private int mantissa() {
        return ((buf[off + 17] & 0x03) << 16) | Be.u16(buf, off + 18);
    }

    /** The estimated maximum bitrate, bits per second. */
    public long bitrate() {
        return (long) mantissa() << exponent();
    }

    public int ssrc(int i) {
        if (i < 0 || i >= ssrcCount()) {
            throw new IndexOutOfBoundsException(i);
        }
        return Be.i32(buf, off + 20 + 4 * i);
    }

    /**
     * Writes a REMB for {@code ssrcs[0, n)}. The bitrate is rounded down to what 18 bits of mantissa
     * express.
     *
     * @return the length, or -1 if n is not 0..255, the bitrate is negative or it does not fit
     */
    public static int write(byte[] buf, int off, int senderSsrc, long bitrateBps, int[] ssrcs, int n) {
        int len = 20 + 4 * n;
        if (n < 0 || n > 255 || bitrateBps < 0 || !Be.fits(buf, off, len)) {
            return -1;
        }
        int exp = 0;
        long mantissa = bitrateBps;
        while (mantissa > MAX_MANTISSA) {
            mantissa >>>= 1;
            exp++;
        }
        writeFeedbackHeader(buf, off, FMT_AFB, PT_PSFB, len, senderSsrc, 0);
        Be.put32(buf, off + 12, IDENTIFIER);
        buf[off + 16] = (byte) n;
        buf[off + 17] = (byte) ((exp << 2) | (int) (mantissa >>> 16));
        Be.put16(buf, off + 18, (int) mantissa);
        for (int i = 0; i < n; i++) {
            Be.put32(buf, off + 20 + 4 * i, ssrcs[i]);
        }
        return len;
    }
}
