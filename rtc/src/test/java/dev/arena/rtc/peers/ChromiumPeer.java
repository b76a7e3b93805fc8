package dev.arena.rtc.peers;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven through /usr/bin/chromedriver with Selenium, with fake camera and microphone
 * and {@code --allow-loopback-in-peer-connection} (a loopback-only network namespace has nothing else). It loads
 * {@code chromium_peer.html} from a tiny HTTP server on 127.0.0.1 (getUserMedia needs a secure context; http on
 * 127.0.0.1 is one) whose {@code window.arena} API makes one RTCPeerConnection with sendrecv transceivers.
 *
 * <pre>
 * try (ChromiumPeer chrome = ChromiumPeer.start()) {
 *     String offer = chrome.createOffer(true, true);
 *     chrome.setAnswer(answerSdp);
 *     chrome.awaitState(s -&gt; s.connected(), Duration.ofSeconds(30));
 *     long decoded = chrome.stats().framesDecoded("video");
 * }
 * </pre>
 * Logs and the fresh profile go under {@code target/peers/chromium-N-PID*}.
 */
public final class ChromiumPeer implements AutoCloseable {
    public static final String CHROMIUM = System.getProperty("arena.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("arena.chromedriver", "/usr/bin/chromedriver");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

    /** Connection states as the page sees them (RTCPeerConnection and the DTLS transport from getStats). */
    public record State(String ice, String connection, String dtls, String signaling) {
        public boolean connected() {
            return "connected".equals(connection) && "connected".equals(dtls)
                    && ("connected".equals(ice) || "completed".equals(ice));
        }

        public boolean failed() {
            return "failed".equals(connection) || "failed".equals(ice) || "failed".equals(dtls);
        }
    }

    public record Inbound(String kind, String trackIdentifier, String mid, long ssrc, long packetsReceived,
            long bytesReceived, long framesDecoded, long keyFramesDecoded) {
    }

    public record Outbound(String kind, String mid, long ssrc, long packetsSent, long bytesSent, long framesEncoded,
            long pliCount, long nackCount) {
    }

    /** getStats() in short: one entry per inbound and outbound RTP stream. */
    public record Stats(List<Inbound> inbound, List<Outbound> outbound) {
        public long framesDecoded(String kind) {
            return inbound.stream().filter(i -> i.kind().equals(kind)).mapToLong(Inbound::framesDecoded).sum();
        }

        public long packetsReceived(String kind) {
            return inbound.stream().filter(i -> i.kind().equals(kind)).mapToLong(Inbound::packetsReceived).sum();
        }

        public long packetsSent(String kind) {
            return outbound.stream().filter(o -> o.kind().equals(kind)).mapToLong(Outbound::packetsSent).sum();
        }
    }

    private final HttpServer http;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final Path driverLog;

    private ChromiumPeer(List<String> extraArgs) {
        String name = PeerFiles.uniqueName("chromium");
        this.profile = PeerFiles.dir().resolve(name + "-profile");
        this.driverLog = PeerFiles.dir().resolve(name + "-chromedriver.log");
        byte[] page = PeerFiles.readResource("chromium_peer.html").getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(profile);
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/", ex -> {
            byte[] body = ex.getRequestURI().getPath().equals("/peer.html") ? page : new byte[0];
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        ChromeDriverService svc = null;
        ChromeDriver drv = null;
        try {
            svc = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                    .withLogFile(driverLog.toFile()).build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                    "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile);
            options.addArguments(extraArgs);
            drv = new ChromeDriver(svc, options);
            drv.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
            drv.get("http://127.0.0.1:" + http.getAddress().getPort() + "/peer.html");
        } catch (RuntimeException e) {
            if (drv != null) {
                drv.quit();
            }
            if (svc != null) {
                svc.stop();
            }
            http.stop(0);
            throw new IllegalStateException("cannot start Chromium (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "); chromedriver log: " + driverLog, e);
        }
        this.service = svc;
        this.driver = drv;
    }

    public static ChromiumPeer start() {
        return new ChromiumPeer(List.of());
    }

    /** With extra Chromium flags, e.g. {@code --use-fake-device-for-media-stream=fps=30}. */
    public static ChromiumPeer start(List<String> extraChromiumArgs) {
        return new ChromiumPeer(List.copyOf(extraChromiumArgs));
    }

    private Object call(String function, Object... args) {
        String script = "const done = arguments[arguments.length - 1];"
                + "Promise.resolve(window.arena." + function + "(...Array.prototype.slice.call(arguments, 0, arguments.length - 1)))"
                + ".then(r => done({ok: r}), e => done({error: String(e && e.stack || e)}));";
        Object r = ((JavascriptExecutor) driver).executeAsyncScript(script, args);
        if (!(r instanceof Map<?, ?> m)) {
            throw new IllegalStateException("window.arena." + function + ": unexpected result " + r);
        }
        if (m.containsKey("error")) {
            throw new IllegalStateException("window.arena." + function + " failed: " + m.get("error"));
        }
        return m.get("ok");
    }

    /** getUserMedia, sendrecv transceivers, createOffer, wait for ICE gathering: the offer with all candidates. */
    public String createOffer(boolean audio, boolean video) {
        return (String) call("createOffer", Map.of("audio", audio, "video", video));
    }

    public void setAnswer(String sdp) {
        call("setAnswer", sdp);
    }

    public State state() {
        Map<?, ?> m = (Map<?, ?>) call("state");
        return new State(PeerFiles.asString(m.get("ice")), PeerFiles.asString(m.get("connection")),
                PeerFiles.asString(m.get("dtls")), PeerFiles.asString(m.get("signaling")));
    }

    /** Polls {@link #state()} until the condition holds; throws if the peer fails or the hang guard passes. */
    public State awaitState(Predicate<State> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            State s = state();
            if (condition.test(s)) {
                return s;
            }
            if (s.failed()) {
                throw new IllegalStateException("Chromium failed: " + s + "; events " + events());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Chromium state " + s + " after " + timeout + "; events " + events());
            }
            sleep(100);
        }
    }

