package dev.arena.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real node (as Main starts it) on loopback with a known API key, with token, WebSocket and HTTP helpers. */
public final class TestNode implements AutoCloseable {
    public static final String KEY = "test-key";
    public static final String SECRET = "test-secret-test-secret-test-secret-0123";

    public final Node node;
    public final TokenIssuer issuer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private TestNode(Node node) {
        this.node = node;
        this.issuer = TokenIssuer.forKeys(node.apiKeys());
    }

    /** A node with {@code args} (e.g. {@code --resume-window=2s}) over loopback and free ports. */
    public static TestNode start(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bind=127.0.0.1", "--http-port=0", "--udp-port=0",
                "--data-dir=" + Files.createTempDirectory("arena-test")));
        all.addAll(List.of(args));
        Config config = Config.load(all.toArray(String[]::new),
                Map.of(ApiKeys.ENV_KEY, KEY, ApiKeys.ENV_SECRET, SECRET));
        return new TestNode(Node.start(config));
    }

    public String token(String room, String identity, Role role) {
        return issuer.issue(AccessToken.of(room, identity, role));
    }

    public String serverToken() {
        return issuer.issueServer("test", Duration.ofMinutes(10));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + node.httpPort() + path);
    }

    public WsClient connect() throws Exception {
        return WsClient.connect(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws"));
    }

    /** A connection that joined with {@code token}; its {@code joined} is in {@link Joined#joined()}. */
    public Joined join(String token) throws Exception {
        WsClient c = connect();
        JsonNode joined = c.call("joined", "join", "v", 1, "token", token);
        return new Joined(c, joined);
    }

    /** A joined connection; closing it leaves the room (a plain close would keep it for the resume window). */
    public record Joined(WsClient ws, JsonNode joined) implements AutoCloseable {
        @Override
        public void close() {
            if (!ws.isClosed()) {
                try {
                    ws.send(WsClient.msg("leave"));
                } catch (Exception e) {
                    // closed meanwhile
                }
            }
            ws.close();
        }
    }

    public HttpResponse<String> http(String method, String path, String bearer, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON request with a server token. */
    public HttpResponse<String> api(String method, String path, String json) throws Exception {
        return http(method, path, serverToken(), json == null ? null : "application/json", json);
    }

    public static JsonNode json(HttpResponse<String> r) throws Exception {
        return WsClient.JSON.readTree(r.body());
    }

    @Override
    public void close() {
        node.close();
    }
}
