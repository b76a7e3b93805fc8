package dev.arena.rtc.feedback;

import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.util.DropCounter;

/**
 * Merges keyframe requests (PLI, RFC 4585 section 6.3.1, or FIR, RFC 5104 section 4.3.1) from the many
 * subscribers of one track into at most one upstream PLI per {@code minIntervalNanos} (500 ms by default).
 * A request that falls inside the interval is remembered as pending and granted by {@link #poll} once the
 * interval has passed, unless a keyframe arrived meanwhile ({@link #onKeyframe}).
 *
 * <p>Single-threaded: owned by the event loop of the track. No allocation.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.3.1">RFC 4585 section 6.3.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4.3.1">RFC 5104 section 4.3.1</a>
 */
public final class KeyframeRequestThrottle {
    public static final long DEFAULT_MIN_INTERVAL_NANOS = 500_000_000L;

    private final long minIntervalNanos;
    private final DropCounter<FeedbackDrop> drops;
    private boolean requestedOnce;
    private long lastRequest;
    private boolean pending;
    private long granted;
    private long throttled;

    public KeyframeRequestThrottle(long minIntervalNanos, DropCounter<FeedbackDrop> drops) {
        this.minIntervalNanos = minIntervalNanos;
        this.drops = drops != null ? drops : new DropCounter<>(FeedbackDrop.class);
    }

    public KeyframeRequestThrottle(long minIntervalNanos) {
        this(minIntervalNanos, null);
    }

    public KeyframeRequestThrottle() {
        this(DEFAULT_MIN_INTERVAL_NANOS, null);
    }

    /**
     * A subscriber (or the SFU itself) wants a keyframe.
     *
     * @return true if an upstream request should be sent now ({@link #write}); false if merged into a
     *     recent one (then pending)
     */
    public boolean tryRequest(long nowNanos) {
        if (!requestedOnce || nowNanos - lastRequest >= minIntervalNanos) {
            grant(nowNanos);
            return true;
        }
        pending = true;
        throttled++;
        drops.count(FeedbackDrop.KEYFRAME_THROTTLED);
        return false;
    }

    /** True (once) if a throttled request is pending and the interval has passed: send it now. */
    public boolean poll(long nowNanos) {
        if (pending && nowNanos - lastRequest >= minIntervalNanos) {
            grant(nowNanos);
            return true;
        }
        return false;
    }

    private void grant(long nowNanos) {
        requestedOnce = true;
        lastRequest = nowNanos;
        pending = false;
        granted++;
    }

    /** A keyframe arrived from the publisher: pending requests are satisfied. */
    public void onKeyframe() {
        pending = false;
    }

    public boolean pending() {
        return pending;
    }

    /**
     * Writes the upstream PLI.
     *
     * @return 12, or -1 if it does not fit
     */
    public int write(byte[] buf, int off, int senderSsrc, int mediaSsrc) {
        return Pli.write(buf, off, senderSsrc, mediaSsrc);
    }

    /** Requests let through. */
    public long granted() {
        return granted;
    }

    /** Requests merged into an earlier one. */
    public long throttled() {
        return throttled;
    }
}
