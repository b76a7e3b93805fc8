package dev.arena.bots.target;

import dev.arena.server.Node;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.config.Config;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/** A real Arena node on loopback with a known API key, and what the target tests share. */
public final class ArenaNodes {
    public static final ApiKey KEY = new ApiKey("bots-test", "bots-test-secret-bots-test-secret-0123");
    static final ApiKey WRONG_KEY = new ApiKey("bots-test", "not-the-secret-not-the-secret-not-0123");
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Hang guard for one wait in a test (not a timing assertion). */
    static final long WAIT_SECONDS = 30;

    private ArenaNodes() {
    }

    public static Node start() throws Exception {
        return start(Files.createTempDirectory("arena-bots-test"),
                Map.of(ApiKeys.ENV_KEY, KEY.id(), ApiKeys.ENV_SECRET, KEY.secret()));
    }

    /** A node with {@code env} (none: a development node that keeps its generated key in {@code dataDir}). */
    static Node start(java.nio.file.Path dataDir, Map<String, String> env) throws Exception {
        Config config = Config.load(new String[] {"--bind=127.0.0.1", "--http-port=0", "--udp-port=0",
                "--data-dir=" + dataDir}, env);
        return Node.start(config);
    }

    public static URI http(Node node) {
        return URI.create("http://127.0.0.1:" + node.httpPort());
    }

    /** A loopback port nobody listens on. */
    static int refusedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The TargetException {@code f} fails with. */
    static TargetException failure(CompletableFuture<?> f) throws Exception {
        try {
            Object v = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return assertInstanceOf(TargetException.class, e.getCause(), "cause of " + e);
        }
    }

    /** Waits until {@code condition} holds (hang guard, not a timing assertion). */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
