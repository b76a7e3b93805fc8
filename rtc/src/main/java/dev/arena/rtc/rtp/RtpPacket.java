package dev.arena.rtc.rtp;

import dev.arena.rtc.util.DropCounter;

/**
 * A reusable, zero-copy view of one RTP packet (RFC 3550 section 5.1) with RFC 8285 header extensions.
 * {@link #wrap} validates the header, CSRC list, extension block and padding without copying or
 * allocating; the getters read and the setters write straight into the caller's buffer, so a forwarded
 * packet is rewritten in place. One view per thread; re-wrap it for every packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  0xBEDE (one-byte) / 0x100X   |      length (32-bit words)    |  (if X)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  header extension elements                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            payload  ...   | padding | count   |  (padding if P)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * One-byte elements (RFC 8285 section 4.2): {@code | ID (4) | L (4) | L+1 bytes |}, ID 1..14, a zero
 * byte is padding, ID 15 ends the block. Two-byte elements (section 4.3): {@code | ID (8) | L (8) | L bytes |},
 * ID 1..255, a zero byte is padding.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-5.1">RFC 3550 section 5.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8285#section-4">RFC 8285 section 4</a>
 */
public final class RtpPacket {
    /** Length of the fixed header. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** Extension profile of the one-byte header form. */
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** Extension profile of the two-byte header form, with the 4 app bits zero (mask 0xFFF0). */
    public static final int PROFILE_TWO_BYTE = 0x1000;

    /** {@link #extensionFormat()}: no extension block. */
    public static final int EXT_NONE = 0;
    /** {@link #extensionFormat()}: RFC 8285 one-byte elements. */
    public static final int EXT_ONE_BYTE = 1;
    /** {@link #extensionFormat()}: RFC 8285 two-byte elements. */
    public static final int EXT_TWO_BYTE = 2;
    /** {@link #extensionFormat()}: an RFC 3550 extension of another profile (opaque bytes). */
    public static final int EXT_OTHER = 3;

    private static final int OFF_SEQ = 2;
    private static final int OFF_TS = 4;
    private static final int OFF_SSRC = 8;

    private final DropCounter<RtpDrop> drops;

    private byte[] buf;
    private int off;
    private int len;
    private int csrcCount;
    private int extFormat;
    private int extProfile;
    private int extDataStart; // absolute offset of the first element byte
    private int extDataEnd; // absolute offset after the extension block
    private int headerLength;
    private int paddingLength;
    private RtpDrop drop;

    // extension cursor
    private int cursor;
    private int curId;
    private int curPos; // absolute offset of the current element's first header byte
    private int curValueOffset;
    private int curValueLength;

    /** A view that counts nothing; read {@link #drop()} after a failed wrap. */
    public RtpPacket() {
        this(null);
    }

    /** A view that counts each refusal in {@code drops} (may be null). */
    public RtpPacket(DropCounter<RtpDrop> drops) {
        this.drops = drops;
    }

    /**
     * Points this view at a byte-for-byte copy of the packet {@code parsed} views, placed at
     * {@code buf[off...]}, without parsing it again: the fan-out copies one validated packet once per
     * subscriber and rewrites each copy in place.
     */
    public void wrapCopyOf(RtpPacket parsed, byte[] buf, int off) {
        int shift = off - parsed.off;
        this.drop = null;
        this.buf = buf;
        this.off = off;
        this.len = parsed.len;
        this.csrcCount = parsed.csrcCount;
        this.extFormat = parsed.extFormat;
        this.extProfile = parsed.extProfile;
        this.extDataStart = parsed.extFormat == EXT_NONE ? 0 : parsed.extDataStart + shift;
        this.extDataEnd = parsed.extFormat == EXT_NONE ? 0 : parsed.extDataEnd + shift;
        this.headerLength = parsed.headerLength;
        this.paddingLength = parsed.paddingLength;
        this.cursor = 0;
        this.curId = 0;
    }

