package dev.arena.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.server.auth.AccessClaims;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.auth.Grants;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenException;
import dev.arena.server.auth.TokenVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./arena token}, run in-process through {@link Main#command}. */
class TokenCommandTest {
    private static final String SECRET = "cli-secret-cli-secret-cli-secret-cli-secret";

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>();
        all.add("token");
        all.addAll(List.of(args));
        assertTrue(Main.isCommand("token"));
        int code = Main.command(all.toArray(String[]::new), env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void printsATokenThatVerifies() throws TokenException {
        Instant before = Instant.now();
        Run r = run("--room", "launch", "--identity", "u1", "--role", "listener", "--name", "Ursula",
                "--ttl", "90m", "--key", "cli", "--secret", SECRET);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        String token = r.out().strip();
        assertEquals(r.out(), token + System.lineSeparator());
        AccessClaims c = new TokenVerifier(ApiKeys.of(new ApiKey("cli", SECRET))).verify(token, "launch");
        assertEquals("u1", c.identity());
        assertEquals("Ursula", c.name());
        assertEquals(Role.LISTENER, c.role());
        assertEquals(Grants.forRole(Role.LISTENER), c.grants());
        assertEquals(Duration.ofMinutes(90), Duration.between(c.issuedAt(), c.expiresAt()));
        assertTrue(!c.issuedAt().isBefore(before.minusSeconds(1)));
    }

    @Test
    void serverTokenForTheRestApi() throws TokenException {
        Run r = run(Map.of(ApiKeys.ENV_KEY, "envkey", ApiKeys.ENV_SECRET, SECRET), "--server", "--name", "backend",
                "--ttl", "1h");
        assertEquals(0, r.code(), r.err());
        TokenVerifier verifier = new TokenVerifier(ApiKeys.of(new ApiKey("envkey", SECRET)));
        dev.arena.server.auth.ServerClaims c = verifier.verifyServer(r.out().strip());
        assertEquals("backend", c.subject());
        assertEquals("envkey", c.keyId());
        TokenException notARoomToken = org.junit.jupiter.api.Assertions.assertThrows(TokenException.class,
                () -> verifier.verify(r.out().strip(), "r"));
        assertEquals(TokenException.Code.MALFORMED, notARoomToken.code());
        Run bad = run(Map.of(ApiKeys.ENV_KEY, "envkey", ApiKeys.ENV_SECRET, SECRET), "--server", "--room", "r");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--server"), bad.err());
    }

    @Test
    void keyFromTheEnvironmentAndDefaultTtl() throws TokenException {
        Run r = run(Map.of(ApiKeys.ENV_KEY, "envkey", ApiKeys.ENV_SECRET, SECRET),
                "--room", "r", "--identity", "h", "--role", "host");
        assertEquals(0, r.code(), r.err());
        AccessClaims c = new TokenVerifier(ApiKeys.of(new ApiKey("envkey", SECRET))).verify(r.out().strip(), "r");
        assertEquals(Role.HOST, c.role());
        assertTrue(c.grants().roomAdmin());
        assertEquals(Duration.ofHours(6), Duration.between(c.issuedAt(), c.expiresAt()));
    }

    @Test
    void helpGoesToStdout() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--identity"), r.out());
    }

    @Test
    void badInputExitsTwoWithAMessage() {
        String[] key = {"--key", "k", "--secret", SECRET};
        assertBad("--room is required", concat(new String[] {"--identity", "i", "--role", "host"}, key));
        assertBad("--identity is required", concat(new String[] {"--room", "r", "--role", "host"}, key));
        assertBad("--role is required", concat(new String[] {"--room", "r", "--identity", "i"}, key));
        assertBad("--role must be host, speaker or listener",
                concat(new String[] {"--room", "r", "--identity", "i", "--role", "king"}, key));
        assertBad("--ttl must be", concat(new String[] {"--room", "r", "--identity", "i", "--role", "host",
                "--ttl", "6 hours"}, key));
        assertBad("--ttl must be between", concat(new String[] {"--room", "r", "--identity", "i", "--role", "host",
                "--ttl", "0s"}, key));
        assertBad("--ttl must be between", concat(new String[] {"--room", "r", "--identity", "i", "--role", "host",
                "--ttl", "999d"}, key));
        assertBad("unknown option --rooom", concat(new String[] {"--rooom", "r"}, key));
        assertBad("--room needs a value", "--room");
        assertBad("--room needs a value", "--room", "--identity", "i");
        assertBad("no API key", "--room", "r", "--identity", "i", "--role", "host", "--data-dir",
                "target/no-such-data-dir");
        assertBad("--key and --secret go together", "--room", "r", "--identity", "i", "--role", "host", "--key", "k");
        assertBad("at least 32 characters",
                "--room", "r", "--identity", "i", "--role", "host", "--key", "k", "--secret", "short");
        assertBad("room must not be empty", concat(new String[] {"--room", "", "--identity", "i", "--role", "host"}, key));
        Run r = run(Map.of(ApiKeys.ENV_KEY, "k"), "--room", "r", "--identity", "i", "--role", "host");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("must be set together"), r.err());
    }

    @Test
    void signsWithTheDevelopmentKeyANodeKept(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir)
            throws Exception {
        ApiKeys kept = dev.arena.server.auth.DevApiKeyFile.loadOrCreate(dataDir);
        Run r = run(Map.of("ARENA_DATA_DIR", dataDir.toString()), "--room", "r", "--identity", "i", "--role",
                "listener");
        assertEquals(0, r.code(), r.err());
        AccessClaims claims = new TokenVerifier(kept).verify(r.out().strip(), "r");
        assertEquals("i", claims.identity());
        assertEquals(kept.primary().id(), claims.keyId());
    }

    private static void assertBad(String message, String... args) {
        Run r = run(args);
        assertEquals(2, r.code(), String.join(" ", args));
        assertEquals("", r.out());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
