package dev.arena.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.server.metrics.Health;
import dev.arena.server.metrics.OpsHttpHandler;
import dev.arena.server.whip.WhipHttpHandler;
import dev.arena.server.whip.WhipService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP side: the demo page, {@code POST /api/echo} (an SDP offer in, the answer out), and WHIP/WHEP
 * ({@link WhipHttpHandler}). The JDK's
 * own HTTP server is enough for a demo; the signaling server of issue 3 replaces it.
 */
final class HttpFrontend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpFrontend.class);
    private static final int MAX_OFFER_BYTES = 64 * 1024;

    private final HttpServer server;

    private HttpFrontend(HttpServer server) {
        this.server = server;
    }

    static HttpFrontend start(InetSocketAddress address, EchoService echo) throws IOException {
        return start(address, echo, null);
    }

    /** The demo and, when {@code whip} is not null, WHIP and WHEP on {@code /whip/} and {@code /whep/}. */
    static HttpFrontend start(InetSocketAddress address, EchoService echo, WhipService whip) throws IOException {
        return start(address, echo, whip, null);
    }

    /**
     * As above, and when {@code ops} is not null {@code /metrics}, {@code /health} and {@code /ready} ({@link
     * OpsHttpHandler}); {@code health}, when not null, learns that HTTP is up.
     */
    static HttpFrontend start(InetSocketAddress address, EchoService echo, WhipService whip, OpsHttpHandler ops,
                              Health health) throws IOException {
        HttpFrontend f = start(address, echo, whip, ops);
        if (health != null) {
            health.httpStarted();
        }
        return f;
    }

    private static HttpFrontend start(InetSocketAddress address, EchoService echo, WhipService whip,
                                      OpsHttpHandler ops) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/echo", ex -> handleEcho(ex, echo));
        if (whip != null) {
            WhipHttpHandler handler = new WhipHttpHandler(whip);
            server.createContext("/whip/", handler);
            server.createContext("/whep/", handler);
        }
        if (ops != null) {
            for (String path : OpsHttpHandler.PATHS) {
                server.createContext(path, ops);
            }
        }
        server.createContext("/", HttpFrontend::handleStatic);
        server.start();
        return new HttpFrontend(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void handleEcho(HttpExchange ex, EchoService echo) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, "text/plain", "use POST with an SDP offer (Content-Type: application/sdp)\n");
                return;
            }
            byte[] body = readLimited(ex.getRequestBody(), MAX_OFFER_BYTES);
            if (body == null) {
                reply(ex, 413, "text/plain", "offer larger than " + MAX_OFFER_BYTES + " bytes\n");
                return;
            }
            try {
                String answer = echo.answer(new String(body, StandardCharsets.UTF_8));
                reply(ex, 201, "application/sdp", answer);
            } catch (SdpParseException | IllegalArgumentException e) {
                reply(ex, 400, "text/plain", "bad offer: " + e.getMessage() + "\n");
            }
        } catch (RuntimeException e) {
            log.warn("echo request failed", e);
        }
    }

    private static void handleStatic(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/")) {
                path = "/index.html";
            }
            if (path.contains("..") || !path.matches("/[A-Za-z0-9._-]+")) {
                reply(ex, 404, "text/plain", "not found\n");
                return;
            }
            try (InputStream in = HttpFrontend.class.getResourceAsStream("demo" + path)) {
                if (in == null) {
                    reply(ex, 404, "text/plain", "not found\n");
                    return;
                }
                String type = path.endsWith(".html") ? "text/html; charset=utf-8"
                        : path.endsWith(".js") ? "text/javascript" : "application/octet-stream";
                reply(ex, 200, type, in.readAllBytes());
            }
        }
    }

    private static byte[] readLimited(InputStream in, int limit) throws IOException {
        byte[] data = in.readNBytes(limit + 1);
        return data.length > limit ? null : data;
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        reply(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
