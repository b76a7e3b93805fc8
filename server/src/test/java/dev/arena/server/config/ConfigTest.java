package dev.arena.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from flags over the environment over a config file over defaults, and the errors for bad ones. */
class ConfigTest {
    private static final String SECRET = "a-secret-of-at-least-thirty-two-characters";

    @Test
    void defaultsAreALocalDevelopmentNode() {
        Config c = Config.load(new String[0], Map.of());
        assertEquals(InetAddress.getLoopbackAddress(), c.bind());
        assertEquals(c.bind(), c.announce());
        assertEquals(8080, c.httpPort());
        assertEquals(40000, c.udpPort());
        assertTrue(c.tls().isEmpty());
        assertFalse(c.trustProxy());
        assertTrue(c.apiKeys().isEmpty());
        assertEquals(Path.of("./.arena"), c.dataDir());
        assertEquals(RoomLimits.DEFAULTS, c.roomLimits());
        assertEquals(Duration.ofSeconds(20), c.resumeWindow());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.mediaLoops());
        assertEquals(3, Config.load(new String[] {"--media-loops", "3"}, Map.of()).mediaLoops());
        assertTrue(c.demo());
        assertEquals("the default of http-port", c.source(Setting.HTTP_PORT));
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("arena.properties"), """
                # a node
                http-port = 8001
                udp-port = 41001
                max-speakers = 5
                resume-window = 1m
                api-key = filekey
                api-secret = %s
                """.formatted(SECRET));
        Map<String, String> env = Map.of("ARENA_CONFIG", file.toString(), "ARENA_HTTP_PORT", "8002",
                "ARENA_UDP_PORT", "41002", "ARENA_NO_APT", "1");
        Config c = Config.load(new String[] {"--http-port", "8003", "--demo", "false", "--trust-proxy"}, env);
        assertEquals(8003, c.httpPort(), "flag over environment and file");
        assertEquals("--http-port", c.source(Setting.HTTP_PORT));
        assertEquals(41002, c.udpPort(), "environment over file");
        assertEquals("ARENA_UDP_PORT", c.source(Setting.UDP_PORT));
        assertEquals(5, c.roomLimits().speakers(), "file over default");
        assertEquals(file + ": max-speakers", c.source(Setting.MAX_SPEAKERS));
        assertEquals(Duration.ofMinutes(1), c.resumeWindow());
        assertFalse(c.demo());
        assertTrue(c.trustProxy(), "a bare boolean flag is true");
        assertEquals("filekey", c.apiKeys().orElseThrow().primary().id());

        Config viaFlag = Config.load(new String[] {"--config=" + file, "--bind=0.0.0.0"}, Map.of());
        assertEquals(8001, viaFlag.httpPort());
        assertEquals(InetAddress.getLoopbackAddress(), viaFlag.announce(), "binding everywhere announces loopback");
        Config announced = Config.load(new String[] {"--bind", "0.0.0.0", "--announce", "203.0.113.5"}, Map.of());
        assertEquals(InetAddress.ofLiteral("203.0.113.5"), announced.announce());
    }

    @Test
    void badInputNamesTheSettingAndWhereItCameFrom(@TempDir Path dir) throws Exception {
        assertError("--http-port: must be a port number 0..65535, got 'eighty'", new String[] {"--http-port", "eighty"},
                Map.of());
        assertError("ARENA_UDP_PORT: must be a port number 0..65535, got '70000'", new String[0],
                Map.of("ARENA_UDP_PORT", "70000"));
        assertError("--bind: must be an IP address", new String[] {"--bind", "example.com"}, Map.of());
        assertError("--max-participants: must be a whole number of at least 1, got '0'",
                new String[] {"--max-participants", "0"}, Map.of());
        assertError("--resume-window: must be between 1s and 10m", new String[] {"--resume-window", "1h"}, Map.of());
        assertError("--resume-window: must be a duration", new String[] {"--resume-window", "soon"}, Map.of());
        assertError("--trust-proxy: must be true or false, got 'maybe'", new String[] {"--trust-proxy=maybe"}, Map.of());
        assertError("unknown option --htp-port", new String[] {"--htp-port", "1"}, Map.of());
        assertError("unknown option stray", new String[] {"stray"}, Map.of());
        assertError("--http-port needs a value", new String[] {"--http-port"}, Map.of());
        assertError("--api-secret is not accepted on the command line", new String[] {"--api-secret", SECRET},
                Map.of());
        assertError("--tls-cert: no readable file at '" + dir.resolve("none.pem") + "'",
                new String[] {"--tls-cert", dir.resolve("none.pem").toString()}, Map.of());
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertError("tls-cert and tls-key go together", new String[] {"--tls-cert", cert.toString()}, Map.of());
        assertError("api-key and api-secret go together", new String[] {"--api-key", "k"}, Map.of());
        assertError("API keys: ", new String[0], Map.of("ARENA_API_KEY", "k", "ARENA_API_SECRET", "short"));
        Path file = Files.writeString(dir.resolve("bad.properties"), "http-prot=1\n");
        assertError(file + ": unknown setting 'http-prot'", new String[] {"--config", file.toString()}, Map.of());
        Path badValue = Files.writeString(dir.resolve("bad-value.properties"), "demo=perhaps\n");
        assertError(badValue + ": demo: must be true or false", new String[0], Map.of("ARENA_CONFIG",
                badValue.toString()));
        assertError("cannot read the config file", new String[] {"--config", dir.resolve("missing").toString()},
                Map.of());
    }

    private static void assertError(String message, String[] args, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(args, env), message);
        assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
    }

    @Test
    void helpListsEverySettingWithItsVariableAndDefault() {
        Config c = Config.load(new String[] {"--http-port", "1", "--help"}, Map.of());
        assertTrue(c.helpRequested());
        String help = Config.help();
        assertTrue(help.contains("--config FILE") && help.contains("ARENA_CONFIG"), help);
        for (Setting s : Setting.values()) {
            assertTrue(help.contains(s.allowedAsFlag() ? s.flag() + " " + s.hint() : s.key() + "="), s + "\n" + help);
            assertTrue(help.contains(s.env()), s.env());
            if (s.defaultValue() != null) {
                assertTrue(help.contains("default " + s.defaultValue()), s.key());
            }
        }
        for (String key : List.of("bind", "announce", "http-port", "udp-port", "tls-cert", "tls-key", "trust-proxy",
                "api-key", "api-secret", "data-dir", "max-participants", "max-speakers", "max-tracks-per-participant",
                "resume-window", "demo")) {
            assertTrue(Setting.byKey(key) != null, key);
        }
    }
}