    /**
     * Points this view at {@code buf[off, off+len)} and validates it. Never throws on bad input.
     *
     * @return true if the bytes are a well-formed RTP packet; false with {@link #drop()} set (and counted)
     */
    public boolean wrap(byte[] buf, int off, int len) {
        this.drop = null;
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.extFormat = EXT_NONE;
        this.extProfile = 0;
        this.extDataStart = 0;
        this.extDataEnd = 0;
        this.paddingLength = 0;
        this.cursor = 0;
        this.curId = 0;
        if (buf == null || off < 0 || len < 0 || len > buf.length - off) {
            return fail(RtpDrop.BAD_BUFFER);
        }
        if (len < FIXED_HEADER_LENGTH) {
            return fail(RtpDrop.TOO_SHORT);
        }
        int b0 = buf[off] & 0xFF;
        if ((b0 >>> 6) != 2) {
            return fail(RtpDrop.BAD_VERSION);
        }
        csrcCount = b0 & 0x0F;
        int pos = FIXED_HEADER_LENGTH + 4 * csrcCount;
        if (pos > len) {
            return fail(RtpDrop.TRUNCATED_CSRC);
        }
        if ((b0 & 0x10) != 0) {
            if (pos + 4 > len) {
                return fail(RtpDrop.TRUNCATED_EXTENSION);
            }
            extProfile = u16(buf, off + pos);
            int words = u16(buf, off + pos + 2);
            pos += 4;
            if (pos + 4 * words > len) {
                return fail(RtpDrop.TRUNCATED_EXTENSION);
            }
            extDataStart = off + pos;
            pos += 4 * words;
            extDataEnd = off + pos;
            if (extProfile == PROFILE_ONE_BYTE) {
                extFormat = EXT_ONE_BYTE;
            } else if ((extProfile & 0xFFF0) == PROFILE_TWO_BYTE) {
                extFormat = EXT_TWO_BYTE;
            } else {
                extFormat = EXT_OTHER;
            }
            if (!validateElements()) {
                return fail(RtpDrop.BAD_EXTENSION_ELEMENT);
            }
        }
        headerLength = pos;
        if ((b0 & 0x20) != 0) {
            int pad = buf[off + len - 1] & 0xFF;
            if (pad == 0 || pad > len - headerLength) {
                return fail(RtpDrop.BAD_PADDING);
            }
            paddingLength = pad;
        }
        return true;
    }

    private boolean validateElements() {
        resetExtensions();
        while (nextExtension()) {
            // walking is the validation
        }
        boolean ok = cursor != -2;
        resetExtensions();
        return ok;
    }

    private boolean fail(RtpDrop reason) {
        drop = reason;
        if (drops != null) {
            drops.count(reason);
        }
        return false;
    }

    /** Why the last {@link #wrap} failed, or null if it succeeded. */
    public RtpDrop drop() {
        return drop;
    }

    // ---- fixed header ----

    public byte[] buffer() {
        return buf;
    }

    /** Offset of the packet in {@link #buffer()}. */
    public int offset() {
        return off;
    }

    /** Total length of the packet including padding. */
    public int length() {
        return len;
    }

    public int version() {
        return (buf[off] & 0xFF) >>> 6;
    }

    public boolean hasPadding() {
        return (buf[off] & 0x20) != 0;
    }

    public boolean hasExtension() {
        return (buf[off] & 0x10) != 0;
    }

    public int csrcCount() {
        return csrcCount;
    }

    public boolean marker() {
        return (buf[off + 1] & 0x80) != 0;
    }

    public void setMarker(boolean marker) {
        if (marker) {
            buf[off + 1] |= (byte) 0x80;
        } else {
            buf[off + 1] &= 0x7F;
        }
    }

    public int payloadType() {
        return buf[off + 1] & 0x7F;
    }

