package dev.arena.bots.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.peer.PeerStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging shard reports, the JSON round trip, thresholds and exit codes, the progress line, the HdrHistogram log. */
class ReportTest {
    @TempDir
    Path dir;

    static PeerStats stats(long received, long expected) {
        return new PeerStats(received, received * 1200, expected, expected - received, 3, 2, 1, 0, 4_000, 0, 0,
                1_000_000, 2_000_000, 3_000_000);
    }

    /** A shard's report with {@code samples} latency values, some failures and one bot's media. */
    static Report shard(String shard, long[] samples, String failReason, int failures) {
        RunMetrics m = new RunMetrics();
        for (long v : samples) {
            m.recordLatency(v);
        }
        for (int i = 0; i < failures; i++) {
            m.started();
            m.joinFailed(failReason, shard + " failure " + i);
        }
        for (int i = 0; i < 10; i++) {
            m.started();
            m.joined();
            m.recordPhase(RunMetrics.Phase.TOTAL, (i + 1) * 10_000_000L);
        }
        PeerStats s = stats(990, 1000);
        m.live(() -> s);
        return m.snapshot("arena", "broadcast", shard, "2026-11-25T16:00:0" + shard.charAt(0) + "Z", 30, 10);
    }

    static long[] randomSamples(long seed, int n) {
        Random r = new Random(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (long) Math.abs(r.nextGaussian() * 20_000 + 15_000) + (r.nextInt(100) == 0 ? 400_000 : 0);
        }
        return out;
    }

    @Test
    void mergedPercentilesAreThoseOfOneHistogramOfAllSamples() {
        long[] a = randomSamples(1, 50_000);
        long[] b = randomSamples(2, 20_000);
        Report merged = Report.merge(List.of(shard("0/2", a, "timeout", 2), shard("1/2", b, "http_401", 1)));

        Histogram all = HistogramSummary.newHistogram();
        for (long v : a) {
            all.recordValue(v);
        }
        for (long v : b) {
            all.recordValue(v);
        }
        Histogram m = merged.latency().decode();
        assertEquals(all.getTotalCount(), m.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            assertEquals(all.getValueAtPercentile(p), m.getValueAtPercentile(p), "p" + p);
        }
        HistogramSummary one = HistogramSummary.of(all);
        HistogramSummary got = merged.latency();
        assertEquals(List.of(one.count(), one.meanMs(), one.p50Ms(), one.p90Ms(), one.p99Ms(), one.p999Ms(), one.maxMs()),
                List.of(got.count(), got.meanMs(), got.p50Ms(), got.p90Ms(), got.p99Ms(), got.p999Ms(), got.maxMs()),
                "the same summary");
        assertEquals(List.of("0/2", "1/2"), merged.shards());
        assertEquals(23, merged.started());
        assertEquals(20, merged.joined());
        assertEquals(3, merged.failed());
        assertEquals(2, merged.failures().get("timeout").count());
        assertEquals("0/2 failure 0", merged.failures().get("timeout").firstMessage());
        assertEquals(1, merged.failures().get("http_401").count());
        assertEquals(1980, merged.media().packetsReceived());
        assertEquals(20, merged.media().packetsLost());
        assertEquals(1.0, merged.media().lossPercent(), 1e-9);
        assertEquals(4_000, merged.media().maxJitterMicros(), "jitter: the largest, not a sum");
        assertEquals(20, merged.joinPhases().get("total").count());
        assertEquals("2026-11-25T16:00:00Z", merged.startedAt());
        assertTrue(merged.toText().contains("timeout"), merged.toText());
    }

