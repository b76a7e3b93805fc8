package dev.arena.rtc.rtcp;

/**
 * Application-defined packet, PT 204 (RFC 3550 section 6.7).
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P| subtype |   PT=APP=204  |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           SSRC/CSRC                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                          name (ASCII)                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                   application-dependent data                ...
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.7">RFC 3550 section 6.7</a>
 */
public final class App extends RtcpPacket {
    public static final int FIXED_LENGTH = 12;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_APP;
    }

    @Override
    protected RtcpDrop parse() {
        return contentEnd - off < FIXED_LENGTH ? RtcpDrop.TOO_SHORT : null;
    }

    public int subtype() {
        return count();
    }

    public int ssrc() {
        return Be.i32(buf, off + 4);
    }

    /** The four ASCII name bytes as a big-endian int. */
    public int name() {
        return Be.i32(buf, off + 8);
    }

    /** Absolute offset of the application data. */
    public int dataOffset() {
        return off + FIXED_LENGTH;
    }

    public int dataLength() {
        return contentEnd - off - FIXED_LENGTH;
    }

    /** A name int from four ASCII characters, e.g. {@code name("ABCD")}. */
    public static int name(String fourAscii) {
        if (fourAscii.length() != 4) {
            throw new IllegalArgumentException("APP name is 4 ASCII characters");
        }
        return (fourAscii.charAt(0) & 0xFF) << 24 | (fourAscii.charAt(1) & 0xFF) << 16
                | (fourAscii.charAt(2) & 0xFF) << 8 | (fourAscii.charAt(3) & 0xFF);
    }

    /**
     * Writes an APP packet; data is zero-padded to a multiple of 4 bytes.
     *
     * @return the length, or -1 if subtype is not 0..31 or it does not fit
     */
    public static int write(byte[] buf, int off, int subtype, int ssrc, int name, byte[] data, int dOff, int dLen) {
        int len = FIXED_LENGTH + ((dLen + 3) & ~3);
        if (subtype < 0 || subtype > 31 || dLen < 0 || !Be.fits(buf, off, len)) {
            return -1;
        }
        writeHeader(buf, off, subtype, PT_APP, len);
        Be.put32(buf, off + 4, ssrc);
        Be.put32(buf, off + 8, name);
        System.arraycopy(data, dOff, buf, off + FIXED_LENGTH, dLen);
        for (int i = off + FIXED_LENGTH + dLen; i < off + len; i++) {
            buf[i] = 0;
        }
        return len;
    }
}
