package dev.arena.rtc.rtcp;

/**
 * One RTCP packet (RFC 3550 section 6.4): the common header, shared by every packet type, and the base
 * of the typed, reusable views ({@link SenderReport}, {@link Nack}, ...). A view is re-pointed with
 * {@link #wrap}, which validates the header, the padding and the type's own structure without copying
 * or allocating, and returns false with a typed {@link #drop()} reason on malformed input.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Also the RTP/RTCP demultiplexer of RFC 5761 section 4 ({@link #isRtcp}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4">RFC 3550 section 6.4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5761#section-4">RFC 5761 section 4</a>
 */
public abstract class RtcpPacket {
    public static final int HEADER_LENGTH = 4;
    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;
    /** Transport-layer feedback (RFC 4585 section 6.2). */
    public static final int PT_RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 section 6.3). */
    public static final int PT_PSFB = 206;
    public static final int PT_XR = 207;
    public static final int FMT_NACK = 1;
    public static final int FMT_TRANSPORT_CC = 15;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;

    protected byte[] buf;
    protected int off;
    protected int length;
    /** Absolute offset after the last content byte (padding excluded). */
    protected int contentEnd;
    protected RtcpDrop drop;

    /**
     * RFC 5761 section 4 demultiplexing of RTP and RTCP on one port: RTCP if the second byte (RTCP packet
     * type, or RTP marker + payload type) is in 192..223, with version 2. Works on SRTCP too (the header
     * is not encrypted).
     */
    public static boolean isRtcp(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 4 || len > buf.length - off) {
            return false;
        }
        int pt = buf[off + 1] & 0xFF;
        return (buf[off] & 0xC0) == 0x80 && pt >= 192 && pt <= 223;
    }

    /**
     * Writes a common header (no padding) for a packet of {@code totalLength} bytes, a multiple of 4.
     */
    public static void writeHeader(byte[] buf, int off, int count, int packetType, int totalLength) {
        buf[off] = (byte) (0x80 | (count & 0x1F));
        buf[off + 1] = (byte) packetType;
        Be.put16(buf, off + 2, totalLength / 4 - 1);
    }

    /**
     * Points this view at the RTCP packet at {@code buf[off]}; the packet's length comes from its header
     * and must fit in {@code len}. Never throws on bad input.
     *
     * @return true if it is a well-formed packet of this view's type; false with {@link #drop()} set
     */
    public final boolean wrap(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.drop = null;
        this.length = 0;
        this.contentEnd = off;
        if (buf == null || off < 0 || len < 0 || len > buf.length - off) {
            return fail(RtcpDrop.BAD_BUFFER);
        }
        if (len < HEADER_LENGTH) {
            return fail(RtcpDrop.TOO_SHORT);
        }
        int b0 = buf[off] & 0xFF;
        if ((b0 >>> 6) != 2) {
            return fail(RtcpDrop.BAD_VERSION);
        }
        int pktLen = 4 * (Be.u16(buf, off + 2) + 1);
        if (pktLen > len) {
            return fail(RtcpDrop.BAD_LENGTH);
        }
        int pad = 0;
        if ((b0 & 0x20) != 0) {
            pad = buf[off + pktLen - 1] & 0xFF;
            if (pad == 0 || pad > pktLen - HEADER_LENGTH) {
                return fail(RtcpDrop.BAD_PADDING);
            }
        }
        this.length = pktLen;
        this.contentEnd = off + pktLen - pad;
        if (!accepts(buf[off + 1] & 0xFF, b0 & 0x1F)) {
            return fail(RtcpDrop.WRONG_TYPE);
        }
        RtcpDrop d = parse();
        return d == null || fail(d);
    }

    private boolean fail(RtcpDrop reason) {
        drop = reason;
        return false;
    }

    /** Whether this view handles packet type {@code pt} with count/FMT {@code count}. */
    protected abstract boolean accepts(int pt, int count);

    /** Type-specific validation of {@code buf[off, contentEnd)}; null if well-formed. */
    protected abstract RtcpDrop parse();

    /** Why the last {@link #wrap} failed, or null. */
    public final RtcpDrop drop() {
        return drop;
    }

    public final byte[] buffer() {
        return buf;
    }

    public final int offset() {
        return off;
    }

    /** Length of this packet in bytes, from its length field (padding included). */
    public final int length() {
        return length;
    }

    /** Length without the padding. */
    public final int contentLength() {
        return contentEnd - off;
    }

    public final boolean hasPadding() {
        return (buf[off] & 0x20) != 0;
    }

    /** The 5-bit count field: RC, SC or FMT depending on the type. */
    public final int count() {
        return buf[off] & 0x1F;
    }

    public final int packetType() {
        return buf[off + 1] & 0xFF;
    }
}
