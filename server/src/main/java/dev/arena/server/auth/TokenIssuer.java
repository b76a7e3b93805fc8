package dev.arena.server.auth;

import io.jsonwebtoken.Jwts;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Signs access tokens (JWT, HS256) with one API key; the key id goes in the {@code kid} header and {@code iss}. */
public final class TokenIssuer {
    static final String CLAIM_ROOM = "room";
    static final String CLAIM_NAME = "name";
    static final String CLAIM_ROLE = "role";
    static final String CLAIM_GRANTS = "grants";
    /** The grant of a server token (REST API); server tokens carry no room and no role. */
    public static final String GRANT_SERVER_ADMIN = "serverAdmin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKey key;
    private final Clock clock;

    public TokenIssuer(ApiKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public TokenIssuer(ApiKey key) {
        this(key, Clock.systemUTC());
    }

    /** An issuer signing with the primary key of {@code keys}. */
    public static TokenIssuer forKeys(ApiKeys keys) {
        return new TokenIssuer(keys.primary());
    }

    /** A signed compact JWT: valid from now (whole seconds) for {@code token.ttl()}. */
    public String issue(AccessToken token) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant exp = now.plusSeconds(token.ttl().toSeconds());
        Map<String, Object> grants = new LinkedHashMap<>();
        for (Grant g : Grant.values()) {
            grants.put(g.wireName(), token.grants().has(g));
        }
        var builder = Jwts.builder()
                .header().keyId(key.id()).type("JWT").and()
                .issuer(key.id())
                .subject(token.identity())
                .claim(CLAIM_ROOM, token.room());
        if (token.name() != null && !token.name().isEmpty()) {
            builder.claim(CLAIM_NAME, token.name());
        }
        return builder
                .claim(CLAIM_ROLE, token.role().wireName())
                .claim(CLAIM_GRANTS, grants)
                .issuedAt(Date.from(now))
                .notBefore(Date.from(now))
                .expiration(Date.from(exp))
                .id(randomId())
                .signWith(key.hmacKey(), Jwts.SIG.HS256)
                .compact();
    }

    /**
     * A server token for the REST API: grants {@value #GRANT_SERVER_ADMIN}, valid from now for {@code ttl};
     * {@code subject} names who uses it (for logs).
     */
    public String issueServer(String subject, java.time.Duration ttl) {
        AccessToken.checkField("subject", subject);
        if (ttl.toSeconds() < 1 || ttl.compareTo(AccessToken.MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be between 1 s and " + AccessToken.MAX_TTL.toDays()
                    + " days, got " + ttl);
        }
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        return Jwts.builder()
                .header().keyId(key.id()).type("JWT").and()
                .issuer(key.id())
                .subject(subject)
                .claim(CLAIM_GRANTS, Map.of(GRANT_SERVER_ADMIN, true))
                .issuedAt(Date.from(now))
                .notBefore(Date.from(now))
                .expiration(Date.from(now.plusSeconds(ttl.toSeconds())))
                .id(randomId())
                .signWith(key.hmacKey(), Jwts.SIG.HS256)
                .compact();
    }

    public String keyId() {
        return key.id();
    }

    private static String randomId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
