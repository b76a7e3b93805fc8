package dev.arena.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.report.Report;
import dev.arena.bots.report.ReportJson;
import dev.arena.bots.target.ArenaNodes;
import dev.arena.bots.target.JanusServer;
import dev.arena.server.Node;
import dev.arena.server.auth.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tests the suite runs, through the command line's own code path (Main.run with the real targets, peers and
 * media): against an embedded Arena node, 1 publisher and 200 listening bots for 20 s; against a real Janus, 1
 * publisher and 20 listeners. The thresholds are the CLI's own (--max-loss, --max-failures), so the exit code
 * is what a CI job gating on a load test would see; the JSON report is read back and checked too.
 */
class LoadTest {
    @TempDir
    Path dir;

    @Test
    void arenaNodeCarriesOnePublisherToTwoHundredListeningBots() throws Exception {
        try (Node node = ArenaNodes.start()) {
            Path json = dir.resolve("arena.json");
            Path hdr = dir.resolve("arena.hlog");
            Run run = run(Map.of(ApiKeys.ENV_KEY, ArenaNodes.KEY.id(), ApiKeys.ENV_SECRET, ArenaNodes.KEY.secret()),
                    "run", "--target", "arena", "--url", ArenaNodes.http(node).toString(), "--room", "load",
                    "--publishers", "1", "--listeners", "200", "--join-rate", "50", "--duration", "20s",
                    "--bind", "127.0.0.1", "--max-loss", "0.5", "--max-failures", "0", "--json", json.toString(),
                    "--hdr-log", hdr.toString(), "--quiet");
            Report report = ReportJson.read(json);
            assertEquals(Main.PASSED, run.exit, "exit code by the thresholds (loss < 0.5%, no failed join)\n" + run);
            assertEquals(201, report.joined(), "every bot joined (reached first media): " + report.failures());
            assertEquals(0, report.failed());
            assertTrue(report.media().packetsReceived() > 200L * 20 * 50,
                    "200 listeners x 20 s x (30 video + 50 audio packets/s) at the very least: " + report.media());
            assertTrue(report.media().lossPercent() < 0.5, "loss after retransmission: " + report.media());
            assertEquals(0, report.media().authFailures(), "every packet authenticated");
            assertTrue(report.latency().count() > 100_000, "a latency sample per packet: " + report.latency());
            assertTrue(report.latency().p50Ms() > 0 && report.latency().p50Ms() < 1000,
                    "end-to-end latency p50 on loopback: " + report.latency());
            assertTrue(run.out.contains("latency"), "the text report has the latency row:\n" + run.out);
            assertTrue(Files.readString(hdr).contains("#[Histogram log format version"),
                    "an HdrHistogram log was written");
        }
    }

    @Test
    void stageConferenceAndChurnScenariosRunAgainstARealNode() throws Exception {
        try (Node node = ArenaNodes.start()) {
            Map<String, String> env = Map.of(ApiKeys.ENV_KEY, ArenaNodes.KEY.id(), ApiKeys.ENV_SECRET,
                    ArenaNodes.KEY.secret());
            String url = ArenaNodes.http(node).toString();
            Path stageJson = dir.resolve("stage.json");
            Run stage = run(env, "run", "--url", url, "--room", "stage", "--scenario", "stage", "--publishers", "1",
                    "--listeners", "6", "--speakers", "2", "--speak-time", "3s", "--duration", "8s", "--bind",
                    "127.0.0.1", "--max-failures", "0", "--json", stageJson.toString(), "--quiet");
            Report s = ReportJson.read(stageJson);
            assertEquals(Main.PASSED, stage.exit, stage.toString());
            assertEquals(2, s.promoted(), "two listeners raised a hand, were brought on stage and published: " + s);
            assertTrue(s.errors().isEmpty(), "no stage action refused, no session ended: " + s.errors());

            Path conferenceJson = dir.resolve("conference.json");
            Run conference = run(env, "run", "--url", url, "--room", "conference", "--scenario", "conference",
                    "--publishers", "3", "--listeners", "0", "--duration", "5s", "--bind", "127.0.0.1",
                    "--max-failures", "0", "--max-loss", "1", "--json", conferenceJson.toString(), "--quiet");
            Report c = ReportJson.read(conferenceJson);
            assertEquals(Main.PASSED, conference.exit, conference.toString());
            assertEquals(3, c.joined());
            assertTrue(c.media().packetsReceived() > 3L * 2 * 5 * 50,
                    "each of 3 participants receives the other two: " + c.media());

            Path churnJson = dir.resolve("churn.json");
            Run churn = run(env, "run", "--url", url, "--room", "churn", "--scenario", "churn", "--listeners", "6",
                    "--churn-rate", "2", "--duration", "5s", "--bind", "127.0.0.1", "--max-failures", "0",
                    "--json", churnJson.toString(), "--quiet");
            Report ch = ReportJson.read(churnJson);
            assertEquals(Main.PASSED, churn.exit, churn.toString());
            assertTrue(ch.started() > 7 + 4, "listeners left and were replaced at 2/s: " + ch);
            assertEquals(0, ch.failed(), "no join failed, none cut short by the end of the run: " + ch.failures());
            assertEquals(ch.started(), ch.joined(), "every replacement joined before the run ended");
        }
    }

    @Test
    void janusVideoRoomCarriesOnePublisherToTwentyListeningBots() throws Exception {
        try (JanusServer janus = JanusServer.start()) {
            Path json = dir.resolve("janus.json");
            // Janus's ICE socket is tied to the veth with 127.0.0.2: the bots bind that address (see JanusServer)
            Run run = run(Map.of(), "run", "--target", "janus", "--janus-url", janus.url().toString(),
                    "--room", "4242", "--publishers", "1", "--listeners", "20", "--join-rate", "20",
                    "--duration", "8s", "--bind", JanusServer.ADDRESS, "--max-failures", "0", "--max-loss", "1",
                    "--json", json.toString(), "--quiet");
            Report report = ReportJson.read(json);
            assertEquals(Main.PASSED, run.exit, run.toString());
            assertEquals(21, report.joined(), "publisher and 20 subscribers joined: " + report.failures());
            assertTrue(report.media().packetsReceived() > 20L * 8 * 50,
                    "each of the 20 subscribers received Janus's relay of the publisher: " + report.media());
            assertEquals(0, report.media().authFailures());
        }
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Factories.standard(), stop -> { });
        Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("bots " + String.join(" ", args) + "\n" + run); // the report, for the test log
        return run;
    }
}