    public Stats stats() {
        Map<?, ?> m = (Map<?, ?>) call("stats");
        List<Inbound> in = new ArrayList<>();
        for (Object o : (List<?>) m.get("inbound")) {
            Map<?, ?> i = (Map<?, ?>) o;
            in.add(new Inbound(PeerFiles.asString(i.get("kind")), PeerFiles.asString(i.get("trackIdentifier")),
                    PeerFiles.asString(i.get("mid")), PeerFiles.asLong(i.get("ssrc")),
                    PeerFiles.asLong(i.get("packetsReceived")), PeerFiles.asLong(i.get("bytesReceived")),
                    PeerFiles.asLong(i.get("framesDecoded")), PeerFiles.asLong(i.get("keyFramesDecoded"))));
        }
        List<Outbound> out = new ArrayList<>();
        for (Object o : (List<?>) m.get("outbound")) {
            Map<?, ?> i = (Map<?, ?>) o;
            out.add(new Outbound(PeerFiles.asString(i.get("kind")), PeerFiles.asString(i.get("mid")),
                    PeerFiles.asLong(i.get("ssrc")), PeerFiles.asLong(i.get("packetsSent")),
                    PeerFiles.asLong(i.get("bytesSent")), PeerFiles.asLong(i.get("framesEncoded")),
                    PeerFiles.asLong(i.get("pliCount")), PeerFiles.asLong(i.get("nackCount"))));
        }
        return new Stats(List.copyOf(in), List.copyOf(out));
    }

    /** The page's event log (ICE/connection state changes, tracks), for assertion messages. */
    public String events() {
        try {
            return String.valueOf(((JavascriptExecutor) driver).executeScript("return JSON.stringify(window.arena.events());"));
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    /** Opens another page in this browser, e.g. an application's own page; the harness API is gone after that. */
    public void open(String url) {
        driver.get(url);
    }

    /** Evaluates a JavaScript expression in the page, awaiting it if it is a promise; returns the result. */
    public Object evaluate(String expression) {
        String script = "const done = arguments[arguments.length - 1];"
                + "Promise.resolve().then(() => (" + expression + "))"
                + ".then(r => done({ok: r === undefined ? null : r}), e => done({error: String(e && e.stack || e)}));";
        Object r = ((JavascriptExecutor) driver).executeAsyncScript(script);
        if (!(r instanceof Map<?, ?> m) || m.containsKey("error")) {
            throw new IllegalStateException(expression + " failed: " + r);
        }
        return m.get("ok");
    }

    public Path driverLog() {
        return driverLog;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Closes the peer connection, quits Chromium and chromedriver, stops the HTTP server. */
    @Override
    public void close() {
        try {
            call("close");
        } catch (RuntimeException ignored) {
            // quitting anyway
        }
        try {
            driver.quit();
        } catch (RuntimeException ignored) {
            // the service stop below kills chromedriver
        }
        service.stop();
        http.stop(0);
    }
}
