package dev.arena.rtc.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openqa.selenium.json.Json;

/**
 * Shared plumbing of the real-peer harness: where logs go (target/peers, or -Darena.peers.dir), resources copied
 * out of the (test-)jar, JSON, and killing a process tree.
 */
public final class PeerFiles {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Json JSON = new Json();

    private PeerFiles() {
    }

    /** The folder for peer logs and profiles, created on demand: {@code target/peers} of the running module. */
    public static Path dir() {
        Path d = Path.of(System.getProperty("arena.peers.dir", "target/peers")).toAbsolutePath();
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** A fresh name for one peer's files, e.g. {@code aiortc-3-12345}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet() + "-" + ProcessHandle.current().pid();
    }

    /** Copies a classpath resource of this package to a file under {@link #dir()}, so it works from a jar too. */
    public static Path extract(String resourceName) {
        Path out = dir().resolve(resourceName);
        try (InputStream in = PeerFiles.class.getResourceAsStream(resourceName)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/arena/rtc/peers/" + resourceName);
            }
            Path tmp = Files.createTempFile(dir(), resourceName, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String readResource(String resourceName) {
        try (InputStream in = PeerFiles.class.getResourceAsStream(resourceName)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/arena/rtc/peers/" + resourceName);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> parseJsonObject(String json) {
        return JSON.toType(json, Json.MAP_TYPE);
    }

    public static String toJson(Object o) {
        return JSON.toJson(o).replace('\n', ' ');
    }

    static long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    static String asString(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    /** Kills a process and all its descendants (forcibly), then waits up to {@code wait} for it. */
    public static void killTree(Process p, Duration wait) {
        if (p == null) {
            return;
        }
        ProcessHandle h = p.toHandle();
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
        try {
            p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
