package dev.arena.bots.peer;

import dev.arena.server.Node;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenIssuer;
import dev.arena.server.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

/** A real embedded Arena node on loopback (as Main starts it) with a known API key, and a WHIP/WHEP client. */
final class ArenaNode implements AutoCloseable {
    private static final String KEY = "bots-test-key";
    private static final String SECRET = "bots-test-secret-bots-test-secret-0123";

    final Node node;
    private final TokenIssuer issuer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    ArenaNode(String... extraArgs) throws Exception {
        String[] args = new String[4 + extraArgs.length];
        args[0] = "--bind=127.0.0.1";
        args[1] = "--http-port=0";
        args[2] = "--udp-port=0";
        args[3] = "--data-dir=" + Files.createTempDirectory("arena-bots-test");
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        node = Node.start(Config.load(args, Map.of(ApiKeys.ENV_KEY, KEY, ApiKeys.ENV_SECRET, SECRET)));
        issuer = TokenIssuer.forKeys(node.apiKeys());
    }

    String token(String room, String identity, Role role) {
        return issuer.issue(AccessToken.of(room, identity, role));
    }

    /** POSTs an offer to /whip/{room} or /whep/{room}; the response holds the answer (201) or the error. */
    HttpResponse<String> post(String kind, String room, String token, String offer) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpUrl() + "/" + kind + "/" + room))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        node.close();
    }
}
