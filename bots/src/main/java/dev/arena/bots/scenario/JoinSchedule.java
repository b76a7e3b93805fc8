package dev.arena.bots.scenario;

import dev.arena.bots.target.BotRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When each bot of this shard starts: the k-th bot of a phase (publishers, then listeners) starts k / join-rate
 * seconds after the phase starts, k counted across the whole run so that n shards together ramp at the join rate.
 * Listeners start when the publishers are up (shard 0 waits for them; the other shards wait
 * {@link #listenerDelayElsewhere}). Computed, not timed, so it can be checked.
 */
public final class JoinSchedule {
    private JoinSchedule() {
    }

    /**
     * One bot to start.
     *
     * @param atNanos  after the start of its phase
     */
    public record Slot(BotRole role, int index, String identity, long atNanos) {
    }

    /** This shard's publishers: all of them in shard 0, or its slice in a conference. */
    public static List<Slot> publishers(RunPlan plan) {
        List<Slot> out = new ArrayList<>();
        boolean sliced = plan.slicedPublishers();
        for (int k = 0; k < plan.publishers(); k++) {
            if (sliced ? plan.shard().owns(k) : plan.shard().isFirst()) {
                out.add(slot(plan, BotRole.PUBLISHER, k));
            }
        }
        return out;
    }

    /** This shard's listeners. */
    public static List<Slot> listeners(RunPlan plan) {
        List<Slot> out = new ArrayList<>();
        for (int k = 0; k < plan.listeners(); k++) {
            if (plan.shard().owns(k)) {
                out.add(slot(plan, BotRole.LISTENER, k));
            }
        }
        return out;
    }

    /** The listener that churn starts as the {@code j}-th replacement in this shard (indices stay unique). */
    public static Slot replacement(RunPlan plan, int j) {
        int n = plan.shard().count();
        int base = (plan.listeners() + n - 1) / n * n; // the first multiple of n past the planned listeners
        int index = base + j * n + plan.shard().index();
        return new Slot(BotRole.LISTENER, index, plan.shard().identity(BotRole.LISTENER, index, false), 0);
    }

    /**
     * How long a shard without publishers waits before its listeners: the flag's value, else the time shard 0
     * takes to start its publishers plus a margin for them to connect; zero when no shard has publishers to wait
     * for (none, or a conference where each shard has its own).
     */
    public static Duration listenerDelayElsewhere(RunPlan plan) {
        if (plan.listenerDelay() != null) {
            return plan.listenerDelay();
        }
        if (plan.publishers() == 0 || plan.slicedPublishers()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(at(plan, plan.publishers() - 1)).plus(RunPlan.PUBLISHER_MARGIN);
    }

    /** Period between two churn replacements in this shard (the run's rate shared by the shards). */
    public static Duration churnPeriod(RunPlan plan) {
        return Duration.ofNanos(Math.max(1, Math.round(1e9 * plan.shard().count() / plan.churnRate())));
    }

    private static Slot slot(RunPlan plan, BotRole role, int k) {
        return new Slot(role, k, plan.shard().identity(role, k, plan.slicedPublishers()), at(plan, k));
    }

    private static long at(RunPlan plan, int k) {
        return Math.round(k * 1e9 / plan.joinRate());
    }
}
