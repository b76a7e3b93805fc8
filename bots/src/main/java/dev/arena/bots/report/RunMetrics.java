package dev.arena.bots.report;

import dev.arena.bots.peer.PeerStats;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one run measures, fed from every bot's loop at once (thread-safe): end-to-end latency (what
 * {@code BotContext.latencyMicros} feeds), the join phases, counters, failures per reason, and the media counters of
 * live and finished bots. Values are recorded into HdrHistogram {@link Recorder}s (wait-free for the bots) and
 * folded into cumulative histograms by the one thread that samples them ({@link #sampleLatency()}, {@link #snapshot}).
 */
public final class RunMetrics {
    /** The steps of a join, each timed on its own; TOTAL is from the start of the join to the first media. */
    public enum Phase {
        SIGNALING("signaling"), ICE("ice"), DTLS("dtls"), FIRST_MEDIA("first_media"), TOTAL("total");

        private final String key;

        Phase(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private final Recorder latency = new Recorder(HistogramSummary.DIGITS);
    private final Histogram latencyTotal = HistogramSummary.newHistogram();
    private final Map<Phase, Recorder> phases = new EnumMap<>(Phase.class);
    private final Map<Phase, Histogram> phaseTotals = new EnumMap<>(Phase.class);
    private final AtomicLong negativeLatency = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong joined = new AtomicLong();
    private final AtomicLong left = new AtomicLong();
    private final AtomicLong promoted = new AtomicLong();
    private final Map<String, Counter> joinFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Set<Supplier<PeerStats>> live = ConcurrentHashMap.newKeySet();
    private final AtomicReference<MediaTotals> finished = new AtomicReference<>(MediaTotals.ZERO);

    public RunMetrics() {
        for (Phase p : Phase.values()) {
            phases.put(p, new Recorder(HistogramSummary.DIGITS));
            phaseTotals.put(p, HistogramSummary.newHistogram());
        }
    }

    /** One end-to-end latency sample. A negative one (the sender's clock is ahead) is counted, not recorded. */
    public void recordLatency(long micros) {
        if (micros < 0) {
            negativeLatency.incrementAndGet();
        } else {
            latency.recordValue(micros);
        }
    }

    public void recordPhase(Phase phase, long nanos) {
        if (nanos >= 0) {
            phases.get(phase).recordValue(nanos / 1000);
        }
    }

    public void started() {
        started.incrementAndGet();
    }

    public void joined() {
        joined.incrementAndGet();
    }

    public void left() {
        left.incrementAndGet();
    }

    public void promoted() {
        promoted.incrementAndGet();
    }

    /** A bot that could not join, by reason (a TargetException's reason, {@code ice_failed}, {@code timeout}...). */
    public void joinFailed(String reason, String message) {
        count(joinFailures, reason, message);
    }

    /** Something that went wrong after a bot joined (a stage action, the server ending the session). */
    public void error(String reason, String message) {
        count(errors, reason, message);
    }

    /** Counts {@code bot}'s media while it lives; {@link #finished} takes over its last figures. */
    public void live(Supplier<PeerStats> bot) {
        live.add(bot);
    }

    /** {@code bot} is gone: its last stats join the finished total. */
    public void finished(Supplier<PeerStats> bot) {
        if (live.remove(bot)) {
            MediaTotals last = MediaTotals.of(bot.get());
            finished.accumulateAndGet(last, MediaTotals::plus);
        }
    }

    public long startedCount() {
        return started.get();
    }

    public long joinedCount() {
        return joined.get();
    }

    public long leftCount() {
        return left.get();
    }

    public long failedCount() {
        return joinFailures.values().stream().mapToLong(c -> c.count.get()).sum();
    }

    /** Media counters of finished bots plus the current ones of live bots. */
    public MediaTotals media() {
        MediaTotals sum = finished.get();
        for (Supplier<PeerStats> bot : live) {
            sum = sum.plus(MediaTotals.of(bot.get()));
        }
        return sum;
    }

    /**
     * The latency samples since the previous call (also added to the run's total). One thread calls it (the
     * progress ticker, then the final report).
     */
    public synchronized Histogram sampleLatency() {
        Histogram interval = latency.getIntervalHistogram();
        latencyTotal.add(interval);
        return interval;
    }

    /** The report so far; {@code planned} and the names describe the run. */
    public synchronized Report snapshot(String target, String scenario, String shard, String startedAt,
                                        double seconds, long planned) {
        sampleLatency();
        Map<String, HistogramSummary> phaseSummaries = new java.util.LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            phaseTotals.get(p).add(phases.get(p).getIntervalHistogram());
            phaseSummaries.put(p.key(), HistogramSummary.of(phaseTotals.get(p)));
        }
        return new Report(Report.VERSION, target, scenario, java.util.List.of(shard), startedAt, seconds, planned,
                started.get(), joined.get(), left.get(), failedCount(), promoted.get(), failures(joinFailures),
                failures(errors), media(), negativeLatency.get(), HistogramSummary.of(latencyTotal), phaseSummaries);
    }

    private static Map<String, Failure> failures(Map<String, Counter> counters) {
        Map<String, Failure> out = new TreeMap<>();
        counters.forEach((reason, c) -> out.put(reason, new Failure(c.count.get(), c.firstMessage)));
        return out;
    }

    private static void count(Map<String, Counter> counters, String reason, String message) {
        String key = reason == null || reason.isBlank() ? "error" : reason;
        counters.computeIfAbsent(key, k -> new Counter(message)).count.incrementAndGet();
    }

    private static final class Counter {
        final AtomicLong count = new AtomicLong();
        final String firstMessage;

        Counter(String firstMessage) {
            this.firstMessage = firstMessage;
        }
    }
}
