package dev.arena.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.DevApiKeyFile;
import dev.arena.server.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link Node} in-process on free ports, and {@code ./arena}'s exit codes. */
class NodeTest {

    private static Config config(Path dataDir) {
        return Config.load(new String[] {"--http-port", "0", "--udp-port", "0", "--data-dir", dataDir.toString()},
                Map.of());
    }

    @Test
    void theDevelopmentKeyIsKeptAndReusedSoTokensSurviveARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        ApiKey first;
        try (Node node = Node.start(config(data))) {
            assertTrue(node.apiKeys().devMode());
            first = node.apiKeys().primary();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> root = client.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, root.statusCode(), "the web module's demo app at /");
            assertTrue(root.body().contains("/app/app.js"), root.body());
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        Path file = data.resolve(DevApiKeyFile.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        try (Node again = Node.start(config(data))) {
            assertEquals(first, again.apiKeys().primary(), "the same key after a restart");
        }
        Files.writeString(file, "key=broken\n");
        try (Node broken = Node.start(config(data))) {
            assertTrue(broken.apiKeys().devMode(), "an unusable file is reported, the node still starts");
        }
    }

    @Test
    void aConfiguredKeyIsUsedAndNothingIsSaved(@TempDir Path dir) throws Exception {
        String secret = "s".repeat(40);
        try (Node node = Node.start(Config.load(new String[] {"--http-port", "0", "--udp-port", "0", "--data-dir",
                dir.toString()}, Map.of("ARENA_API_KEY", "prod", "ARENA_API_SECRET", secret)))) {
            assertEquals(new ApiKey("prod", secret), node.apiKeys().primary());
            assertTrue(!node.apiKeys().devMode());
        }
        assertTrue(Files.notExists(dir.resolve(DevApiKeyFile.FILE_NAME)));
    }

    @Test
    void badSettingsExitWithCode2AndHelpWith0(@TempDir Path dir) throws Exception {
        Run bad = run("--http-port", "nope");
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("--http-port: must be a port number"), bad.err);
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not PEM");
        Run badTls = run("--tls-cert", garbage.toString(), "--tls-key", garbage.toString(), "--http-port", "0",
                "--udp-port", "0", "--data-dir", dir.toString());
        assertEquals(2, badTls.code, badTls.err);
        assertTrue(badTls.err.contains("tls-cert/tls-key: cannot load"), badTls.err);
        Run help = run("--help");
        assertEquals(0, help.code, help.err);
        assertTrue(help.out.contains("--udp-port N") && help.out.contains("ARENA_TLS_CERT"), help.out);
    }

    private record Run(int code, String out, String err) {
    }

    /** {@code ./arena ARGS} as a process on this test's classpath. */
    private static Run run(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }
}
