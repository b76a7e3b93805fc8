package dev.arena.bots.target;

import dev.arena.bots.peer.SdpPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Arena's own signaling (docs/protocol.md): one WebSocket per bot to {@code /ws}, {@code join} with a token, then the
 * bot's offer and the node's answer. The session then follows {@code offer_needed} by itself and has the stage
 * (raise a hand, promote, publish). One HttpClient for all bots.
 */
public final class ArenaTarget implements Target {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI webSocketUri;
    private final TokenSource tokens;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param server   {@code http(s)://host:port} (the WebSocket is then {@code ws(s)://host:port/ws}) or a full
     *                 {@code ws(s)://} URL
     * @param tokens   e.g. {@link TokenSource#fromEnvironment} (the default: the dev key of a local {@code ./arena})
     * @param timeout  for each step (token, connect, each reply)
     */
    public ArenaTarget(URI server, TokenSource tokens, Duration timeout) {
        this.webSocketUri = webSocketUri(server);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** {@code http://h:p} -> {@code ws://h:p/ws}; a ws(s) URL or one with a path is kept as given. */
    static URI webSocketUri(URI server) {
        String scheme = server.getScheme() == null ? "" : server.getScheme();
        String ws = switch (scheme) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("Arena URL must be http(s):// or ws(s)://, got " + server);
        };
        String path = server.getPath() == null || server.getPath().isEmpty() || server.getPath().equals("/")
                ? "/ws" : server.getPath();
        return URI.create(ws + "://" + server.getRawAuthority() + path);
    }

    public URI webSocketUri() {
        return webSocketUri;
    }

    @Override
    public String name() {
        return "arena";
    }

    @Override
    public boolean supportsStage() {
        return true;
    }

    @Override
    public CompletableFuture<BotSession> join(BotSpec bot, SdpPeer peer) {
        ArenaSession session = new ArenaSession(bot, peer, timeout);
        CompletableFuture<BotSession> joined;
        try {
            joined = Failures.step(tokens.token(bot), timeout, "token")
                    .thenCompose(token -> Failures.step(
                            http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(webSocketUri, session),
                            timeout, "connect " + webSocketUri)
                            .thenCompose(ws -> session.join(token)))
                    .thenCompose(v -> session.firstNegotiation())
                    .thenApply(v -> session);
        } catch (RuntimeException e) {
            joined = CompletableFuture.failedFuture(Failures.of(e, "join"));
        }
        // a bot that did not make it leaves nothing open behind
        return joined.whenComplete((s, e) -> {
            if (e != null) {
                session.abort();
            }
        });
    }

    @Override
    public void close() {
        http.shutdownNow(); // close() would wait for open long-polls and WebSockets
    }
}
