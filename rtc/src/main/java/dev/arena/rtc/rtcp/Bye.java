package dev.arena.rtc.rtcp;

import java.nio.charset.StandardCharsets;

/**
 * Goodbye, PT 203 (RFC 3550 section 6.6): SC SSRC/CSRCs leaving, and an optional reason.
 *
 * <pre>
 *        0                   1                   2                   3
 *        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |                           SSRC/CSRC                           |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       :                              ...                              :
 *       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * (opt) |     length    |               reason for leaving            ...
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.6">RFC 3550 section 6.6</a>
 */
public final class Bye extends RtcpPacket {
    private int reasonOffset;
    private int reasonLength;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_BYE;
    }

    @Override
    protected RtcpDrop parse() {
        int p = off + 4 + 4 * count();
        if (p > contentEnd) {
            return RtcpDrop.TRUNCATED;
        }
        reasonOffset = -1;
        reasonLength = 0;
        if (p < contentEnd) {
            int l = buf[p] & 0xFF;
            if (p + 1 + l > contentEnd) {
                return RtcpDrop.BAD_BYE;
            }
            if (l > 0) {
                reasonOffset = p + 1;
                reasonLength = l;
            }
        }
        return null;
    }

    public int ssrcCount() {
        return count();
    }

    public int ssrc(int i) {
        if (i < 0 || i >= count()) {
            throw new IndexOutOfBoundsException(i);
        }
        return Be.i32(buf, off + 4 + 4 * i);
    }

    /** Absolute offset of the reason text, or -1 without one. */
    public int reasonOffset() {
        return reasonOffset;
    }

    public int reasonLength() {
        return reasonLength;
    }

    /** The reason text or null (allocates). */
    public String reason() {
        return reasonOffset < 0 ? null : new String(buf, reasonOffset, reasonLength, StandardCharsets.UTF_8);
    }

    /**
     * Writes a BYE for {@code ssrcs[0, n)} with an optional reason (null or at most 255 bytes).
     *
     * @return the length, or -1 if n is above 31, the reason is too long or it does not fit
     */
    public static int write(byte[] buf, int off, int[] ssrcs, int n, byte[] reason) {
        int reasonLen = reason == null ? 0 : reason.length;
        if (n < 0 || n > 31 || reasonLen > 255) {
            return -1;
        }
        int len = 4 + 4 * n + (reason == null ? 0 : (1 + reasonLen + 3) & ~3);
        if (!Be.fits(buf, off, len)) {
            return -1;
        }
        writeHeader(buf, off, n, PT_BYE, len);
        for (int i = 0; i < n; i++) {
            Be.put32(buf, off + 4 + 4 * i, ssrcs[i]);
        }
        if (reason != null) {
            int p = off + 4 + 4 * n;
            buf[p] = (byte) reasonLen;
            System.arraycopy(reason, 0, buf, p + 1, reasonLen);
            for (int i = p + 1 + reasonLen; i < off + len; i++) {
                buf[i] = 0;
            }
        }
        return len;
    }

    /** Writes a BYE for one SSRC without a reason (8 bytes), or -1 if it does not fit. */
    public static int write(byte[] buf, int off, int ssrc) {
        if (!Be.fits(buf, off, 8)) {
            return -1;
        }
        writeHeader(buf, off, 1, PT_BYE, 8);
        Be.put32(buf, off + 4, ssrc);
        return 8;
    }
}
