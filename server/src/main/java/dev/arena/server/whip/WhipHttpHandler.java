package dev.arena.server.whip;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/** The thin adapter from the JDK's HTTP server to {@link WhipService}: register it for {@code /whip/} and {@code /whep/}. */
public final class WhipHttpHandler implements HttpHandler {
    private final WhipService service;

    public WhipHttpHandler(WhipService service) {
        this.service = Objects.requireNonNull(service);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            // one byte over the limit is enough to refuse with 413; closing the exchange drains or drops the rest
            byte[] body = ex.getRequestBody().readNBytes(WhipService.MAX_BODY_BYTES + 1);
            WhipService.Response r = service.handle(new WhipService.Request(ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(), ex.getRequestHeaders()::getFirst, body));
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                ex.getResponseHeaders().set(h.getKey(), h.getValue());
            }
            ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                ex.getResponseBody().write(r.body());
            }
        }
    }
}
