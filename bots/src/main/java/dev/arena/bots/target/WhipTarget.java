package dev.arena.bots.target;

import dev.arena.bots.peer.PeerException;
import dev.arena.bots.peer.SdpPeer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * WHIP (RFC 9725) for publishers and WHEP for listeners: POST the offer as {@code application/sdp} (with a Bearer
 * token when the token source gives one), 201 with the answer and a {@code Location}; DELETE that on leave. A
 * {@code {room}} in either URL is replaced by the bot's room (Arena: {@code http://host:port/whip/{room}}).
 * No stage, no re-negotiation.
 */
public final class WhipTarget implements Target {
    private static final String SDP = "application/sdp";

    private final String whipUrl;
    private final String whepUrl;
    private final TokenSource tokens;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param whipUrl  where publishers POST (null: this target has no publishers)
     * @param whepUrl  where listeners POST (null: no listeners)
     */
    public WhipTarget(String whipUrl, String whepUrl, TokenSource tokens, Duration timeout) {
        this.whipUrl = whipUrl;
        this.whepUrl = whepUrl;
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Arena's endpoints on {@code server} ({@code http://host:port}): {@code /whip/{room}} and {@code /whep/{room}}. */
    public static WhipTarget arena(URI server, TokenSource tokens, Duration timeout) {
        String base = server.toString().replaceAll("/+$", "");
        return new WhipTarget(base + "/whip/{room}", base + "/whep/{room}", tokens, timeout);
    }

    @Override
    public String name() {
        return "whip";
    }

    @Override
    public boolean supportsStage() {
        return false;
    }

    @Override
    public CompletableFuture<BotSession> join(BotSpec bot, SdpPeer peer) {
        try {
            String template = bot.role() == BotRole.PUBLISHER ? whipUrl : whepUrl;
            if (template == null) {
                throw new TargetException("unsupported", "no " + (bot.role() == BotRole.PUBLISHER ? "WHIP" : "WHEP")
                        + " URL given for a " + bot.role());
            }
            URI url = URI.create(template.replace("{room}", URLEncoder.encode(bot.room(), StandardCharsets.UTF_8)));
            return Failures.step(tokens.token(bot), timeout, "token")
                    .thenCompose(token -> post(url, token, peer.createOffer())
                            .thenApply(r -> {
                                try {
                                    peer.applyAnswer(r.body());
                                } catch (PeerException e) {
                                    throw new CompletionException(new TargetException("bad_sdp",
                                            "answer not usable: " + e.getMessage(), e));
                                }
                                URI location = r.headers().firstValue("Location").map(url::resolve).orElse(null);
                                return (BotSession) new WhipSession(location, token);
                            }));
        } catch (TargetException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Failures.of(e, "join"));
        }
    }

    private CompletableFuture<HttpResponse<String>> post(URI url, String token, String offer) {
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", SDP)
                .POST(HttpRequest.BodyPublishers.ofString(offer));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return Failures.step(http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()), timeout, "POST " + url)
                .thenApply(r -> {
                    if (r.statusCode() / 100 != 2) {
                        throw new CompletionException(Failures.http(r.statusCode(), r.body(), url));
                    }
                    return r;
                });
    }

    @Override
    public void close() {
        http.shutdownNow(); // close() would wait for open long-polls and WebSockets
    }

    /** A WHIP/WHEP session: its resource URL, deleted on leave. */
    private final class WhipSession extends StagelessSession {
        private final URI resource;
        private final String token;
        private final CompletableFuture<String> ended = new CompletableFuture<>();

        WhipSession(URI resource, String token) {
            super("WHIP/WHEP");
            this.resource = resource;
            this.token = token;
        }







        @Override
        public CompletableFuture<Void> leave() {
            if (resource == null) { // the server gave no Location: nothing to delete
                ended.complete("left");
                return CompletableFuture.completedFuture(null);
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(resource).timeout(timeout).DELETE();
            if (token != null) {
                req.header("Authorization", "Bearer " + token);
            }
            return http.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding())
                    .handle((r, e) -> {
                        ended.complete("left");
                        return null;
                    });
        }

        @Override
        public CompletableFuture<String> ended() {
            return ended;
        }
    }
}
