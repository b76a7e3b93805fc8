package dev.arena.server.whip;

import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.server.auth.AccessClaims;
import dev.arena.server.auth.Grant;
import dev.arena.server.auth.TokenException;
import dev.arena.server.auth.TokenVerifier;
import dev.arena.server.http.HttpRequest;
import dev.arena.server.http.HttpResponse;
import dev.arena.server.http.HttpRoute;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.signaling.RoomService;
import dev.arena.server.signaling.SignalingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP (RFC 9725) and WHEP as an {@link HttpRoute}: register it for {@code /whip/} and {@code /whep/} with a body
 * limit of {@link #MAX_BODY_BYTES} and CORS on (the server answers the preflights and 413).
 *
 * <ul>
 * <li>{@code POST /whip/{room}} publishes, {@code POST /whep/{room}} watches: {@code Authorization: Bearer <token>}
 * (for that room, with the publish or subscribe grant), {@code Content-Type: application/sdp}; 201 with the answer,
 * {@code Location: /whip/{room}/{resource}} and an ETag.</li>
 * <li>{@code DELETE} on the Location ends the session (same token rules, and the token's identity or room admin).</li>
 * <li>{@code PATCH} (trickle ICE, ICE restart): 405; the server is ICE-lite and lists its candidates in the answer.</li>
 * </ul>
 * A refused request creates nothing: checks come first, the offer is negotiated dry (see {@link Rooms#join}).
 */
public final class WhipService implements HttpRoute {
    private static final Logger log = LoggerFactory.getLogger(WhipService.class);
    /** Largest offer accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final String SDP = "application/sdp";
    static final String ALLOW_COLLECTION = "POST, OPTIONS";
    static final String ALLOW_RESOURCE = "DELETE, OPTIONS";

    /** A session created by a POST, addressed by its Location. */
    private record Resource(String kind, String room, String participantId, String etag) {}

    private final Rooms rooms;
    private final RoomService stage;
    private final TokenVerifier verifier;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    /** @param stage where WHIP publishers (speakers) and WHEP viewers (hidden listeners) show up to signaling */
    public WhipService(Rooms rooms, RoomService stage, TokenVerifier verifier) {
        this.rooms = Objects.requireNonNull(rooms);
        this.stage = Objects.requireNonNull(stage);
        this.verifier = Objects.requireNonNull(verifier);
        rooms.addListener(new Rooms.Listener() {
            @Override
            public void onParticipantLeft(String room, String participant) {
                resources.values().removeIf(r -> r.room().equals(room) && r.participantId().equals(participant));
            }
        });
    }

    /** Sessions created and not yet ended. */
    public int resourceCount() {
        return resources.size();
    }

    @Override
    public HttpResponse handle(HttpRequest req) {
        try {
            return route(req);
        } catch (RuntimeException e) {
            log.warn("{} {} failed", req.method(), req.path(), e);
            return text(500, "internal error: " + e.getMessage());
        }
    }

    private HttpResponse route(HttpRequest req) {
        String[] parts = req.path().split("/", -1);
        // "", "whip", room [, resource]
        if (parts.length < 3 || parts.length > 4 || !parts[0].isEmpty()
                || !(parts[1].equals("whip") || parts[1].equals("whep"))) {
            return text(404, "not found: use /whip/{room} or /whep/{room}");
        }
        String kind = parts[1];
        String room = parts[2];
        if (!Rooms.isValidName(room)) {
            return text(400, "bad room name: 1-64 characters of A-Z a-z 0-9 _ -");
        }
        String method = req.method().toUpperCase(Locale.ROOT);
        if (parts.length == 3) {
            return switch (method) {
                case "POST" -> post(kind, room, req);
                default -> notAllowed(method, ALLOW_COLLECTION, "use POST with an SDP offer");
            };
        }
        String id = parts[3];
        return switch (method) {
            case "DELETE" -> delete(kind, room, id, req);
            case "PATCH" -> notAllowed(method, ALLOW_RESOURCE,
                    "trickle ICE and ICE restarts are not supported: the server is ICE-lite and lists its"
                            + " candidates in the answer");
            default -> notAllowed(method, ALLOW_RESOURCE, "use DELETE to end the session");
        };
    }

    private HttpResponse post(String kind, String room, HttpRequest req) {
        boolean publish = kind.equals("whip");
        Grant grant = publish ? Grant.PUBLISH : Grant.SUBSCRIBE;
        AccessClaims claims;
        try {
            claims = authorize(req, room, grant);
        } catch (TokenException e) {
            return tokenRefused(e);
        }
        String type = req.header().apply("Content-Type");
        if (type == null || !type.split(";", 2)[0].strip().equalsIgnoreCase(SDP)) {
            return text(415, "Content-Type must be " + SDP + ", got " + (type == null ? "none" : "'" + type + "'"));
        }
        String participantId = claims.identity();
        String answer;
        try {
            answer = rooms.join(room, participantId, new String(req.body(), StandardCharsets.UTF_8), publish);
        } catch (SdpParseException e) {
            return text(400, "malformed SDP offer: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return text(400, "bad SDP offer: " + e.getMessage());
        } catch (Rooms.JoinException e) {
            return switch (e.reason()) {
                case NOTHING_ACCEPTABLE -> text(422, e.getMessage());
                case NOTHING_TO_WATCH -> text(404, e.getMessage());
                case DUPLICATE -> text(409, e.getMessage() + " (DELETE its session first)");
            };
        }
        try {
            stage.joinedWithoutSignaling(claims, publish);
        } catch (SignalingException e) {
            rooms.leave(room, participantId);
            return text(409, e.code().wireName() + ": " + e.getMessage());
        }
        String id = randomId();
        String etag = "\"" + randomId() + "\"";
        resources.put(id, new Resource(kind, room, participantId, etag));
        String location = "/" + kind + "/" + room + "/" + id;
        log.info("{} session {} for '{}' in room {}", kind, id, participantId, room);
        return HttpResponse.of(201, SDP, answer).withHeader("Cache-Control", "no-store")
                .withHeader("Location", location).withHeader("ETag", etag);
    }

    private HttpResponse delete(String kind, String room, String id, HttpRequest req) {
        AccessClaims claims;
        try {
            claims = authorize(req, room, kind.equals("whip") ? Grant.PUBLISH : Grant.SUBSCRIBE);
        } catch (TokenException e) {
            return tokenRefused(e);
        }
        Resource r = resources.get(id);
        if (r == null || !r.kind().equals(kind) || !r.room().equals(room)) {
            return text(404, "no such session: " + kind + "/" + room + "/" + id);
        }
        if (!r.participantId().equals(claims.identity()) && !claims.grants().has(Grant.ROOM_ADMIN)) {
            return text(403, "the session belongs to '" + r.participantId() + "', not to '" + claims.identity() + "'");
        }
        resources.remove(id);
        stage.leftWithoutSignaling(room, r.participantId());
        rooms.leave(room, r.participantId());
        log.info("{} session {} of '{}' in room {} ended", kind, id, r.participantId(), room);
        return text(200, "session ended");
    }

    private AccessClaims authorize(HttpRequest req, String room, Grant grant) throws TokenException {
        String auth = req.header().apply("Authorization");
        if (auth == null || auth.isBlank()) {
            throw new TokenException(TokenException.Code.MALFORMED, "no Authorization header (Bearer token)");
        }
        String a = auth.strip();
        if (a.length() < 7 || !a.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            throw new TokenException(TokenException.Code.MALFORMED, "the Authorization header is not 'Bearer <token>'");
        }
        AccessClaims claims = verifier.verify(a.substring(7).strip(), room);
        claims.require(grant);
        return claims;
    }

    private static HttpResponse tokenRefused(TokenException e) {
        boolean forbidden = e.code() == TokenException.Code.WRONG_ROOM || e.code() == TokenException.Code.MISSING_GRANT;
        HttpResponse r = text(forbidden ? 403 : 401, e.code() + ": " + e.getMessage());
        return forbidden ? r : r.withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    private static HttpResponse notAllowed(String method, String allow, String hint) {
        return text(405, method + " is not allowed here (Allow: " + allow + "): " + hint).withHeader("Allow", allow);
    }

    private static HttpResponse text(int status, String message) {
        return HttpResponse.text(status, message).withHeader("Cache-Control", "no-store");
    }

    private String randomId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
