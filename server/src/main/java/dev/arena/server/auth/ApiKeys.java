package dev.arena.server.auth;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys a node accepts, by key id. Several keys can be valid at once so that a key can be rotated:
 * add the new one, move token issuers to it, drop the old one once its tokens have expired. The first key
 * is the one this node signs with.
 *
 * <p>From the environment: {@code ARENA_API_KEY} and {@code ARENA_API_SECRET} (one pair), and/or
 * {@code ARENA_API_KEYS} as {@code id:secret,id:secret} (more keys, e.g. during a rotation). With none
 * set the node is in dev mode: {@link DevApiKeyFile} makes one pair on first start and keeps it.
 */
public final class ApiKeys {
    public static final String ENV_KEY = "ARENA_API_KEY";
    public static final String ENV_SECRET = "ARENA_API_SECRET";
    public static final String ENV_KEYS = "ARENA_API_KEYS";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ApiKey> byId;
    private final boolean generated;

    private ApiKeys(Map<String, ApiKey> byId, boolean generated) {
        this.byId = byId;
        this.generated = generated;
    }

    /** These keys, the first being the one to sign with. */
    public static ApiKeys of(List<ApiKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no API keys");
        }
        Map<String, ApiKey> map = new LinkedHashMap<>();
        for (ApiKey k : keys) {
            ApiKey old = map.putIfAbsent(k.id(), k);
            if (old != null && !old.secret().equals(k.secret())) {
                throw new IllegalArgumentException("API key '" + k.id() + "' is given twice with different secrets");
            }
        }
        return new ApiKeys(Collections.unmodifiableMap(map), false);
    }

    public static ApiKeys of(ApiKey... keys) {
        return of(List.of(keys));
    }

    /** A fresh development pair: key id {@code dev_} + 8 random characters, secret of 32 random bytes (base64url). */
    public static ApiKeys generate() {
        return development(new ApiKey("dev_" + random(6), random(32)));
    }

    /** {@code key} as the node's development key ({@link #devMode()} true), e.g. one saved by an earlier start. */
    public static ApiKeys development(ApiKey key) {
        Map<String, ApiKey> map = new LinkedHashMap<>();
        map.put(key.id(), key);
        return new ApiKeys(Collections.unmodifiableMap(map), true);
    }

    /**
     * The keys configured in {@code env} ({@code ARENA_API_KEY}/{@code ARENA_API_SECRET}, {@code ARENA_API_KEYS}),
     * or empty when none is.
     *
     * @throws IllegalArgumentException when the configuration is incomplete or invalid
     */
    public static Optional<ApiKeys> fromEnvironment(Map<String, String> env) {
        List<ApiKey> keys = new ArrayList<>();
        String id = blankToNull(env.get(ENV_KEY));
        String secret = blankToNull(env.get(ENV_SECRET));
        if ((id == null) != (secret == null)) {
            throw new IllegalArgumentException(ENV_KEY + " and " + ENV_SECRET + " must be set together");
        }
        if (id != null) {
            keys.add(new ApiKey(id, secret));
        }
        String list = blankToNull(env.get(ENV_KEYS));
        if (list != null) {
            for (String entry : list.split(",")) {
                String e = entry.strip();
                if (e.isEmpty()) {
                    continue;
                }
                int colon = e.indexOf(':');
                if (colon <= 0 || colon == e.length() - 1) {
                    throw new IllegalArgumentException(ENV_KEYS + " must be id:secret[,id:secret...], got an entry without ':'");
                }
                keys.add(new ApiKey(e.substring(0, colon), e.substring(colon + 1)));
            }
        }
        return keys.isEmpty() ? Optional.empty() : Optional.of(of(keys));
    }

    /** The configured keys, or a generated development pair when none is configured. */
    public static ApiKeys fromEnvironmentOrGenerate(Map<String, String> env) {
        return fromEnvironment(env).orElseGet(ApiKeys::generate);
    }

    /** The key this node signs with. */
    public ApiKey primary() {
        return byId.values().iterator().next();
    }

    public Optional<ApiKey> find(String keyId) {
        return Optional.ofNullable(keyId == null ? null : byId.get(keyId));
    }

    public Collection<ApiKey> all() {
        return byId.values();
    }

    /** True when this is the development pair, made because no key was configured. */
    public boolean devMode() {
        return generated;
    }

    @Override
    public String toString() {
        return "ApiKeys" + byId.keySet() + (generated ? " (generated for development)" : "");
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
