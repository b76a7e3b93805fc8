package dev.arena.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.arena.server.auth.TokenException.Code;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Random;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final ApiKey KEY = new ApiKey("key-one", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-0001");
    private static final ApiKey KEY2 = new ApiKey("key-two", "another-secret-another-secret-another-0002");
    private static final ApiKeys KEYS = ApiKeys.of(KEY);

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    private static String issue(AccessToken token) {
        return new TokenIssuer(KEY, at(T0)).issue(token);
    }

    private static AccessClaims verifyAt(Instant t, String token, String room) throws TokenException {
        return new TokenVerifier(KEYS, at(t)).verify(token, room);
    }

    private static Code refusal(ApiKeys keys, Instant t, String token, String room) {
        TokenException e = assertThrows(TokenException.class, () -> new TokenVerifier(keys, at(t)).verify(token, room));
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().isBlank());
        return e.code();
    }

    private static Code refusal(String token, String room) {
        return refusal(KEYS, T0, token, room);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    @Test
    void roundTripCarriesEveryClaim() throws TokenException {
        Grants grants = new Grants(true, true, false, true, true);
        AccessToken token = new AccessToken("town-hall", "alice", "Alice Ä.", Role.SPEAKER, grants, Duration.ofHours(2));
        String jwt = issue(token);
        String[] parts = jwt.split("\\.");
        assertTrue(json(parts[0]).contains("\"kid\":\"key-one\""), json(parts[0]));
        assertTrue(json(parts[0]).contains("\"alg\":\"HS256\""), json(parts[0]));

        AccessClaims c = verifyAt(T0.plus(Duration.ofHours(1)), jwt, "town-hall");
        assertEquals("key-one", c.keyId());
        assertEquals("town-hall", c.room());
        assertEquals("alice", c.identity());
        assertEquals("Alice Ä.", c.name());
        assertEquals("Alice Ä.", c.displayName());
        assertEquals(Role.SPEAKER, c.role());
        assertEquals(grants, c.grants());
        assertEquals(T0, c.issuedAt());
        assertEquals(T0, c.notBefore());
        assertEquals(T0.plus(Duration.ofHours(2)), c.expiresAt());
        assertNotNull(c.tokenId());
        assertEquals(Code.MISSING_GRANT, assertThrows(TokenException.class, () -> c.require(Grant.SUBSCRIBE)).code());
        c.require(Grant.HIDDEN);
    }

    @Test
    void serverTokensAreTheirOwnKind() throws TokenException {
        String server = new TokenIssuer(KEY, at(T0)).issueServer("backend", java.time.Duration.ofMinutes(10));
        TokenVerifier verifier = new TokenVerifier(KEYS, at(T0));
        assertEquals("backend", verifier.verifyServer(server).subject());
        assertEquals(T0.plusSeconds(600), verifier.verifyServer(server).expiresAt());
        TokenException room = assertThrows(TokenException.class,
                () -> verifier.verifyServer(issue(AccessToken.of("r", "ann", Role.HOST))));
        assertEquals(Code.MISSING_GRANT, room.code(), "a room's host token is no server token");
        assertEquals(Code.EXPIRED, assertThrows(TokenException.class, () -> new TokenVerifier(KEYS,
                at(T0.plusSeconds(3600))).verifyServer(server)).code());
        assertEquals(Code.UNKNOWN_KEY, assertThrows(TokenException.class, () -> new TokenVerifier(ApiKeys.of(KEY2),
                at(T0)).verifyServer(server)).code());
    }

    @Test
    void roleDefaultsAndNoName() throws TokenException {
        for (Role role : Role.values()) {
            AccessClaims c = verifyAt(T0, issue(AccessToken.of("r", "bob", role)), "r");
            assertEquals(role, c.role());
            assertEquals(Grants.forRole(role), c.grants());
            assertNull(c.name());
            assertEquals("bob", c.displayName());
            assertEquals(T0.plus(AccessToken.DEFAULT_TTL), c.expiresAt());
        }
        assertFalse(Grants.forRole(Role.LISTENER).publish());
        assertTrue(Grants.forRole(Role.HOST).roomAdmin());
    }

    @Test
    void keyIdFromIssWhenThereIsNoKidHeader() throws TokenException {
        String jwt = Jwts.builder().issuer("key-one").subject("carol").claim("room", "r").claim("role", "listener")
                .claim("grants", Map.of("join", true, "subscribe", true))
                .expiration(Date.from(T0.plusSeconds(60)))
                .signWith(KEY.hmacKey(), Jwts.SIG.HS256).compact();
        AccessClaims c = verifyAt(T0, jwt, "r");
        assertEquals("key-one", c.keyId());
        assertEquals("carol", c.identity());
        assertEquals(new Grants(true, false, true, false, false), c.grants());
    }

    @Test
    void tamperedPayloadOrSignatureIsBadSignature() {
        String jwt = issue(AccessToken.of("r", "dave", Role.LISTENER));
        String[] p = jwt.split("\\.");
        String payload = json(p[1]).replace("\"role\":\"listener\"", "\"role\":\"host\"");
        assertTrue(payload.contains("\"host\""));
        assertEquals(Code.BAD_SIGNATURE, refusal(p[0] + "." + b64(payload) + "." + p[2], "r"));

        String otherRoom = json(p[1]).replace("\"room\":\"r\"", "\"room\":\"x\"");
        assertEquals(Code.BAD_SIGNATURE, refusal(p[0] + "." + b64(otherRoom) + "." + p[2], "x"));

        char c = p[2].charAt(0);
        String sig = (c == 'A' ? 'B' : 'A') + p[2].substring(1);
        assertEquals(Code.BAD_SIGNATURE, refusal(p[0] + "." + p[1] + "." + sig, "r"));

        String signedWithOtherSecret = new TokenIssuer(new ApiKey("key-one", KEY2.secret()), at(T0))
                .issue(AccessToken.of("r", "dave", Role.LISTENER));
        assertEquals(Code.BAD_SIGNATURE, refusal(signedWithOtherSecret, "r"));
    }

    @Test
    void expiryAndNotBeforeWithClockSkew() throws TokenException {
        String jwt = issue(AccessToken.of("r", "erin", Role.LISTENER).withTtl(Duration.ofHours(1)));
        Instant exp = T0.plus(Duration.ofHours(1));
        verifyAt(exp.plusSeconds(29), jwt, "r");
        assertEquals(Code.EXPIRED, refusal(KEYS, exp.plusSeconds(31), jwt, "r"));
        assertEquals(Code.EXPIRED, refusal(KEYS, exp.plus(Duration.ofDays(3)), jwt, "r"));

        verifyAt(T0.minusSeconds(29), jwt, "r");
        assertEquals(Code.NOT_YET_VALID, refusal(KEYS, T0.minusSeconds(31), jwt, "r"));
        assertEquals(Code.NOT_YET_VALID, refusal(KEYS, T0.minus(Duration.ofHours(5)), jwt, "r"));
    }

    @Test
    void wrongRoomAndMissingJoin() {
        String jwt = issue(AccessToken.of("room-a", "frank", Role.HOST));
        TokenException e = assertThrows(TokenException.class, () -> verifyAt(T0, jwt, "room-b"));
        assertEquals(Code.WRONG_ROOM, e.code());
        assertTrue(e.getMessage().contains("room-a") && e.getMessage().contains("room-b"), e.getMessage());

        String noJoin = issue(AccessToken.of("room-a", "frank", Role.HOST)
                .withGrants(Grants.forRole(Role.HOST).with(Grant.JOIN, false)));
        assertEquals(Code.MISSING_GRANT, refusal(noJoin, "room-a"));
    }

    @Test
    void unknownKeyId() {
        String jwt = new TokenIssuer(KEY2, at(T0)).issue(AccessToken.of("r", "gina", Role.LISTENER));
        TokenException e = assertThrows(TokenException.class, () -> verifyAt(T0, jwt, "r"));
        assertEquals(Code.UNKNOWN_KEY, e.code());
        assertTrue(e.getMessage().contains("key-two"), e.getMessage());
    }

    @Test
    void onlyHs256IsAccepted() {
        String good = issue(AccessToken.of("r", "hank", Role.LISTENER));
        String[] p = good.split("\\.");
        String none = b64("{\"alg\":\"none\",\"kid\":\"key-one\"}");
        assertEquals(Code.BAD_SIGNATURE, refusal(none + "." + p[1] + ".", "r"));
        assertEquals(Code.BAD_SIGNATURE, refusal(none + "." + p[1] + "." + p[2], "r"));
        String noneCaps = b64("{\"alg\":\"NONE\",\"kid\":\"key-one\"}");
        assertEquals(Code.BAD_SIGNATURE, refusal(noneCaps + "." + p[1] + ".", "r"));
        String hs256NoSig = p[0] + "." + p[1] + ".";
        assertEquals(Code.BAD_SIGNATURE, refusal(hs256NoSig, "r"));

        // HS512 with a key this node holds (long enough for HS512): still refused.
        ApiKey longKey = new ApiKey("key-long", "x".repeat(32) + "y".repeat(40));
        String hs512 = Jwts.builder().header().keyId("key-long").and().subject("hank").claim("room", "r")
                .claim("role", "listener").claim("grants", Map.of("join", true))
                .expiration(Date.from(T0.plusSeconds(600)))
                .signWith(new SecretKeySpec(longKey.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA512"),
                        Jwts.SIG.HS512)
                .compact();
        assertTrue(json(hs512.split("\\.")[0]).contains("HS512"));
        assertEquals(Code.BAD_SIGNATURE, refusal(ApiKeys.of(longKey), T0, hs512, "r"));

        String rs256 = b64("{\"alg\":\"RS256\",\"kid\":\"key-one\"}");
        assertEquals(Code.BAD_SIGNATURE, refusal(rs256 + "." + p[1] + "." + p[2], "r"));
    }

    @Test
    void oversizeAndGarbageAreMalformed() {
        String good = issue(AccessToken.of("r", "ivy", Role.LISTENER));
        String[] p = good.split("\\.");
        String huge = p[0] + "." + b64("{\"pad\":\"" + "z".repeat(9000) + "\"}") + "." + p[2];
        TokenException e = assertThrows(TokenException.class, () -> verifyAt(T0, huge, "r"));
        assertEquals(Code.MALFORMED, e.code());
        assertTrue(e.getMessage().contains("8192"), e.getMessage());

        String hdr = p[0];
        for (String garbage : new String[] {
                "", "   ", "abc", "a.b", "a.b.c", "a.b.c.d", "....", good + ".x", "Bearer " + good,
                "%%%." + p[1] + "." + p[2],
                b64("not json") + "." + p[1] + "." + p[2],
                b64("[1,2]") + "." + p[1] + "." + p[2],
                b64("{\"kid\":\"key-one\"}") + "." + p[1] + "." + p[2],
                b64("{\"alg\":7,\"kid\":\"key-one\"}") + "." + p[1] + "." + p[2],
                b64("{\"alg\":\"HS256\"}") + "." + b64("{}") + "." + p[2],
                b64("{\"alg\":\"HS256\",\"kid\":5}") + "." + p[1] + "." + p[2],
                hdr + ".%%%." + p[2],
                b64("{\"alg\":\"HS256\",\"kid\":\"key-one\",\"zip\":\"DEF\"}") + "." + p[1] + "." + p[2],
                b64("{\"alg\":\"HS256\",\"kid\":\"key-one\",\"b64\":false,\"crit\":[\"b64\"]}") + "." + p[1] + "." + p[2],
        }) {
            assertEquals(Code.MALFORMED, refusal(garbage, "r"), garbage);
        }
        assertEquals(Code.MALFORMED, refusal(null, "r"));
    }

    @Test
    void signedButIncompleteClaimsAreMalformed() {
        String noExp = Jwts.builder().header().keyId("key-one").and().subject("j").claim("room", "r")
                .claim("role", "listener").claim("grants", Map.of("join", true))
                .signWith(KEY.hmacKey(), Jwts.SIG.HS256).compact();
        assertEquals(Code.MALFORMED, refusal(noExp, "r"));
        String badRole = Jwts.builder().header().keyId("key-one").and().subject("j").claim("room", "r")
                .claim("role", "king").claim("grants", Map.of("join", true)).expiration(Date.from(T0.plusSeconds(60)))
                .signWith(KEY.hmacKey(), Jwts.SIG.HS256).compact();
        assertEquals(Code.MALFORMED, refusal(badRole, "r"));
        String badGrant = Jwts.builder().header().keyId("key-one").and().subject("j").claim("room", "r")
                .claim("role", "host").claim("grants", Map.of("join", "yes")).expiration(Date.from(T0.plusSeconds(60)))
                .signWith(KEY.hmacKey(), Jwts.SIG.HS256).compact();
        assertEquals(Code.MALFORMED, refusal(badGrant, "r"));
        String noRoom = Jwts.builder().header().keyId("key-one").and().subject("j")
                .claim("role", "host").claim("grants", Map.of("join", true)).expiration(Date.from(T0.plusSeconds(60)))
                .signWith(KEY.hmacKey(), Jwts.SIG.HS256).compact();
        assertEquals(Code.MALFORMED, refusal(noRoom, "r"));
        String roomNumber = Jwts.builder().header().keyId("key-one").and().subject("j").claim("room", 42)
                .claim("role", "host").claim("grants", Map.of("join", true)).expiration(Date.from(T0.plusSeconds(60)))
                .signWith(KEY.hmacKey(), Jwts.SIG.HS256).compact();
        assertEquals(Code.MALFORMED, refusal(roomNumber, "r"));
    }

    @Test
    void mutatedTokensOnlyEverFailWithATokenException() {
        String good = issue(AccessToken.of("r", "kim", Role.HOST).withName("Kim"));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"";
        Random random = new Random(42);
        TokenVerifier verifier = new TokenVerifier(KEYS, at(T0));
        for (int i = 0; i < 5000; i++) {
            StringBuilder s = new StringBuilder(good);
            int edits = 1 + random.nextInt(4);
            for (int k = 0; k < edits; k++) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0 -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> s.deleteCharAt(at);
                    default -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String t = s.toString();
            try {
                verifier.verify(t, "r");
            } catch (TokenException e) {
                continue;
            } catch (RuntimeException e) {
                fail("seed 42, case " + i + ": " + t + " threw " + e);
            }
        }
    }

    @Test
    void keyRotationWithTwoKeys() throws TokenException {
        String old = new TokenIssuer(KEY, at(T0)).issue(AccessToken.of("r", "lee", Role.SPEAKER));
        String fresh = new TokenIssuer(KEY2, at(T0)).issue(AccessToken.of("r", "lee", Role.SPEAKER));
        ApiKeys both = ApiKeys.of(KEY2, KEY);
        assertEquals("key-two", both.primary().id());
        TokenVerifier during = new TokenVerifier(both, at(T0));
        assertEquals("key-one", during.verify(old, "r").keyId());
        assertEquals("key-two", during.verify(fresh, "r").keyId());
        assertEquals("key-two", new TokenVerifier(both, at(T0)).verify(new TokenIssuer(both.primary(), at(T0))
                .issue(AccessToken.of("r", "lee", Role.SPEAKER)), "r").keyId());

        ApiKeys after = ApiKeys.of(KEY2);
        assertEquals(Code.UNKNOWN_KEY, refusal(after, T0, old, "r"));
        assertEquals("key-two", new TokenVerifier(after, at(T0)).verify(fresh, "r").keyId());
    }

    @Test
    void apiKeysGeneratedAndFromEnvironment() {
        ApiKeys dev = ApiKeys.generate();
        assertTrue(dev.devMode());
        ApiKey k = dev.primary();
        assertEquals(32, Base64.getUrlDecoder().decode(k.secret()).length);
        assertTrue(k.secret().matches("[A-Za-z0-9_-]{43}"), k.secret());
        assertFalse(dev.toString().contains(k.secret()));
        assertFalse(k.toString().contains(k.secret()));
        assertFalse(ApiKeys.generate().primary().secret().equals(k.secret()));

        assertTrue(ApiKeys.fromEnvironment(Map.of()).isEmpty());
        assertTrue(ApiKeys.fromEnvironmentOrGenerate(Map.of()).devMode());
        ApiKeys env = ApiKeys.fromEnvironment(Map.of(
                ApiKeys.ENV_KEY, "key-one", ApiKeys.ENV_SECRET, KEY.secret(),
                ApiKeys.ENV_KEYS, "key-two:" + KEY2.secret() + ", old:" + "o".repeat(40))).orElseThrow();
        assertFalse(env.devMode());
        assertEquals("key-one", env.primary().id());
        assertEquals(3, env.all().size());
        assertEquals(KEY2.secret(), env.find("key-two").orElseThrow().secret());
        assertTrue(env.find("nope").isEmpty());

        assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.fromEnvironment(Map.of(ApiKeys.ENV_KEY, "k")));
        assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.fromEnvironment(Map.of(ApiKeys.ENV_KEY, "k", ApiKeys.ENV_SECRET, "short")));
        assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.fromEnvironment(Map.of(ApiKeys.ENV_KEYS, "no-colon")));
        assertThrows(IllegalArgumentException.class, () -> new ApiKey("bad id", KEY.secret()));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.of(KEY, new ApiKey("key-one", KEY2.secret())));
    }

    @Test
    void accessTokenChecksItsFields() {
        assertThrows(IllegalArgumentException.class, () -> AccessToken.of("", "a", Role.HOST));
        assertThrows(IllegalArgumentException.class, () -> AccessToken.of("r", " ", Role.HOST));
        assertThrows(IllegalArgumentException.class, () -> AccessToken.of("r".repeat(300), "a", Role.HOST));
        assertThrows(IllegalArgumentException.class, () -> AccessToken.of("r", "a\n", Role.HOST));
        assertThrows(IllegalArgumentException.class, () -> AccessToken.of("r", "a", Role.HOST).withTtl(Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> AccessToken.of("r", "a", Role.HOST).withTtl(Duration.ofDays(400)));
    }
}
