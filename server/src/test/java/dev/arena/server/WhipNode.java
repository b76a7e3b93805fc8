package dev.arena.server;

import dev.arena.rtc.transport.TransportServer;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenIssuer;
import dev.arena.server.config.Config;
import dev.arena.server.metrics.Health;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.whip.WhipService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A {@link Node} as Main starts it, on loopback with any free ports and an API key of its own, with an HTTP client. */
final class WhipNode implements AutoCloseable {
    final Node node;
    final ApiKeys keys;
    final TokenIssuer issuer;
    final TransportServer transports;
    final Rooms rooms;
    final WhipService whip;
    final Health health;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    WhipNode() throws Exception {
        ApiKey key = ApiKeys.generate().primary();
        node = Node.start(Config.load(new String[] {"--http-port", "0", "--udp-port", "0"},
                Map.of("ARENA_API_KEY", key.id(), "ARENA_API_SECRET", key.secret())));
        keys = node.apiKeys();
        issuer = TokenIssuer.forKeys(keys);
        transports = node.transports();
        rooms = node.rooms();
        whip = node.whip();
        health = node.health();
    }

    String token(String room, String identity, Role role) {
        return issuer.issue(AccessToken.of(room, identity, role));
    }

    URI uri(String path) {
        return URI.create(node.httpUrl() + path);
    }

    HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String sdp) throws Exception {
        return send("POST", path, token, "application/sdp", sdp);
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code timeout} (a hang guard) passes. */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Override
    public void close() {
        node.close();
    }
}
