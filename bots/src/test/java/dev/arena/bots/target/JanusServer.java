package dev.arena.bots.target;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Janus (Debian package {@code janus}, /usr/bin/janus) for the tests: its config from
 * src/test/resources/janus (ICE-lite, HTTP API on a free loopback port) in a temp dir. Janus never gathers on a
 * loopback-flagged interface, so this adds the veth {@code janus0} with 127.0.0.2 when it is missing: run the tests
 * as root inside {@code unshare -n} (a private network namespace), as the suite does.
 */
public final class JanusServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/janus");
    /** Janus's ICE address: the veth janus0's. */
    public static final String ADDRESS = "127.0.0.2";
    private static final List<String> CONFIG_FILES = List.of("janus.jcfg", "janus.transport.http.jcfg",
            "janus.plugin.videoroom.jcfg");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final Process process;
    private final int httpPort;
    private final Thread killer;

    private final boolean madeVeth;

    private JanusServer(Path dir, Process process, int httpPort, boolean madeVeth) {
        this.madeVeth = madeVeth;
        this.dir = dir;
        this.process = process;
        this.httpPort = httpPort;
        // kill it for sure, even if the test JVM ends without close()
        this.killer = new Thread(process::destroyForcibly, "janus-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    public static JanusServer start() throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("Janus is not installed (" + BINARY + " missing): the Janus target tests"
                    + " need the Debian package janus (apt-get install janus)");
        }
        boolean madeVeth = ensureVeth();
        Path dir = Files.createTempDirectory("janus-bots-test");
        int port = freePort();
        for (String name : CONFIG_FILES) {
            String text;
            try (InputStream in = JanusServer.class.getResourceAsStream("/janus/" + name)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            text = text.replace("CONF_DIR", dir.toString()).replace("HTTP_PORT", Integer.toString(port));
            Files.writeString(dir.resolve(name), text);
        }
        Process p = new ProcessBuilder(BINARY.toString(), "-C", dir.resolve("janus.jcfg").toString(),
                "-F", dir.toString(), "-L", dir.resolve("janus.log").toString(), "-N", "-o")
                .redirectErrorStream(true).redirectOutput(dir.resolve("janus.out").toFile()).start();
        JanusServer server = new JanusServer(dir, p, port, madeVeth);
        try {
            server.awaitHttp();
        } catch (Exception e) {
            String log = server.logTail();
            server.close();
            throw new IllegalStateException("Janus did not start: " + e.getMessage() + "\n" + log, e);
        }
        return server;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + httpPort + "/janus");
    }

    private void awaitHttp() throws Exception {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("janus exited with " + process.exitValue());
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/info"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("janus.plugin.videoroom")) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("no HTTP API on " + url() + " after " + START_TIMEOUT);
                }
                Thread.sleep(100);
            }
        }
    }

    /** The veth janus0 with 127.0.0.2/32 (IPv6 off), as /work/shared/peers/netns-run.sh makes it, if missing. */
    /** True when it made the veth (and close removes it). */
    private static boolean ensureVeth() throws Exception {
        // `ip link show`, not /sys/class/net: after unshare -n, /sys still shows the host's interfaces
        if (new ProcessBuilder("ip", "link", "show", "janus0").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0) {
            return false;
        }
        run("ip", "link", "add", "janus0", "type", "veth", "peer", "name", "janus1");
        run("ip", "addr", "add", "127.0.0.2/32", "dev", "janus0");
        run("sysctl", "-qw", "net.ipv6.conf.janus0.disable_ipv6=1", "net.ipv6.conf.janus1.disable_ipv6=1");
        run("ip", "link", "set", "janus1", "up");
        run("ip", "link", "set", "janus0", "up");
        return true;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed (the Janus tests run as root inside"
                    + " unshare -n): " + out.strip());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String logTail() {
        try {
            Path log = dir.resolve("janus.log");
            if (!Files.exists(log)) {
                log = dir.resolve("janus.out");
            }
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        if (madeVeth) {
            // leave the namespace as it was: a Chromium of a later test would gather a candidate on 127.0.0.2
            run("ip", "link", "del", "janus0");
        }
    }
}
