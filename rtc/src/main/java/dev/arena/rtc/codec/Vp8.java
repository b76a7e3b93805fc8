package dev.arena.rtc.codec;

/**
 * Reads the VP8 RTP payload descriptor (RFC 7741 section 4.2) far enough to tell where a frame starts
 * and whether it is a keyframe: what an SFU needs for keyframe requests and layer switches.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL, 7 or 15 bits)
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 * The VP8 payload header follows; its first bit 0 (P, "inverse key frame") is 0 on a keyframe.
 */
public final class Vp8 {
    private Vp8() {
    }

    /** The offset of the VP8 payload after the descriptor, or -1 if the descriptor is truncated. */
    public static int payloadStart(byte[] buf, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int p = off;
        int end = off + len;
        boolean x = (buf[p] & 0x80) != 0;
        p++;
        if (x) {
            if (p >= end) {
                return -1;
            }
            int ext = buf[p] & 0xFF;
            p++;
            if ((ext & 0x80) != 0) { // I: picture id
                if (p >= end) {
                    return -1;
                }
                p += (buf[p] & 0x80) != 0 ? 2 : 1;
            }
            if ((ext & 0x40) != 0) { // L: TL0PICIDX
                p++;
            }
            if ((ext & 0x30) != 0) { // T or K
                p++;
            }
        }
        return p < end ? p : -1;
    }

    /** Whether this RTP payload starts a VP8 frame (S bit set, partition index 0). */
    public static boolean isFrameStart(byte[] buf, int off, int len) {
        return len >= 1 && (buf[off] & 0x10) != 0 && (buf[off] & 0x07) == 0;
    }

    /** Whether this RTP payload is the first packet of a VP8 keyframe. */
    public static boolean isKeyframeStart(byte[] buf, int off, int len) {
        if (!isFrameStart(buf, off, len)) {
            return false;
        }
        int p = payloadStart(buf, off, len);
        return p >= 0 && (buf[p] & 0x01) == 0;
    }
}
