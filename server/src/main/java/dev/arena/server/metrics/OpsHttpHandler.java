package dev.arena.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (Prometheus text format 0.0.4), {@code GET /health} (200 "ok" while the process serves) and
 * {@code GET /ready} (200 "ready", else 503 with the reason), for the JDK's HTTP server; HEAD too. Every answer
 * carries {@code Cache-Control: no-store}.
 */
public final class OpsHttpHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(OpsHttpHandler.class);
    /** The paths to register this handler on. */
    public static final String[] PATHS = {"/metrics", "/health", "/ready"};

    private final PrometheusRegistry registry;
    private final Health health;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public OpsHttpHandler(PrometheusRegistry registry, Health health) {
        this.registry = Objects.requireNonNull(registry);
        this.health = Objects.requireNonNull(health);
    }

    /** A registry holding the node's metrics. */
    public static PrometheusRegistry registry(NodeMetrics metrics) {
        PrometheusRegistry r = new PrometheusRegistry();
        r.register(metrics);
        return r;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(ex, 405, "text/plain; charset=utf-8", "use GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (ex.getRequestURI().getPath()) {
                case "/metrics" -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
                    writer.write(out, registry.scrape());
                    reply(ex, 200, writer.getContentType(), out.toByteArray());
                }
                case "/health" -> reply(ex, 200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8));
                case "/ready" -> {
                    String reason = health.notReadyReason();
                    if (reason == null) {
                        reply(ex, 200, "text/plain; charset=utf-8", "ready\n".getBytes(StandardCharsets.UTF_8));
                    } else {
                        reply(ex, 503, "text/plain; charset=utf-8",
                                ("not ready: " + reason + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                default -> reply(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            log.warn("{} failed", ex.getRequestURI(), e);
        }
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
