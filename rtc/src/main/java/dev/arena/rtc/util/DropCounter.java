package dev.arena.rtc.util;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts dropped input by a typed reason. Every parser and stage that throws input away counts it here
 * instead of logging, so a stats dump shows where packets go without costing anything per packet.
 *
 * @param <R> the enum of drop reasons of one stage
 */
public final class DropCounter<R extends Enum<R>> {
    private final Class<R> reasons;
    private final LongAdder[] counts;

    public DropCounter(Class<R> reasons) {
        this.reasons = Objects.requireNonNull(reasons);
        R[] values = reasons.getEnumConstants();
        this.counts = new LongAdder[values.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void count(R reason) {
        counts[reason.ordinal()].increment();
    }

    /** Counts {@code n} drops of one reason at once. */
    public void count(R reason, long n) {
        counts[reason.ordinal()].add(n);
    }

    public long get(R reason) {
        return counts[reason.ordinal()].sum();
    }

    public long total() {
        long sum = 0;
        for (LongAdder c : counts) {
            sum += c.sum();
        }
        return sum;
    }

    /** Non-zero counts by reason, for stats and logs. */
    public Map<R, Long> snapshot() {
        Map<R, Long> out = new EnumMap<>(reasons);
        for (R r : reasons.getEnumConstants()) {
            long v = counts[r.ordinal()].sum();
            if (v != 0) {
                out.put(r, v);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