    /** Sets the 7-bit payload type, keeping the marker bit. */
    public void setPayloadType(int pt) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (pt & 0x7F));
    }

    public int sequenceNumber() {
        return u16(buf, off + OFF_SEQ);
    }

    public void setSequenceNumber(int seq) {
        buf[off + OFF_SEQ] = (byte) (seq >>> 8);
        buf[off + OFF_SEQ + 1] = (byte) seq;
    }

    /** The 32-bit timestamp as an unsigned value. */
    public long timestamp() {
        return u32(buf, off + OFF_TS) & 0xFFFFFFFFL;
    }

    public void setTimestamp(long ts) {
        putInt(buf, off + OFF_TS, (int) ts);
    }

    public int ssrc() {
        return u32(buf, off + OFF_SSRC);
    }

    public void setSsrc(int ssrc) {
        putInt(buf, off + OFF_SSRC, ssrc);
    }

    /** CSRC number {@code i} (0-based, below {@link #csrcCount()}). */
    public int csrc(int i) {
        if (i < 0 || i >= csrcCount) {
            throw new IndexOutOfBoundsException(i);
        }
        return u32(buf, off + FIXED_HEADER_LENGTH + 4 * i);
    }

    public void setCsrc(int i, int csrc) {
        if (i < 0 || i >= csrcCount) {
            throw new IndexOutOfBoundsException(i);
        }
        putInt(buf, off + FIXED_HEADER_LENGTH + 4 * i, csrc);
    }

    /** Fixed header + CSRC list + extension block, in bytes. */
    public int headerLength() {
        return headerLength;
    }

    /** Absolute offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + headerLength;
    }

    /** Payload length without padding. */
    public int payloadLength() {
        return len - headerLength - paddingLength;
    }

    /** Number of padding bytes at the end (including the count byte), 0 without the P bit. */
    public int paddingLength() {
        return paddingLength;
    }

    // ---- header extensions ----

    /** One of {@link #EXT_NONE}, {@link #EXT_ONE_BYTE}, {@link #EXT_TWO_BYTE}, {@link #EXT_OTHER}. */
    public int extensionFormat() {
        return extFormat;
    }

    /** The 16-bit "defined by profile" field of the extension block (0xBEDE, 0x100X or other). */
    public int extensionProfile() {
        return extProfile;
    }

    /** Absolute offset of the first byte after the 4-byte extension block header. */
    public int extensionDataOffset() {
        return extDataStart;
    }

    /** Length in bytes of the extension data (the block's length field times 4). */
    public int extensionDataLength() {
        return extDataEnd - extDataStart;
    }

    /** Restarts {@link #nextExtension()} at the first element. */
    public void resetExtensions() {
        cursor = (extFormat == EXT_ONE_BYTE || extFormat == EXT_TWO_BYTE) ? extDataStart : -1;
        curId = 0;
    }

    /**
     * Moves the element cursor to the next RFC 8285 element, skipping padding bytes. After true,
     * {@link #extensionId()}, {@link #extensionValueOffset()} and {@link #extensionValueLength()} describe it.
     */
    public boolean nextExtension() {
        int p = cursor;
        if (p < 0) {
            return false;
        }
        int end = extDataEnd;
        if (extFormat == EXT_ONE_BYTE) {
            while (p < end) {
                int b = buf[p] & 0xFF;
                int id = b >>> 4;
                if (id == 0) { // padding byte (RFC 8285 4.2)
                    p++;
                    continue;
                }
                if (id == 15) { // reserved: stop processing the block
                    cursor = -1;
                    return false;
                }
                int l = (b & 0x0F) + 1;
                if (p + 1 + l > end) {
                    cursor = -2;
                    return false;
                }
                curId = id;
                curPos = p;
                curValueOffset = p + 1;
                curValueLength = l;
                cursor = p + 1 + l;
                return true;
            }
        } else {
            while (p < end) {
                int id = buf[p] & 0xFF;
                if (id == 0) { // padding byte (RFC 8285 4.3)
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    cursor = -2;
                    return false;
                }
                int l = buf[p + 1] & 0xFF;
                if (p + 2 + l > end) {
                    cursor = -2;
                    return false;
                }
                curId = id;
                curPos = p;
                curValueOffset = p + 2;
                curValueLength = l;
                cursor = p + 2 + l;
                return true;
            }
        }
        cursor = -1;
        return false;
    }

    /** Id of the element at the cursor. */
    public int extensionId() {
        return curId;
    }

    /** Absolute offset in {@link #buffer()} of the element value at the cursor. */
    public int extensionValueOffset() {
        return curValueOffset;
    }

    /** Length of the element value at the cursor (1..16 one-byte, 0..255 two-byte). */
    public int extensionValueLength() {
        return curValueLength;
    }

    /**
     * Positions the cursor on the first element with this id.
     *
     * @return true if found; then read {@link #extensionValueOffset()} / {@link #extensionValueLength()}
     */
    public boolean findExtension(int id) {
        resetExtensions();
        while (nextExtension()) {
            if (curId == id) {
                return true;
            }
        }
        return false;
    }

    /** Absolute offset of the value of the first element with this id, or -1. */
    public int extensionValueOffset(int id) {
        return findExtension(id) ? curValueOffset : -1;
    }

    /**
     * Rewrites every element id in place through {@code idMap}: element {@code id} gets
     * {@code idMap[id] & 0xFF}. A mapped id of 0, an id beyond the table, or (in the one-byte form) a
     * mapped id above 14 strips the element: its bytes become padding bytes (zeros), which receivers skip
     * (RFC 8285 section 4.2/4.3), so the packet length never changes.
     *
     * @return the number of elements kept
     */
    public int rewriteExtensionIds(byte[] idMap) {
        int kept = 0;
        resetExtensions();
        boolean oneByte = extFormat == EXT_ONE_BYTE;
        while (nextExtension()) {
            int id = curId;
            int newId = id < idMap.length ? idMap[id] & 0xFF : 0;
            if (newId == 0 || (oneByte && newId > 14)) {
                clearCurrent();
            } else {
                if (oneByte) {
                    buf[curPos] = (byte) ((newId << 4) | (buf[curPos] & 0x0F));
                } else {
                    buf[curPos] = (byte) newId;
                }
                kept++;
            }
        }
        return kept;
    }

    /**
     * Removes every element with this id by turning its bytes into padding (in place, length unchanged).
     *
     * @return true if at least one element was removed
     */
    public boolean removeExtension(int id) {
        boolean removed = false;
        resetExtensions();
        while (nextExtension()) {
            if (curId == id) {
                clearCurrent();
                removed = true;
            }
        }
        return removed;
    }

    private void clearCurrent() {
        for (int i = curPos, end = curValueOffset + curValueLength; i < end; i++) {
            buf[i] = 0;
        }
    }

    // ---- byte helpers (shared with the rest of the package) ----

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int u32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static void putShort(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    @Override
    public String toString() {
        if (buf == null || drop != null) {
            return "RtpPacket[invalid " + drop + "]";
        }
        return "RtpPacket[pt=" + payloadType() + " seq=" + sequenceNumber() + " ts=" + timestamp()
                + " ssrc=" + Integer.toUnsignedString(ssrc()) + " m=" + marker() + " cc=" + csrcCount
                + " hdr=" + headerLength + " payload=" + payloadLength() + " pad=" + paddingLength + "]";
    }
}
