package dev.arena.sfu.room;

import dev.arena.rtc.rtp.RtpPacket;

/**
 * The feedback state of one published track, fed by the forwarding path on the publisher's loop. The base
 * implementation does nothing but merge keyframe requests (at most one PLI upstream per {@code minIntervalNanos});
 * the feedback package overrides what it implements:
 * <ul>
 * <li>{@link #onPacket}: {@code PacketHistory.store} (video), {@code ReceiveStatistics.onPacket},
 *     {@code NackGenerator.onPacket};</li>
 * <li>{@link #onSenderReport}: {@code ReceiveStatistics.onSenderReport};</li>
 * <li>{@link #tryKeyframeRequest}: {@code KeyframeRequestThrottle.tryRequest};</li>
 * <li>{@link #pollUpstream}: {@code NackGenerator.poll} and a receiver report with
 *     {@code ReceiveStatistics.writeReportBlock}, toward the publisher.</li>
 * </ul>
 * On the publisher's loop (made on the room's home loop).
 */
public class TrackFeedback implements AutoCloseable {
    /** Keyframe requests from many subscribers merge into one per 500 ms per track. */
    public static final long DEFAULT_KEYFRAME_INTERVAL_NANOS = 500_000_000L;

    private final long minIntervalNanos;
    private boolean requested;
    private long lastRequestNanos;

    public TrackFeedback() {
        this(DEFAULT_KEYFRAME_INTERVAL_NANOS);
    }

    public TrackFeedback(long minIntervalNanos) {
        this.minIntervalNanos = minIntervalNanos;
    }

    /** Each valid packet of the track, before it fans out (the view is over the publisher's bytes). */
    public void onPacket(RtpPacket packet, long nowNanos) {}

    /** A sender report of the track's SSRC (RFC 3550 section 6.4.1). */
    public void onSenderReport(long ntpTimestamp, long rtpTimestamp, long nowNanos) {}

    /** Whether a keyframe request may go upstream now; true records it. */
    public boolean tryKeyframeRequest(long nowNanos) {
        if (requested && nowNanos - lastRequestNanos < minIntervalNanos) {
            return false;
        }
        requested = true;
        lastRequestNanos = nowNanos;
        return true;
    }

    /**
     * Writes RTCP for the publisher (NACK, receiver report) into {@code buf} at {@code off}, at most
     * {@code maxLen} bytes; returns the length or 0 when there is nothing to send.
     */
    public int pollUpstream(long nowNanos, byte[] buf, int off, int maxLen, int senderSsrc) {
        return 0;
    }

    /** Releases what the feedback holds (history buffers). */
    @Override
    public void close() {}
}
