package dev.arena.sfu.room;

import dev.arena.rtc.rtp.RtpPacket;

/**
 * Transport-wide feedback toward one participant as a sender: the feedback package's {@code TwccFeedbackGenerator}
 * goes here (read the transport-wide sequence number with the extension id of the packet's track). The base
 * implementation does nothing. On the participant's loop.
 */
public class TransportFeedback implements AutoCloseable {
    /** Each valid RTP packet from the participant; {@code track} is null for an unknown SSRC. */
    public void onRtp(RtpPacket packet, Track track, long nowNanos) {}

    /** Writes RTCP for the participant (transport-cc feedback); returns the length or 0. */
    public int poll(long nowNanos, byte[] buf, int off, int maxLen) {
        return 0;
    }

    @Override
    public void close() {}
}
