package dev.arena.server;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenIssuer;
import dev.arena.server.auth.TokenVerifier;
import dev.arena.server.metrics.Health;
import dev.arena.server.metrics.NodeMetrics;
import dev.arena.server.metrics.OpsHttpHandler;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.whip.WhipService;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A node as Main wires it (TransportServer, Rooms, WhipService, metrics and health, HttpFrontend) on loopback, with an HTTP client. */
final class WhipNode implements AutoCloseable {
    final ApiKeys keys = ApiKeys.generate();
    final TokenIssuer issuer = TokenIssuer.forKeys(keys);
    final TransportServer transports = TransportServer.start(new InetSocketAddress("127.0.0.1", 0));
    final Rooms rooms = new Rooms(transports, transports.localAddress(), DtlsCertificate.shared());
    final WhipService whip = new WhipService(rooms, new TokenVerifier(keys));
    final Health health = new Health(transports);
    final NodeMetrics metrics = new NodeMetrics(transports, rooms);
    final HttpFrontend http;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    WhipNode() throws Exception {
        http = HttpFrontend.start(new InetSocketAddress("127.0.0.1", 0),
                new EchoService(transports, transports.localAddress(), DtlsCertificate.shared()), whip,
                new OpsHttpHandler(OpsHttpHandler.registry(metrics), health), health);
    }

    String token(String room, String identity, Role role) {
        return issuer.issue(AccessToken.of(room, identity, role));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
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
        http.close();
        rooms.close();
        transports.close();
    }
}
