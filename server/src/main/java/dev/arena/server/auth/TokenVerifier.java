package dev.arena.server.auth;

import static dev.arena.server.auth.TokenException.Code.BAD_SIGNATURE;
import static dev.arena.server.auth.TokenException.Code.EXPIRED;
import static dev.arena.server.auth.TokenException.Code.MALFORMED;
import static dev.arena.server.auth.TokenException.Code.MISSING_GRANT;
import static dev.arena.server.auth.TokenException.Code.NOT_YET_VALID;
import static dev.arena.server.auth.TokenException.Code.UNKNOWN_KEY;
import static dev.arena.server.auth.TokenException.Code.WRONG_ROOM;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SecurityException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Checks access tokens: size, shape, algorithm (HS256 only: {@code none} and every other algorithm are
 * refused before any key is looked at; so are the zip, b64 and crit header parameters), key id ({@code kid} header, else {@code iss}), signature, time
 * ({@code exp} required; {@code exp}/{@code nbf} with {@link #CLOCK_SKEW} of allowance), room and the
 * {@code join} grant. Thread-safe.
 */
public final class TokenVerifier {
    /** Allowance for clocks that disagree between the issuer and this node. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Longest token accepted, in characters; a token of ours is well under 1 KiB. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    static final String ALGORITHM = "HS256";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JwtParser> parsers = new HashMap<>();
    private final Clock clock;

    public TokenVerifier(ApiKeys keys, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        io.jsonwebtoken.Clock jwtClock = () -> Date.from(clock.instant());
        for (ApiKey key : keys.all()) {
            parsers.put(key.id(), Jwts.parser()
                    .verifyWith(key.hmacKey())
                    .clock(jwtClock)
                    .clockSkewSeconds(CLOCK_SKEW.toSeconds())
                    .build());
        }
    }

    public TokenVerifier(ApiKeys keys) {
        this(keys, Clock.systemUTC());
    }

    /**
     * The claims of {@code token} if it is valid now, for {@code expectedRoom}, and grants {@code join}.
     *
     * @throws TokenException with the reason it is not
     */
    public AccessClaims verify(String token, String expectedRoom) throws TokenException {
        Objects.requireNonNull(expectedRoom, "expectedRoom");
        AccessClaims claims = verifyAnyRoom(token);
        if (!claims.room().equals(expectedRoom)) {
            throw new TokenException(WRONG_ROOM, "the token is for room '" + claims.room()
                    + "', not for room '" + expectedRoom + "'");
        }
        claims.require(Grant.JOIN);
        return claims;
    }

    /** The claims of {@code token} if it is valid now, whatever its room and grants. */
    public AccessClaims verifyAnyRoom(String token) throws TokenException {
        Verified v = verifySignedAndCurrent(token);
        return toAccessClaims(v.keyId(), v.claims());
    }

    /**
     * The claims of a server token ({@link TokenIssuer#issueServer}) if it is valid now.
     *
     * @throws TokenException MISSING_GRANT for a valid token that is not a server token (a room's access token)
     */
    public ServerClaims verifyServer(String token) throws TokenException {
        Verified v = verifySignedAndCurrent(token);
        if (!(v.claims().get(TokenIssuer.CLAIM_GRANTS) instanceof Map<?, ?> grants)
                || !Boolean.TRUE.equals(grants.get(TokenIssuer.GRANT_SERVER_ADMIN))) {
            throw new TokenException(MISSING_GRANT, "the token does not grant " + TokenIssuer.GRANT_SERVER_ADMIN
                    + ": the REST API takes a server token (./arena token --server), not a room's access token");
        }
        if (v.claims().getExpiration() == null) {
            throw new TokenException(MALFORMED, "the token has no exp (expiry); tokens that never expire are refused");
        }
        return new ServerClaims(v.keyId(), v.claims().getSubject(), instant(v.claims().getExpiration()));
    }

    private record Verified(String keyId, Claims claims) {
    }

    /** Size, shape, algorithm, key, signature and time: everything but what the claims grant. */
    private Verified verifySignedAndCurrent(String token) throws TokenException {
        if (token == null || token.isBlank()) {
            throw new TokenException(MALFORMED, "no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException(MALFORMED, "the token has " + token.length() + " characters, over the limit of "
                    + MAX_TOKEN_LENGTH);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenException(MALFORMED, "a token is three base64url parts separated by dots (a signed JWT), this has "
                    + parts.length);
        }
        JsonNode header = decodeObject(parts[0], "header");
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw new TokenException(MALFORMED, "the token's header has no alg");
        }
        if (!ALGORITHM.equals(alg.textValue())) {
            throw new TokenException(BAD_SIGNATURE, "the token is signed with alg '" + alg.textValue()
                    + "'; only " + ALGORITHM + " is accepted");
        }
        if (header.has("zip") || header.has("b64") || header.has("crit")) {
            throw new TokenException(MALFORMED, "the token's header uses zip, b64 or crit, which access tokens do not");
        }
        if (parts[2].isEmpty()) {
            throw new TokenException(BAD_SIGNATURE, "the token has no signature");
        }
        String keyId = keyId(header, parts[1]);
        JwtParser parser = parsers.get(keyId);
        if (parser == null) {
            throw new TokenException(UNKNOWN_KEY, "the token is signed with API key '" + printable(keyId)
                    + "', which this node does not know");
        }
        Claims claims;
        try {
            claims = parser.parseSignedClaims(token).getPayload();
        } catch (ExpiredJwtException e) {
            throw new TokenException(EXPIRED, "the token expired at " + instant(e.getClaims().getExpiration())
                    + " (now " + clock.instant() + ", " + CLOCK_SKEW.toSeconds() + " s of clock skew allowed)", e);
        } catch (PrematureJwtException e) {
            throw new TokenException(NOT_YET_VALID, "the token is not valid before "
                    + instant(e.getClaims().getNotBefore()) + " (now " + clock.instant() + ", "
                    + CLOCK_SKEW.toSeconds() + " s of clock skew allowed)", e);
        } catch (SecurityException e) {
            throw new TokenException(BAD_SIGNATURE, "the token's signature does not match its contents", e);
        } catch (JwtException | IllegalArgumentException | ClassCastException e) {
            throw new TokenException(MALFORMED, "the token could not be read: " + e.getMessage(), e);
        }
        return new Verified(keyId, claims);
    }

    private static AccessClaims toAccessClaims(String keyId, Claims c) throws TokenException {
        if (c.getExpiration() == null) {
            throw new TokenException(MALFORMED, "the token has no exp (expiry); tokens that never expire are refused");
        }
        String room = string(c, TokenIssuer.CLAIM_ROOM, true);
        String identity = string(c, Claims.SUBJECT, true);
        String name = string(c, TokenIssuer.CLAIM_NAME, false);
        String roleName = string(c, TokenIssuer.CLAIM_ROLE, true);
        Role role = Role.fromWire(roleName);
        if (role == null) {
            throw new TokenException(MALFORMED, "the token's role '" + printable(roleName)
                    + "' is none of host, speaker, listener");
        }
        Object g = c.get(TokenIssuer.CLAIM_GRANTS);
        if (!(g instanceof Map<?, ?> map)) {
            throw new TokenException(MALFORMED, "the token has no grants object");
        }
        Grants grants = new Grants(false, false, false, false, false);
        for (Grant grant : Grant.values()) {
            Object v = map.get(grant.wireName());
            if (v == null) {
                continue;
            }
            if (!(v instanceof Boolean b)) {
                throw new TokenException(MALFORMED, "the token's grant '" + grant.wireName() + "' is not true or false");
            }
            grants = grants.with(grant, b);
        }
        return new AccessClaims(keyId, room, identity, name, role, grants,
                instant(c.getIssuedAt()), instant(c.getNotBefore()), instant(c.getExpiration()), c.getId());
    }

    private static String string(Claims c, String claim, boolean required) throws TokenException {
        Object v = c.get(claim);
        if (v == null || (v instanceof String s && s.isEmpty())) {
            if (required) {
                throw new TokenException(MALFORMED, "the token has no '" + claim + "' claim");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new TokenException(MALFORMED, "the token's '" + claim + "' claim is not a string");
        }
        if (s.length() > AccessToken.MAX_FIELD_LENGTH) {
            throw new TokenException(MALFORMED, "the token's '" + claim + "' claim is longer than "
                    + AccessToken.MAX_FIELD_LENGTH + " characters");
        }
        return s;
    }

    /** The key id from the {@code kid} header, else from the (not yet verified) {@code iss} claim. */
    private static String keyId(JsonNode header, String payloadPart) throws TokenException {
        JsonNode kid = header.get("kid");
        if (kid != null) {
            if (!kid.isTextual() || kid.textValue().isEmpty()) {
                throw new TokenException(MALFORMED, "the token's kid header is not a key id");
            }
            return kid.textValue();
        }
        JsonNode iss = decodeObject(payloadPart, "payload").get("iss");
        if (iss == null || !iss.isTextual() || iss.textValue().isEmpty()) {
            throw new TokenException(MALFORMED, "the token names no API key (neither a kid header nor an iss claim)");
        }
        return iss.textValue();
    }

    private static JsonNode decodeObject(String part, String what) throws TokenException {
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new TokenException(MALFORMED, "the token's " + what + " is not base64url", e);
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new TokenException(MALFORMED, "the token's " + what + " is not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new TokenException(MALFORMED, "the token's " + what + " is not a JSON object");
        }
        return node;
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
