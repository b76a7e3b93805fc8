package dev.arena.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.report.Report;
import dev.arena.bots.report.ReportJson;
import dev.arena.bots.scenario.Fakes;
import dev.arena.bots.scenario.Fakes.FakeTarget;
import dev.arena.bots.scenario.Fakes.Outcome;
import dev.arena.bots.scenario.TargetOptions;
import dev.arena.bots.target.BotRole;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line: bad input exits 2 with a clear message; a run (with the test-only fake target and peers of
 * {@link Fakes}: this tests the CLI's parsing, wiring and exit codes, not the network) exits by its thresholds and
 * writes its JSON; merge combines shard files.
 */
class MainTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final AtomicReference<TargetOptions> targetOptions = new AtomicReference<>();

    int main(Map<String, String> env, Factories factories, String... args) {
        out.reset();
        err.reset();
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), factories, stop -> { });
    }

    int main(String... args) {
        return main(Map.of(), fakes(false), args);
    }

    Factories fakes(boolean stage) {
        // listeners whose index ends in 1 are refused: 2 of 20
        return new Factories(o -> {
            targetOptions.set(o);
            return new FakeTarget(stage, bot -> bot.role() == BotRole.LISTENER && bot.identity().endsWith("1")
                    ? Outcome.REFUSED : Outcome.OK);
        }, ctx -> new Fakes.Peers(), Fakes::source);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badInputExitsTwoWithAClearMessage() {
        record Case(List<String> args, String message) {
        }
        List<Case> cases = List.of(
                new Case(List.of("run", "--bogus"), "unknown option --bogus"),
                new Case(List.of("run", "--listeners"), "--listeners needs a value (N)"),
                new Case(List.of("run", "--listeners", "many"), "--listeners must be a whole number >= 0, got 'many'"),
                new Case(List.of("run", "--join-rate", "0"), "--join-rate must be a number > 0"),
                new Case(List.of("run", "--duration", "5 minutes"), "--duration must be a duration such as 60s"),
                new Case(List.of("run", "--scenario", "party"), "--scenario must be broadcast, conference, stage or churn"),
                new Case(List.of("run", "--target", "mediasoup"), "--target must be arena, janus or whip"),
                new Case(List.of("run", "--shard", "4/4"), "--shard shard must be i/n with 0 <= i < n, got 4/4"),
                new Case(List.of("run", "--video", "clip.mp4"), "--video must be sample, none, synthetic:KBPS or a .ivf file"),
                new Case(List.of("run", "--video", "missing.ivf"), "--video no readable file at 'missing.ivf'"),
                new Case(List.of("run", "--audio", "synthetic:fast"), "--audio synthetic needs a bit rate"),
                new Case(List.of("run", "--audio", "none", "--video", "none"), "publishers need something to send"),
                new Case(List.of("run", "--max-loss", "200"), "--max-loss must be a percentage 0..100"),
                new Case(List.of("run", "--max-failures", "lots"), "--max-failures must be a count such as 10 or a percentage"),
                new Case(List.of("run", "--url", "ftp://x"), "--url must be an http:// or https:// URL"),
                new Case(List.of("run", "--bind", "localhost"), "--bind must be an IP address"),
                new Case(List.of("run", "--api-key", "k1"), "--api-key needs its secret in $ARENA_API_SECRET"),
                new Case(List.of("run", "--quiet=yes"), "--quiet takes no value"),
                new Case(List.of("run", "--room", "a", "--room", "b"), "--room is given twice"),
                new Case(List.of("run", "extra"), "unexpected argument 'extra'"),
                new Case(List.of("run", "--scenario", "stage", "--speakers", "3", "--speak-time", "30s", "--duration", "60s"),
                        "--duration 60000ms is shorter than --speakers 3 x --speak-time 30000ms"),
                new Case(List.of("run", "--scenario", "stage"), "the stage scenario needs raised hands and a host; the fake target has no stage"),
                new Case(List.of("fly"), "unknown command 'fly'"),
                new Case(List.of("merge"), "merge needs the reports to merge"),
                new Case(List.of("merge", "a.json", "--listeners", "3"), "unknown option --listeners for merge"),
                new Case(List.of("merge", "nope.json"), "cannot read nope.json"));
        for (Case c : cases) {
            assertEquals(2, main(c.args.toArray(String[]::new)), c.args + ": " + err());
            assertTrue(err().startsWith("bots: " + c.message), c.args + " said: " + err());
            assertTrue(err().contains("bots --help"), err());
        }
    }

    @Test
    void aSourceThatCannotBeMadeIsAUsageErrorBeforeAnyBotStarts() {
        Factories broken = new Factories(fakes(false).targets(), ctx -> new Fakes.Peers(), spec -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("not an IVF file (no DKIF signature)"));
        });
        assertEquals(2, main(Map.of(), broken, "run", "--duration", "0s", "--quiet"));
        assertTrue(err().startsWith("bots: --audio sample: java.io.IOException: not an IVF file"), err());
        assertEquals(null, targetOptions.get(), "no target made");
    }

    @Test
    void helpListsEveryOptionFromTheTable() {
        assertEquals(0, main("--help"));
        for (Option o : Option.values()) {
            assertTrue(out().contains(o.flag()), o.flag());
        }
        assertTrue(out().contains("(default 20)"), out());
        assertEquals(0, main("run", "--help"));
        assertEquals(2, main(), "no command");
    }

    @Test
    void runExitsByMaxFailuresAndWritesItsReport() throws Exception {
        Path json = dir.resolve("reports/shard-0.json");
        String[] run = {"run", "--listeners", "20", "--publishers", "2", "--join-rate", "1000", "--duration", "0s",
                "--loops", "1", "--quiet", "--room", "r7", "--json", json.toString(), "--hdr-log",
                dir.resolve("latency.hlog").toString()};
        assertEquals(1, main(concat(run, "--max-failures", "1")), out() + err());
        assertTrue(out().contains("FAILED: failed joins 2 (9.09% of 22) > --max-failures 1"), out());
        assertTrue(out().contains("connection_refused"), out());
        Report r = ReportJson.read(json);
        assertEquals(22, r.started());
        assertEquals(2, r.failures().get("connection_refused").count());
        assertEquals(List.of("0/1"), r.shards());
        assertEquals("broadcast", r.scenario());
        assertEquals("fake", r.target());
        assertEquals("r7", targetOptions.get().room());
        assertEquals("arena", targetOptions.get().kind());
        assertTrue(Files.readString(dir.resolve("latency.hlog")).contains("#[StartTime:"));

        assertEquals(0, main(concat(run, "--max-failures", "10%")), out() + err());
        assertEquals(0, main(concat(run, "--max-failures", "2")), out() + err());
    }

    @Test
    void mergeCombinesShardReportsAndAppliesThresholds() throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path f = dir.resolve("shard-" + i + ".json");
            assertEquals(0, main("run", "--listeners", "20", "--publishers", "1", "--join-rate", "1000", "--duration",
                    "0s", "--loops", "1", "--quiet", "--shard", i + "/2", "--listener-delay", "0s", "--json", f.toString()));
            files.add(f.toString());
        }
        Path merged = dir.resolve("merged.json");
        List<String> args = new ArrayList<>(List.of("merge"));
        args.addAll(files);
        args.addAll(List.of("--json", merged.toString(), "--max-failures", "1"));
        assertEquals(1, main(args.toArray(String[]::new)), out() + err());
        Report m = ReportJson.read(merged);
        assertEquals(List.of("0/2", "1/2"), m.shards());
        assertEquals(21, m.started(), "1 publisher (shard 0) + 20 listeners");
        assertEquals(2, m.failed(), "listeners 1 and 11 (both of shard 1)");
        assertTrue(out().contains("shards 0/2 1/2"), out());

        Files.writeString(dir.resolve("junk.json"), "{}");
        assertEquals(2, main("merge", files.getFirst(), dir.resolve("junk.json").toString()));
        assertTrue(err().contains("junk.json: not a bots report"), err());
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
