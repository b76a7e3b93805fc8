package dev.arena.rtc.rtp;

/**
 * Writes an RTP packet (RFC 3550 section 5.1) with optional CSRCs, RFC 8285 one-byte or two-byte header
 * extensions, payload and padding into a caller's buffer. Reusable and allocation-free: call
 * {@link #start}, then the parts in header order, then {@link #finish}. Caller mistakes (ids or lengths
 * outside the RFC ranges, a buffer too small, parts out of order) throw {@link IllegalArgumentException}
 * or {@link IllegalStateException}: this writes trusted data, it never parses.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8285#section-4">RFC 8285 section 4</a>
 */
public final class RtpPacketWriter {
    private static final int STAGE_CSRC = 0;
    private static final int STAGE_EXT = 1;
    private static final int STAGE_PAYLOAD = 2;
    private static final int STAGE_DONE = 3;

    private byte[] buf;
    private int off;
    private int end;
    private int pos;
    private int stage = STAGE_DONE;
    private int extHeader = -1;
    private boolean twoByte;

    /**
     * Starts a packet at {@code buf[off]} that may use up to {@code capacity} bytes.
     */
    public RtpPacketWriter start(byte[] buf, int off, int capacity, int payloadType, int seq, long timestamp, int ssrc) {
        if (off < 0 || capacity < RtpPacket.FIXED_HEADER_LENGTH || capacity > buf.length - off) {
            throw new IllegalArgumentException("buffer too small");
        }
        this.buf = buf;
        this.off = off;
        this.end = off + capacity;
        buf[off] = (byte) 0x80;
        buf[off + 1] = (byte) (payloadType & 0x7F);
        RtpPacket.putShort(buf, off + 2, seq);
        RtpPacket.putInt(buf, off + 4, (int) timestamp);
        RtpPacket.putInt(buf, off + 8, ssrc);
        pos = off + RtpPacket.FIXED_HEADER_LENGTH;
        stage = STAGE_CSRC;
        extHeader = -1;
        return this;
    }

    public RtpPacketWriter marker(boolean marker) {
        requireStarted();
        buf[off + 1] = (byte) ((buf[off + 1] & 0x7F) | (marker ? 0x80 : 0));
        return this;
    }

    /** Appends a CSRC (at most 15, before any extension or payload). */
    public RtpPacketWriter csrc(int csrc) {
        if (stage != STAGE_CSRC) {
            throw new IllegalStateException("CSRCs come before extensions and payload");
        }
        int cc = buf[off] & 0x0F;
        if (cc == 15) {
            throw new IllegalArgumentException("at most 15 CSRCs");
        }
        ensure(4);
        RtpPacket.putInt(buf, pos, csrc);
        pos += 4;
        buf[off] = (byte) ((buf[off] & 0xF0) | (cc + 1));
        return this;
    }

    /** Opens the extension block in the one-byte (0xBEDE) or two-byte (0x1000) form. */
    public RtpPacketWriter beginExtensions(boolean twoByteForm) {
        if (stage != STAGE_CSRC) {
            throw new IllegalStateException("one extension block, before the payload");
        }
        ensure(4);
        twoByte = twoByteForm;
        extHeader = pos;
        RtpPacket.putShort(buf, pos, twoByteForm ? RtpPacket.PROFILE_TWO_BYTE : RtpPacket.PROFILE_ONE_BYTE);
        RtpPacket.putShort(buf, pos + 2, 0);
        pos += 4;
        buf[off] |= 0x10;
        stage = STAGE_EXT;
        return this;
    }

    /** Appends one extension element with the value {@code v[voff, voff+vlen)}. */
    public RtpPacketWriter extension(int id, byte[] v, int voff, int vlen) {
        int h = elementHeader(id, vlen);
        ensure(h + vlen);
        writeElementHeader(id, vlen);
        System.arraycopy(v, voff, buf, pos, vlen);
        pos += vlen;
        return this;
    }

    /** Appends one extension element whose value is the low {@code nbytes} bytes of {@code value}, big-endian. */
    public RtpPacketWriter extension(int id, long value, int nbytes) {
        int h = elementHeader(id, nbytes);
        ensure(h + nbytes);
        writeElementHeader(id, nbytes);
        for (int i = nbytes - 1; i >= 0; i--) {
            buf[pos++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    private int elementHeader(int id, int vlen) {
        if (stage != STAGE_EXT) {
            throw new IllegalStateException("call beginExtensions first");
        }
        if (twoByte) {
            if (id < 1 || id > 255 || vlen < 0 || vlen > 255) {
                throw new IllegalArgumentException("two-byte element: id 1..255, length 0..255");
            }
            return 2;
        }
        if (id < 1 || id > 14 || vlen < 1 || vlen > 16) {
            throw new IllegalArgumentException("one-byte element: id 1..14, length 1..16");
        }
        return 1;
    }

    private void writeElementHeader(int id, int vlen) {
        if (twoByte) {
            buf[pos++] = (byte) id;
            buf[pos++] = (byte) vlen;
        } else {
            buf[pos++] = (byte) ((id << 4) | (vlen - 1));
        }
    }

    private void closeExtensions() {
        if (stage == STAGE_EXT) {
            int dataLen = pos - (extHeader + 4);
            int padded = (dataLen + 3) & ~3;
            ensure(padded - dataLen);
            while (pos < extHeader + 4 + padded) {
                buf[pos++] = 0;
            }
            RtpPacket.putShort(buf, extHeader + 2, padded / 4);
        }
        stage = STAGE_PAYLOAD;
    }

    /** Appends payload bytes (may be called several times). */
    public RtpPacketWriter payload(byte[] p, int poff, int plen) {
        requireStarted();
        closeExtensions();
        ensure(plen);
        System.arraycopy(p, poff, buf, pos, plen);
        pos += plen;
        return this;
    }

    /** Finishes without padding; returns the packet length. */
    public int finish() {
        return finish(0);
    }

    /**
     * Finishes with {@code paddingLength} padding bytes (0 for none, else 1..255: zeros and the count as
     * the last byte, P bit set).
     *
     * @return the packet length
     */
    public int finish(int paddingLength) {
        requireStarted();
        closeExtensions();
        if (paddingLength < 0 || paddingLength > 255) {
            throw new IllegalArgumentException("padding 0..255");
        }
        if (paddingLength > 0) {
            ensure(paddingLength);
            for (int i = 0; i < paddingLength - 1; i++) {
                buf[pos++] = 0;
            }
            buf[pos++] = (byte) paddingLength;
            buf[off] |= 0x20;
        }
        stage = STAGE_DONE;
        return pos - off;
    }

    private void requireStarted() {
        if (stage == STAGE_DONE) {
            throw new IllegalStateException("call start first");
        }
    }

    private void ensure(int n) {
        if (n > end - pos) {
            throw new IllegalArgumentException("buffer too small");
        }
    }
}
