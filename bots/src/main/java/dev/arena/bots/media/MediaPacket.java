package dev.arena.bots.media;

/**
 * One RTP payload ready to send: the bytes after the RTP header (VP8 payload descriptor included).
 *
 * @param payload       the payload bytes; the array may be reused by the source after its next {@code next()} call
 * @param length        bytes of {@code payload} used, from index 0
 * @param marker        the RTP marker bit (last packet of a video frame; first packet of a talkspurt for audio)
 * @param rtpTimestamp  in the codec's clock, counted from the source's start; keeps increasing across loops of a file
 * @param sendAtNanos   when to send it, counted from the source's start; keeps increasing across loops
 * @param keyframe      true for every packet of a video keyframe
 */
public record MediaPacket(byte[] payload, int length, boolean marker, long rtpTimestamp, long sendAtNanos,
                          boolean keyframe) {
}
