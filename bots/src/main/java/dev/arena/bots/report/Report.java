package dev.arena.bots.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The result of a run (or of several shards merged): what {@code --json} writes and {@code bots merge} reads.
 * Histograms are in microseconds and carried encoded, so that merged percentiles are exact.
 *
 * @param version          format version of this JSON
 * @param target           arena, janus or whip
 * @param scenario         broadcast, conference, stage or churn
 * @param shards           the shards measured, e.g. {@code [0/4, 1/4]}
 * @param startedAt        when the (first) run started, ISO-8601 UTC
 * @param seconds          how long it ran (the longest shard, when merged)
 * @param planned          bots meant to be present at once
 * @param started          joins attempted
 * @param joined           joins that reached first media
 * @param left             bots that left (churn, end of the run)
 * @param failed           joins that failed, all reasons
 * @param promoted         listeners brought on stage that published (stage)
 * @param failures         failed joins per reason, with the first message of each
 * @param errors           trouble after joining per reason (a stage action refused, the server ended a session)
 * @param media            media counters summed over every bot
 * @param latencyNegative  latency samples below zero, not recorded (the sender's clock runs ahead)
 * @param latency          end-to-end latency (from abs-capture-time) of every received packet that carried it
 * @param joinPhases       signaling, ice, dtls, first_media and total join times
 */
public record Report(int version, String target, String scenario, List<String> shards, String startedAt,
                     double seconds, long planned, long started, long joined, long left, long failed, long promoted,
                     Map<String, Failure> failures, Map<String, Failure> errors, MediaTotals media,
                     long latencyNegative, HistogramSummary latency, Map<String, HistogramSummary> joinPhases) {
    public static final int VERSION = 1;

    /**
     * One report of several shards' reports: counters add, histograms merge exactly, the longest duration counts.
     *
     * @throws IllegalArgumentException when they are not of the same run (target or scenario differ) or empty
     */
    public static Report merge(List<Report> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        Report first = reports.getFirst();
        List<String> shards = new ArrayList<>();
        double seconds = 0;
        long planned = 0, started = 0, joined = 0, left = 0, failed = 0, promoted = 0, negative = 0;
        String startedAt = first.startedAt;
        Map<String, Failure> failures = new TreeMap<>();
        Map<String, Failure> errors = new TreeMap<>();
        MediaTotals media = MediaTotals.ZERO;
        Histogram latency = HistogramSummary.newHistogram();
        Map<String, Histogram> phases = new LinkedHashMap<>();
        for (Report r : reports) {
            if (r.version != VERSION) {
                throw new IllegalArgumentException("report format version " + r.version + " is not " + VERSION);
            }
            if (!r.target.equals(first.target) || !r.scenario.equals(first.scenario)) {
                throw new IllegalArgumentException("reports of different runs: " + first.target + "/" + first.scenario
                        + " and " + r.target + "/" + r.scenario);
            }
            shards.addAll(r.shards);
            seconds = Math.max(seconds, r.seconds);
            if (r.startedAt.compareTo(startedAt) < 0) {
                startedAt = r.startedAt; // ISO-8601 UTC sorts as text
            }
            planned += r.planned;
            started += r.started;
            joined += r.joined;
            left += r.left;
            failed += r.failed;
            promoted += r.promoted;
            negative += r.latencyNegative;
            r.failures.forEach((k, v) -> failures.merge(k, v, Failure::plus));
            r.errors.forEach((k, v) -> errors.merge(k, v, Failure::plus));
            media = media.plus(r.media);
            latency.add(r.latency.decode());
            r.joinPhases.forEach((k, v) -> phases.computeIfAbsent(k, x -> HistogramSummary.newHistogram()).add(v.decode()));
        }
        Map<String, HistogramSummary> phaseSummaries = new LinkedHashMap<>();
        phases.forEach((k, h) -> phaseSummaries.put(k, HistogramSummary.of(h)));
        return new Report(VERSION, first.target, first.scenario, List.copyOf(shards), startedAt, seconds, planned,
                started, joined, left, failed, promoted, failures, errors, media, negative,
                HistogramSummary.of(latency), phaseSummaries);
    }

    /** Failed joins in percent of the joins attempted. */
    public double failedPercent() {
        return started == 0 ? 0 : 100.0 * failed / started;
    }

    /** The report as people read it (stdout). */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Arena bots: %s against %s, shard%s %s, %.1f s from %s%n", scenario,
                target, shards.size() > 1 ? "s" : "", String.join(" ", shards), seconds, startedAt));
        long unfinished = started - joined - failed;
        b.append(String.format(Locale.ROOT, "%-12s planned %d  started %d  joined %d  failed %d (%.2f%%)  left %d%s%s%n",
                "bots", planned, started, joined, failed, failedPercent(), left,
                promoted > 0 ? "  promoted " + promoted : "",
                unfinished > 0 ? "  (" + unfinished + " still joining when the run stopped)" : ""));
        failures.forEach((reason, f) -> b.append(String.format(Locale.ROOT, "%-12s %-20s %8d  first: %s%n",
                "  failed", reason, f.count(), f.firstMessage())));
        errors.forEach((reason, f) -> b.append(String.format(Locale.ROOT, "%-12s %-20s %8d  first: %s%n",
                "  error", reason, f.count(), f.firstMessage())));
        double s = Math.max(seconds, 1e-9);
        b.append(String.format(Locale.ROOT, "%-12s %d packets  %.0f pkt/s  %.0f kbit/s (averages over the run)%n",
                "media in", media.packetsReceived(), media.packetsReceived() / s, media.bytesReceived() * 8 / s / 1000));
        b.append(String.format(Locale.ROOT,
                "%-12s %d of %d expected (%.3f%% after retransmission, %.3f%% before)  max jitter %.1f ms%n",
                "  lost", media.packetsLost(), media.packetsExpected(), media.lossPercent(),
                media.lossBeforeRetransmissionPercent(), media.maxJitterMicros() / 1000.0));
        b.append(String.format(Locale.ROOT, "%-12s rtx %d  nacks %d  plis %d  auth failures %d%n", "  repair",
                media.rtxReceived(), media.nacksSent(), media.plisSent(), media.authFailures()));
        b.append(String.format(Locale.ROOT, "%-12s %d packets  %.0f pkt/s  %.0f kbit/s%n", "media out",
                media.packetsSent(), media.packetsSent() / s, media.bytesSent() * 8 / s / 1000));
        b.append(String.format(Locale.ROOT, "%-12s %10s %9s %9s %9s %9s %9s %9s%n", "ms", "samples", "mean", "p50",
                "p90", "p99", "p99.9", "max"));
        row(b, "latency", latency);
        joinPhases.forEach((k, v) -> row(b, "join " + k.replace('_', ' '), v));
        if (latencyNegative > 0) {
            b.append(String.format(Locale.ROOT, "%-12s %d latency samples below 0 left out: are the clocks of the"
                    + " machines in sync?%n", "warning", latencyNegative));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, HistogramSummary h) {
        if (h.count() == 0) {
            b.append(String.format(Locale.ROOT, "%-17s %5d %9s %9s %9s %9s %9s %9s%n", name, 0, "-", "-", "-", "-", "-",
                    "-"));
            return;
        }
        b.append(String.format(Locale.ROOT, "%-17s %5d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f%n", name, h.count(),
                h.meanMs(), h.p50Ms(), h.p90Ms(), h.p99Ms(), h.p999Ms(), h.maxMs()));
    }
}
