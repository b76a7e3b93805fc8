package dev.arena.bots.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.auth.DevApiKeyFile;
import dev.arena.server.auth.Grant;
import dev.arena.server.auth.Grants;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Where a bot's access token comes from (Arena signaling and WHIP/WHEP). Thread-safe. */
@FunctionalInterface
public interface TokenSource {
    /** The token for this bot, or null for none (a WHIP server without auth). */
    CompletableFuture<String> token(BotSpec bot);

    /** No token: WHIP/WHEP without {@code Authorization}. */
    static TokenSource none() {
        return bot -> CompletableFuture.completedFuture(null);
    }

    /** The same token for every bot. */
    static TokenSource fixed(String token) {
        Objects.requireNonNull(token, "token");
        return bot -> CompletableFuture.completedFuture(token);
    }

    /**
     * One token per bot from a list (e.g. a file of viewer tokens a server handed out), in the order bots ask;
     * once they are used up a bot fails with {@code no_token}.
     */
    static TokenSource oneEach(List<String> tokens) {
        List<String> list = List.copyOf(tokens);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        return bot -> {
            int i = next.getAndIncrement();
            return i < list.size() ? CompletableFuture.completedFuture(list.get(i))
                    : CompletableFuture.failedFuture(new TargetException("no_token",
                            "all " + list.size() + " tokens of the tokens file are in use"));
        };
    }

    /**
     * Tokens signed here with {@code key} (the node's API key): a PUBLISHER is a {@code host} (publish, roomAdmin),
     * a LISTENER a {@code listener} that may publish once a host approves its hand (as the demo's guests).
     */
    static TokenSource signedWith(ApiKey key) {
        TokenIssuer issuer = new TokenIssuer(key);
        return bot -> {
            try {
                Role role = bot.role() == BotRole.PUBLISHER ? Role.HOST : Role.LISTENER;
                Grants grants = Grants.forRole(role).with(Grant.PUBLISH, true);
                AccessToken token = new AccessToken(bot.room(), bot.identity(), null, role, grants,
                        AccessToken.DEFAULT_TTL);
                return CompletableFuture.completedFuture(issuer.issue(token));
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new TargetException("bad_token_request", e.getMessage(), e));
            }
        };
    }

    /**
     * The default, as {@code ./arena token} finds its key: {@code ARENA_API_KEY}/{@code ARENA_API_SECRET} when set,
     * else the development key a node keeps in {@code $ARENA_DATA_DIR/dev-api-key} (default {@code ./.arena}): works
     * against a plain {@code ./arena} started in the same folder.
     *
     * @throws IllegalArgumentException when there is no key (the message says how to give one)
     */
    static TokenSource fromEnvironment(Map<String, String> env) {
        var configured = ApiKeys.fromEnvironment(env);
        if (configured.isPresent()) {
            return signedWith(configured.get().primary());
        }
        Path dir = Path.of(env.getOrDefault("ARENA_DATA_DIR", "./.arena"));
        return devKey(dir);
    }

    /** Signs with the development key a node keeps in {@code dataDir}. */
    static TokenSource devKey(Path dataDir) {
        try {
            return signedWith(DevApiKeyFile.loadExisting(dataDir).orElseThrow(() -> new IllegalArgumentException(
                    "no API key: set ARENA_API_KEY and ARENA_API_SECRET, or start a development node first (it keeps"
                            + " its key in " + dataDir.resolve(DevApiKeyFile.FILE_NAME) + ")")).primary());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Tokens from a demo node's {@code POST /demo/tokens} ({@code base}: {@code http://host:port}): listeners only
     * (the room must be a demo event); the node picks the identity. A PUBLISHER fails with {@code unsupported}.
     */
    static TokenSource demo(URI base, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        ObjectMapper json = new ObjectMapper();
        URI endpoint = base.resolve("/demo/tokens");
        return bot -> {
            if (bot.role() != BotRole.LISTENER) {
                return CompletableFuture.failedFuture(new TargetException("unsupported",
                        "demo tokens are listener tokens; give an API key to sign publishers' tokens"));
            }
            String body = json.createObjectNode().put("room", bot.room()).put("name", bot.identity()).toString();
            HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                    .handle((r, e) -> {
                        if (e != null) {
                            throw Failures.wrap(e, "demo token from " + endpoint);
                        }
                        if (r.statusCode() / 100 != 2) {
                            throw Failures.wrap(Failures.http(r.statusCode(), r.body(), endpoint), null);
                        }
                        try {
                            JsonNode n = json.readTree(r.body());
                            return n.path("token").asText();
                        } catch (IOException ex) {
                            throw Failures.wrap(new TargetException("bad_response",
                                    "demo token endpoint sent no JSON: " + Failures.excerpt(r.body())), null);
                        }
                    });
        };
    }
}