    @Test
    void reportsOfDifferentRunsDoNotMerge() {
        Report a = shard("0/2", new long[] {1}, "x", 0);
        Report b = new Report(a.version(), "janus", a.scenario(), a.shards(), a.startedAt(), a.seconds(), a.planned(),
                a.started(), a.joined(), a.left(), a.failed(), a.promoted(), a.failures(), a.errors(), a.media(),
                a.latencyNegative(), a.latency(), a.joinPhases());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Report.merge(List.of(a, b)));
        assertTrue(e.getMessage().contains("different runs"), e.getMessage());
    }

    @Test
    void jsonRoundTripKeepsEverythingAndMergesFromFiles() throws Exception {
        Report r = shard("0/1", randomSamples(3, 1000), "ice_failed", 4);
        Path file = dir.resolve("out/shard-0.json");
        ReportJson.write(r, file);
        Report back = ReportJson.read(file);
        assertEquals(r, back);
        assertEquals(r.latency().decode(), back.latency().decode());
        assertTrue(Files.readString(file).contains("\"firstMessage\" : \"0/1 failure 0\""));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportJson.read("{\"a\": 1}"));
        assertTrue(e.getMessage().contains("not a bots report"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReportJson.read("not json"));
    }

    @Test
    void thresholdsSetTheExitCode() {
        Report r = shard("0/1", new long[] {10_000, 20_000, 30_000, 500_000}, "timeout", 3); // 1% loss, 3 of 13 failed
        assertEquals(0, Thresholds.NONE.exitCode(r));
        assertEquals(0, new Thresholds(1.0, null, null).exitCode(r));
        assertEquals(1, new Thresholds(0.5, null, null).exitCode(r));
        assertTrue(new Thresholds(0.5, null, null).violations(r).getFirst().contains("--max-loss 0.5"));
        assertEquals(0, new Thresholds(null, 501.0, null).exitCode(r));
        assertEquals(1, new Thresholds(null, 100.0, null).exitCode(r));
        assertEquals(0, new Thresholds(null, null, Thresholds.FailureLimit.parse("3")).exitCode(r));
        assertEquals(1, new Thresholds(null, null, Thresholds.FailureLimit.parse("2")).exitCode(r));
        assertEquals(0, new Thresholds(null, null, Thresholds.FailureLimit.parse("25%")).exitCode(r), "23%");
        assertEquals(1, new Thresholds(null, null, Thresholds.FailureLimit.parse("20%")).exitCode(r));
        assertEquals(2, new Thresholds(0.1, 1.0, Thresholds.FailureLimit.parse("0")).violations(r).size() - 1);

        // asked for but not measured: fails
        Report empty = new RunMetrics().snapshot("arena", "broadcast", "0/1", "2026-11-25T16:00:00Z", 1, 1);
        assertEquals(0, Thresholds.NONE.exitCode(empty), "nothing started, nothing asked");
        assertEquals(1, new Thresholds(null, 100.0, null).exitCode(empty));
        assertEquals(1, new Thresholds(5.0, null, null).exitCode(empty));
        // no bot joined: fails without any threshold
        RunMetrics allFailed = new RunMetrics();
        allFailed.started();
        allFailed.joinFailed("connection_refused", "s0-publisher-0: refused");
        Report none = allFailed.snapshot("arena", "broadcast", "0/1", "2026-11-25T16:00:00Z", 1, 1);
        assertEquals(List.of("no bot joined (1 failed): nothing was measured"), Thresholds.NONE.violations(none));
        assertTrue(none.toText().contains("latency               0         -"), none.toText());
        for (String bad : List.of("x", "-1", "101%", "1.5")) {
            assertThrows(IllegalArgumentException.class, () -> Thresholds.FailureLimit.parse(bad), bad);
        }
    }

    @Test
    void negativeLatencyIsCountedNotRecorded() {
        RunMetrics m = new RunMetrics();
        m.recordLatency(-5);
        m.recordLatency(7);
        Report r = m.snapshot("arena", "broadcast", "0/1", "2026-11-25T16:00:00Z", 1, 1);
        assertEquals(1, r.latency().count());
        assertEquals(1, r.latencyNegative());
        assertTrue(r.toText().contains("clocks"), r.toText());
    }

    @Test
    void progressLine() {
        Histogram h = HistogramSummary.newHistogram();
        for (int i = 0; i < 100; i++) {
            h.recordValue(12_100);
        }
        h.recordValue(40_300);
        h.recordValue(40_300);
        assertEquals("t=12s joined 180/200 failed 0 | in 5400 pkt/s 9800 kbps | loss 0.02% | latency p50 12.1 ms p99 40.3 ms",
                Progress.format(12, 180, 200, 0, 5400, 9800, 0.02, h));
        assertEquals("t=0s joined 0/10 failed 2 | in 0 pkt/s 0 kbps | loss 0.00% | latency -",
                Progress.format(0, 0, 10, 2, 0, 0, 0, HistogramSummary.newHistogram()));

        RunMetrics m = new RunMetrics();
        m.joined();
        PeerStats s = stats(1000, 1000);
        m.live(() -> s);
        String line = new Progress(m, 5, 0).line(2_000_000_000L, HistogramSummary.newHistogram());
        assertEquals("t=2s joined 1/5 failed 0 | in 500 pkt/s 4800 kbps | loss 0.00% | latency -", line);
    }

    @Test
    void hdrLogHasOneIntervalHistogramPerTick() throws Exception {
        Path file = dir.resolve("latency.hlog");
        RunMetrics m = new RunMetrics();
        try (HdrLog log = new HdrLog(file, 1_700_000_000_000L)) {
            m.recordLatency(1000);
            m.recordLatency(2000);
            log.interval(m.sampleLatency(), 1_700_000_002_000L);
            m.recordLatency(3000);
            log.interval(m.sampleLatency(), 1_700_000_004_000L);
        }
        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        Histogram first = (Histogram) reader.nextIntervalHistogram();
        Histogram second = (Histogram) reader.nextIntervalHistogram();
        assertEquals(2, first.getTotalCount());
        assertEquals(1, second.getTotalCount());
        assertEquals(3000, second.getMaxValue(), 3000 / 1000.0);
        assertEquals(null, reader.nextIntervalHistogram());
    }
}
