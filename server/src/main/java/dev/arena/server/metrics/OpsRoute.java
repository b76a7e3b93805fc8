package dev.arena.server.metrics;

import dev.arena.server.http.HttpRequest;
import dev.arena.server.http.HttpResponse;
import dev.arena.server.http.HttpRoute;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /metrics} (Prometheus text format 0.0.4), {@code GET /health} (200 "ok" while the process serves) and
 * {@code GET /ready} (200 "ready", else 503 with the reason); HEAD too (the server drops the body). Every answer
 * carries {@code Cache-Control: no-store}. Register it for each of {@link #PATHS}.
 */
public final class OpsRoute implements HttpRoute {
    /** The paths to register this route on. */
    public static final String[] PATHS = {"/metrics", "/health", "/ready"};

    private final PrometheusRegistry registry;
    private final Health health;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public OpsRoute(PrometheusRegistry registry, Health health) {
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
    public HttpResponse handle(HttpRequest req) throws IOException {
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            return text(405, "use GET").withHeader("Allow", "GET, HEAD");
        }
        return switch (req.path()) {
            case "/metrics" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
                writer.write(out, registry.scrape());
                yield new HttpResponse(200, Map.of("Content-Type", writer.getContentType(), "Cache-Control", "no-store"),
                        out.toByteArray());
            }
            case "/health" -> text(200, "ok");
            case "/ready" -> {
                String reason = health.notReadyReason();
                yield reason == null ? text(200, "ready") : text(503, "not ready: " + reason);
            }
            default -> text(404, "not found");
        };
    }

    private static HttpResponse text(int status, String body) {
        return HttpResponse.text(status, body).withHeader("Cache-Control", "no-store");
    }
}
