package dev.arena.rtc.rtcp;

import java.nio.charset.StandardCharsets;

/**
 * Source description, PT 202 (RFC 3550 section 6.5): SC chunks, each an SSRC/CSRC followed by items
 * ({@code type, length, text}) ended by a null octet and padded with nulls to a 32-bit boundary.
 * Iterate with {@link #nextChunk()} / {@link #nextItem()} (no allocation); {@link #cname()} is a
 * convenience for the control path that allocates a String.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * chunk  |                          SSRC/CSRC_1                          |
 *   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |    CNAME=1    |     length    | user and domain name        ...
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |  ... items ...  |  END=0  | null padding to 32 bits           |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.5">RFC 3550 section 6.5</a>
 */
public final class Sdes extends RtcpPacket {
    public static final int END = 0;
    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    private int chunkPos; // offset of the next chunk
    private int chunksLeft;
    private int chunkSsrc;
    private int itemPos; // offset of the next item in the current chunk, -1 when done
    private int itemType;
    private int itemOffset;
    private int itemLength;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_SDES;
    }

    @Override
    protected RtcpDrop parse() {
        int p = off + 4;
        for (int c = 0; c < count(); c++) {
            if (p + 4 > contentEnd) {
                return RtcpDrop.TRUNCATED;
            }
            p += 4;
            while (true) {
                if (p >= contentEnd) {
                    return RtcpDrop.BAD_SDES;
                }
                int type = buf[p] & 0xFF;
                if (type == END) {
                    p = off + ((p + 1 - off + 3) & ~3);
                    if (p > contentEnd) {
                        return RtcpDrop.BAD_SDES;
                    }
                    break;
                }
                if (p + 2 > contentEnd || p + 2 + (buf[p + 1] & 0xFF) > contentEnd) {
                    return RtcpDrop.BAD_SDES;
                }
                p += 2 + (buf[p + 1] & 0xFF);
            }
        }
        resetChunks();
        return null;
    }

    /** Restarts {@link #nextChunk()} at the first chunk. */
    public void resetChunks() {
        chunkPos = off + 4;
        chunksLeft = count();
        itemPos = -1;
    }

    /** Moves to the next chunk; then {@link #chunkSsrc()} and {@link #nextItem()} apply to it. */
    public boolean nextChunk() {
        // skip the items of the current chunk that were not read
        while (itemPos >= 0) {
            nextItem();
        }
        if (chunksLeft <= 0) {
            return false;
        }
        chunksLeft--;
        chunkSsrc = Be.i32(buf, chunkPos);
        itemPos = chunkPos + 4;
        chunkPos = -1;
        return true;
    }

    public int chunkSsrc() {
        return chunkSsrc;
    }

    /** Moves to the next item of the current chunk; false at its END item. */
    public boolean nextItem() {
        int p = itemPos;
        if (p < 0) {
            return false;
        }
        int type = buf[p] & 0xFF;
        if (type == END) {
            chunkPos = off + ((p + 1 - off + 3) & ~3);
            itemPos = -1;
            return false;
        }
        itemType = type;
        itemLength = buf[p + 1] & 0xFF;
        itemOffset = p + 2;
        itemPos = p + 2 + itemLength;
        return true;
    }

    public int itemType() {
        return itemType;
    }

    /** Absolute offset of the current item's text. */
    public int itemOffset() {
        return itemOffset;
    }

    public int itemLength() {
        return itemLength;
    }

    /** The first CNAME of the packet, or null (allocates: control path only). */
    public String cname() {
        resetChunks();
        String found = null;
        while (found == null && nextChunk()) {
            while (nextItem()) {
                if (itemType == CNAME) {
                    found = new String(buf, itemOffset, itemLength, StandardCharsets.UTF_8);
                    break;
                }
            }
        }
        resetChunks();
        return found;
    }

    /**
     * Writes an SDES header with no chunks (4 bytes); add chunks with {@link #appendChunk}.
     *
     * @return 4, or -1 if it does not fit
     */
    public static int write(byte[] buf, int off) {
        if (!Be.fits(buf, off, 4)) {
            return -1;
        }
        writeHeader(buf, off, 0, PT_SDES, 4);
        return 4;
    }

    /**
     * Appends a chunk with one item ({@code type}, {@code text[tOff, tOff+tLen)}) to the SDES packet at
     * {@code buf[packetOff]}, which must not have padding.
     *
     * @return the packet's new length, or -1 if it has 31 chunks, the text exceeds 255 bytes or it does not fit
     */
    public static int appendChunk(byte[] buf, int packetOff, int ssrc, int type, byte[] text, int tOff, int tLen) {
        int sc = buf[packetOff] & 0x1F;
        int len = 4 * (Be.u16(buf, packetOff + 2) + 1);
        int chunkLen = (4 + 2 + tLen + 1 + 3) & ~3;
        if (sc == 31 || tLen < 0 || tLen > 255 || type <= 0 || type > 255 || !Be.fits(buf, packetOff + len, chunkLen)) {
            return -1;
        }
        int p = packetOff + len;
        Be.put32(buf, p, ssrc);
        buf[p + 4] = (byte) type;
        buf[p + 5] = (byte) tLen;
        System.arraycopy(text, tOff, buf, p + 6, tLen);
        for (int i = p + 6 + tLen; i < p + chunkLen; i++) {
            buf[i] = 0;
        }
        buf[packetOff] = (byte) ((buf[packetOff] & 0xE0) | (sc + 1));
        Be.put16(buf, packetOff + 2, (len + chunkLen) / 4 - 1);
        return len + chunkLen;
    }

    /**
     * Writes an SDES packet with one chunk holding a CNAME (RFC 3550 section 6.5.1).
     *
     * @return the length, or -1 if it does not fit or the CNAME exceeds 255 bytes
     */
    public static int writeCname(byte[] buf, int off, int ssrc, byte[] cname) {
        if (write(buf, off) < 0) {
            return -1;
        }
        return appendChunk(buf, off, ssrc, CNAME, cname, 0, cname.length);
    }
}
