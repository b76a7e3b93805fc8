package dev.arena.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) or SIGTERM on a running {@code bots run}, in its own JVM: the run stops, the bots leave, the partial report
 * is printed and written, and the exit code follows the thresholds over what was measured.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void aSignalPrintsThePartialReportAndExitsByThresholds() throws Exception {
        Path json = dir.resolve("partial.json");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                FakeTargetMain.class.getName(), "run", "--listeners", "5", "--duration", "10m", "--loops", "1",
                "--max-failures", "0", "--json", json.toString()))
                .redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = err.readLine(); // up to the first progress line: the run is under way
            } while (line != null && !line.startsWith("t="));
            assertTrue(line != null && line.startsWith("t="), "progress line: " + line);
            // SIGTERM runs the same shutdown hook as Ctrl-C's SIGINT; SIGINT itself is ignored by a JVM whose parent
            // was started as a background job of a shell (as a CI runner may do), so the test cannot rely on it
            new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited after SIGTERM");
            String out = Files.readString(dir.resolve("out.txt"));
            assertEquals(1, p.exitValue(), "one join failed, --max-failures 0: " + out);
            assertTrue(out.contains("Arena bots: broadcast against fake"), out);
            assertTrue(out.contains("FAILED: failed joins 1"), out);
            assertTrue(Files.readString(json).contains("\"connection_refused\""));
        } finally {
            p.destroyForcibly();
        }
    }
}
