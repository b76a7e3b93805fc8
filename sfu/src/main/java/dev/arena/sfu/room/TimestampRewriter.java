package dev.arena.sfu.room;

/**
 * Maps a source's 32-bit RTP timestamps (RFC 3550 section 5.1) onto one outgoing stream that stays continuous
 * across {@link #resync()}: the first packet after a resync gets the last timestamp sent plus the wall-clock time
 * elapsed since it was sent, in the media clock (at least one tick), so a receiver's jitter buffer and A/V sync see
 * time move forward as it did. Arithmetic is modulo 2^32.
 *
 * <p>Single-threaded: owned by one {@link Subscription} on its subscriber's loop. No allocation.
 */
public final class TimestampRewriter {
    private static final long MASK = 0xFFFF_FFFFL;

    private final long clockRate;
    private final long firstOut;
    private boolean started;
    private boolean resyncPending = true;
    private long offset;
    private long highestIn;
    private long highestOut;
    private long highestOutNanos;

    /**
     * @param clockRate the media clock in Hz (48000 for Opus, 90000 for video)
     * @param firstOut  the first outgoing timestamp (random per RFC 3550 in production)
     */
    public TimestampRewriter(int clockRate, long firstOut) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate must be > 0");
        }
        this.clockRate = clockRate;
        this.firstOut = firstOut & MASK;
    }

    /** The next packet starts a new source segment (see the class comment). */
    public void resync() {
        resyncPending = true;
    }

    /** The outgoing timestamp for a packet with source timestamp {@code in} arriving at {@code nowNanos}. */
    public long rewrite(long in, long nowNanos) {
        in &= MASK;
        if (resyncPending) {
            long next = firstOut;
            if (started) {
                long elapsedMicros = Math.max(0, nowNanos - highestOutNanos) / 1000;
                long ticks = elapsedMicros * clockRate / 1_000_000;
                next = (highestOut + Math.max(1, ticks)) & MASK;
            }
            offset = (next - in) & MASK;
            highestIn = in;
            highestOut = next;
            highestOutNanos = nowNanos;
            started = true;
            resyncPending = false;
            return next;
        }
        long out = (in + offset) & MASK;
        if ((int) (in - highestIn) > 0) {
            highestIn = in;
            highestOut = out;
            highestOutNanos = nowNanos;
        }
        return out;
    }

    /**
     * Where source timestamp {@code in} falls in the outgoing stream (for relaying a sender report's RTP timestamp,
     * RFC 3550 section 6.4.1), or -1 before the first packet of the current segment.
     */
    public long toOut(long in) {
        if (!started || resyncPending) {
            return -1;
        }
        return (in + offset) & MASK;
    }

    /** The highest outgoing timestamp so far. */
    public long highestOut() {
        return highestOut;
    }

    public int clockRate() {
        return (int) clockRate;
    }
}
