package dev.arena.bots.peer;

import java.time.Instant;

/**
 * Wall-clock time for abs-capture-time and sender reports, read cheaply: the epoch is taken once from
 * {@link Instant#now()} (microsecond precision on Linux) and followed with {@link System#nanoTime()} after that, so
 * a per-packet read allocates nothing. Bots in one process share the same base, so their latencies are exact
 * between them; across processes the figure is as good as the machines' NTP sync.
 */
final class WallClock {
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
    static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long EPOCH_MINUS_MONOTONIC;

    static {
        Instant now = Instant.now();
        long mono = System.nanoTime();
        EPOCH_MINUS_MONOTONIC = now.getEpochSecond() * NANOS_PER_SECOND + now.getNano() - mono;
    }

    private WallClock() {
    }

    /** Nanoseconds since 1970 of a {@link System#nanoTime()} reading. */
    static long epochNanos(long monotonicNanos) {
        return monotonicNanos + EPOCH_MINUS_MONOTONIC;
    }

    /** The 64-bit NTP timestamp (UQ32.32 seconds since 1900) of epoch nanoseconds. */
    static long ntp(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(epochNanos, NANOS_PER_SECOND);
        return ((seconds + NTP_UNIX_OFFSET_SECONDS) << 32) | ((nanos << 32) / NANOS_PER_SECOND);
    }

    /** Epoch nanoseconds of a 64-bit NTP timestamp (era 0, that is until 2036). */
    static long epochNanosOfNtp(long ntp) {
        long seconds = (ntp >>> 32) - NTP_UNIX_OFFSET_SECONDS;
        long fraction = ntp & 0xFFFF_FFFFL;
        return seconds * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> 32);
    }
}
