package dev.arena.bots.media;

/**
 * Splits a VP8 frame into RTP payloads (RFC 7741) of at most a given size, descriptor included, as even as possible
 * (as libwebrtc does, so the last packet is not a runt). Each payload starts with a 4-byte descriptor: X=1, S=1 on
 * the first payload of the frame, partition index 0; then I=1 with a 15-bit PictureID (M=1), the same for every
 * payload of a frame. Stateless: the caller keeps the frame, the payload index and the PictureID. Allocation-free.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7741#section-4.2">RFC 7741 section 4.2</a>
 */
public final class Vp8Packetizer {
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1200;
    public static final int DESCRIPTOR_BYTES = 4;
    public static final int PICTURE_ID_MASK = 0x7FFF;

    private final int maxPayloadBytes;

    public Vp8Packetizer() {
        this(DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public Vp8Packetizer(int maxPayloadBytes) {
        if (maxPayloadBytes <= DESCRIPTOR_BYTES) {
            throw new IllegalArgumentException("a VP8 payload needs more than the " + DESCRIPTOR_BYTES
                    + "-byte descriptor: " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** How many payloads a frame of this length takes. */
    public int payloadCount(int frameLength) {
        if (frameLength < 1) {
            throw new IllegalArgumentException("empty VP8 frame");
        }
        int perPayload = maxPayloadBytes - DESCRIPTOR_BYTES;
        return (frameLength + perPayload - 1) / perPayload;
    }

    /**
     * Writes payload {@code index} of the {@code count} ({@link #payloadCount}) of a frame into {@code out}, which
     * must hold {@link #maxPayloadBytes()}; returns its length.
     */
    public int write(byte[] frame, int frameLength, int index, int count, int pictureId, byte[] out) {
        int from = (int) ((long) index * frameLength / count);
        int to = (int) ((long) (index + 1) * frameLength / count);
        out[0] = (byte) (index == 0 ? 0x90 : 0x80); // X, and S on the first payload; PID 0
        out[1] = (byte) 0x80; // I: a PictureID follows
        out[2] = (byte) (0x80 | (pictureId >>> 8) & 0x7F); // M: 15-bit PictureID
        out[3] = (byte) pictureId;
        System.arraycopy(frame, from, out, DESCRIPTOR_BYTES, to - from);
        return DESCRIPTOR_BYTES + to - from;
    }

    /** The frame tag's first bit (P, "inverse key frame") is 0 on a keyframe (RFC 6386 section 9.1). */
    public static boolean isKeyframe(byte[] frame) {
        return frame.length > 0 && (frame[0] & 0x01) == 0;
    }

    public static int nextPictureId(int pictureId) {
        return (pictureId + 1) & PICTURE_ID_MASK;
    }
}
