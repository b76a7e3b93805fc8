package dev.arena.bots.report;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The live progress line (every 2 s on stderr), e.g.
 * {@code t=12s joined 180/200 failed 0 | in 5400 pkt/s 9800 kbps | loss 0.02% | latency p50 12.1 ms p99 40.3 ms}:
 * bots present now of those planned, failed joins so far, the receive rate since the last line, loss after
 * retransmission since the start, and the latency percentiles of the last interval.
 */
public final class Progress {
    private final RunMetrics metrics;
    private final long planned;
    private final long startNanos;
    private MediaTotals previous = MediaTotals.ZERO;
    private long previousNanos;

    public Progress(RunMetrics metrics, long planned, long startNanos) {
        this.metrics = metrics;
        this.planned = planned;
        this.startNanos = startNanos;
        this.previousNanos = startNanos;
    }

    /** The line for now, with {@code interval} the latency samples since the previous line. One thread calls it. */
    public String line(long nowNanos, Histogram interval) {
        MediaTotals now = metrics.media();
        double dt = Math.max(nowNanos - previousNanos, 1) / 1e9;
        double pps = (now.packetsReceived() - previous.packetsReceived()) / dt;
        double kbps = (now.bytesReceived() - previous.bytesReceived()) * 8 / dt / 1000;
        previous = now;
        previousNanos = nowNanos;
        long present = metrics.joinedCount() - metrics.leftCount();
        return format((nowNanos - startNanos) / 1_000_000_000L, present, planned, metrics.failedCount(), pps, kbps,
                now.lossPercent(), interval);
    }

    static String format(long seconds, long present, long planned, long failed, double pps, double kbps,
                         double lossPercent, Histogram interval) {
        String latency = interval.getTotalCount() == 0 ? "latency -" : String.format(Locale.ROOT,
                "latency p50 %.1f ms p99 %.1f ms", interval.getValueAtPercentile(50) / 1000.0,
                interval.getValueAtPercentile(99) / 1000.0);
        return String.format(Locale.ROOT, "t=%ds joined %d/%d failed %d | in %.0f pkt/s %.0f kbps | loss %.2f%% | %s",
                seconds, present, planned, failed, pps, kbps, lossPercent, latency);
    }
}
