package dev.arena.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.ServerClaims;
import dev.arena.server.auth.TokenException;
import dev.arena.server.auth.TokenVerifier;
import dev.arena.server.config.RoomLimits;
import dev.arena.server.http.HttpRequest;
import dev.arena.server.http.HttpResponse;
import dev.arena.server.http.HttpRoute;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.signaling.RoomService;
import dev.arena.server.signaling.SignalingException;
import dev.arena.server.signaling.Wire;
import dev.arena.server.stage.Permissions;
import dev.arena.server.stage.StageException;
import dev.arena.server.stage.StageParticipant;
import dev.arena.server.stage.StageRoom;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API at {@code /api/v1/} (described in {@code openapi.json}, served at {@code /api/v1/openapi.json}):
 * rooms and their participants, for a backend holding a server token ({@code Authorization: Bearer}, see
 * {@link TokenVerifier#verifyServer}). Changes go through {@link RoomService}, so participants hear of them as
 * if a host had made them ({@code by: "api"}).
 */
public final class ApiService implements HttpRoute {
    private static final Logger log = LoggerFactory.getLogger(ApiService.class);
    public static final String PREFIX = "/api/v1";

    @FunctionalInterface
    private interface Handler {
        HttpResponse handle(HttpRequest req, List<String> params) throws JsonHttp.Failure, SignalingException;
    }

    /** One operation: a method and a path template under {@link #PREFIX} ({@code {name}} matches one segment). */
    private record Route(String method, String template, boolean authenticated, Handler handler) {
        /** The values of the template's parameters in {@code segments}, or null when it does not match. */
        List<String> match(String[] segments) {
            String[] t = template.substring(1).split("/");
            if (t.length != segments.length) {
                return null;
            }
            List<String> params = new ArrayList<>();
            for (int i = 0; i < t.length; i++) {
                if (t[i].startsWith("{")) {
                    if (segments[i].isEmpty()) {
                        return null;
                    }
                    params.add(segments[i]);
                } else if (!t[i].equals(segments[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    private final RoomService rooms;
    private final TokenVerifier verifier;
    private final List<Route> routes;
    private final byte[] openApi;

    public ApiService(RoomService rooms, TokenVerifier verifier) {
        this.rooms = Objects.requireNonNull(rooms);
        this.verifier = Objects.requireNonNull(verifier);
        this.openApi = resource("openapi.json");
        this.routes = List.of(
                new Route("GET", "/openapi.json", false, (r, p) -> HttpResponse.of(200, "application/json",
                        new String(openApi, StandardCharsets.UTF_8))),
                new Route("GET", "/rooms", true, (r, p) -> listRooms()),
                new Route("POST", "/rooms", true, (r, p) -> createRoom(JsonHttp.body(r))),
                new Route("GET", "/rooms/{room}", true, (r, p) -> json(200, roomJson(room(p.get(0))))),
                new Route("DELETE", "/rooms/{room}", true, (r, p) -> deleteRoom(p.get(0))),
                new Route("GET", "/rooms/{room}/participants", true, (r, p) -> participants(p.get(0))),
                new Route("PATCH", "/rooms/{room}/participants/{identity}", true,
                        (r, p) -> updateParticipant(p.get(0), p.get(1), JsonHttp.body(r))),
                new Route("DELETE", "/rooms/{room}/participants/{identity}", true,
                        (r, p) -> removeParticipant(p.get(0), p.get(1))),
                new Route("POST", "/rooms/{room}/messages", true, (r, p) -> sendMessage(p.get(0), JsonHttp.body(r))));
    }

    /** "METHOD /template" of every operation, for the check against openapi.json. */
    public Set<String> operations() {
        Set<String> out = new LinkedHashSet<>();
        for (Route r : routes) {
            out.add(r.method() + " " + r.template());
        }
        return out;
    }

    @Override
    public HttpResponse handle(HttpRequest req) {
        try {
            return route(req);
        } catch (JsonHttp.Failure f) {
            return f.response();
        } catch (SignalingException e) {
            return signalingError(e);
        } catch (RuntimeException e) {
            log.error("{} {} failed", req.method(), req.path(), e);
            return JsonHttp.error(500, "internal", "internal error (logged by the node)");
        }
    }

    private HttpResponse route(HttpRequest req) throws JsonHttp.Failure, SignalingException {
        if (!req.path().startsWith(PREFIX + "/")) {
            throw new JsonHttp.Failure(404, "not_found", "no such resource: " + req.path());
        }
        String[] segments = req.path().substring(PREFIX.length() + 1).split("/", -1);
        String method = req.method().toUpperCase(Locale.ROOT);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            List<String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            allowed.add(route.method());
            if (route.method().equals(method)) {
                if (route.authenticated()) {
                    authenticate(req);
                }
                return route.handler().handle(req, params);
            }
        }
        if (allowed.isEmpty()) {
            throw new JsonHttp.Failure(404, "not_found", "no such resource: " + req.path()
                    + " (see " + PREFIX + "/openapi.json)");
        }
        // CORS preflights (OPTIONS) are the web server's: the route is registered with CORS on
        String allow = String.join(", ", allowed);
        return JsonHttp.error(405, "method_not_allowed", method + " is not allowed here (Allow: " + allow + ")")
                .withHeader("Allow", allow);
    }

    private ServerClaims authenticate(HttpRequest req) throws JsonHttp.Failure {
        String auth = req.header().apply("Authorization");
        if (auth == null || auth.isBlank()) {
            throw unauthorized("no Authorization header: send 'Authorization: Bearer <server token>'"
                    + " (./arena token --server)");
        }
        String a = auth.strip();
        if (a.length() < 7 || !a.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            throw unauthorized("the Authorization header is not 'Bearer <server token>'");
        }
        try {
            return verifier.verifyServer(a.substring(7).strip());
        } catch (TokenException e) {
            if (e.code() == TokenException.Code.MISSING_GRANT) {
                throw new JsonHttp.Failure(403, "forbidden", e.getMessage());
            }
            throw unauthorized(e.code().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        }
    }

    private static JsonHttp.Failure unauthorized(String message) {
        return new JsonHttp.Failure(401, "unauthorized", message);
    }

    // ---- operations

    private HttpResponse listRooms() {
        ObjectNode body = Wire.object();
        ArrayNode list = body.putArray("rooms");
        for (StageRoom r : rooms.stage().rooms()) {
            list.add(roomJson(r));
        }
        return json(200, body);
    }

    private HttpResponse createRoom(ObjectNode body) throws JsonHttp.Failure {
        String id = JsonHttp.text(body, "id", false);
        if (id == null) {
            id = Rooms.newName();
        } else if (!Rooms.isValidName(id)) {
            throw new JsonHttp.Failure(400, "bad_request", "a room id is 1-64 characters of A-Z a-z 0-9 _ -");
        }
        String title = JsonHttp.text(body, "title", false);
        if (title != null && title.length() > 256) {
            throw new JsonHttp.Failure(400, "bad_request", "a title has at most 256 characters");
        }
        RoomLimits limits = limits(body.get("limits"), rooms.defaultLimits());
        try {
            StageRoom r = rooms.stage().create(id, title, limits);
            log.info("room {} created by the REST API", id);
            return json(201, roomJson(r)).withHeader("Location", PREFIX + "/rooms/" + id);
        } catch (StageException e) {
            throw new JsonHttp.Failure(409, "room_exists", e.getMessage());
        }
    }

    /** {@code limits} with each given field checked against the node's own (a room may only be tighter). */
    static RoomLimits limits(JsonNode n, RoomLimits node) throws JsonHttp.Failure {
        if (n == null || n.isNull()) {
            return node;
        }
        if (!n.isObject()) {
            throw new JsonHttp.Failure(400, "bad_request", "limits must be an object");
        }
        return new RoomLimits(limit(n, "participants", node.participants()), limit(n, "speakers", node.speakers()),
                limit(n, "tracksPerParticipant", node.tracksPerParticipant()));
    }

    private static int limit(JsonNode limits, String field, int max) throws JsonHttp.Failure {
        JsonNode v = limits.get(field);
        if (v == null || v.isNull()) {
            return max;
        }
        if (!v.isInt() || v.intValue() < 1 || v.intValue() > max) {
            throw new JsonHttp.Failure(400, "bad_request", "limits." + field + " must be a whole number from 1 to "
                    + max + " (this node's limit)");
        }
        return v.intValue();
    }

    private HttpResponse deleteRoom(String room) throws JsonHttp.Failure {
        if (!rooms.closeRoom(room)) {
            throw noRoom(room);
        }
        return new HttpResponse(204, null, null);
    }

    private HttpResponse participants(String room) throws JsonHttp.Failure {
        ObjectNode body = Wire.object();
        ArrayNode list = body.putArray("participants");
        for (StageParticipant p : room(room).participants()) {
            list.add(participantJson(p));
        }
        return json(200, body);
    }

    private HttpResponse updateParticipant(String room, String identity, ObjectNode body)
            throws JsonHttp.Failure, SignalingException {
        String roleName = JsonHttp.text(body, "role", false);
        Role role = null;
        if (roleName != null) {
            role = Role.fromWire(roleName);
            if (role == null) {
                throw new JsonHttp.Failure(400, "bad_request", "role must be host, speaker or listener");
            }
        }
        JsonNode perms = body.get("permissions");
        if (perms != null && !perms.isObject()) {
            throw new JsonHttp.Failure(400, "bad_request", "permissions must be an object");
        }
        if (role == null && perms == null) {
            throw new JsonHttp.Failure(400, "bad_request", "give role and/or permissions");
        }
        StageParticipant p = rooms.stage().participant(room, identity).orElseThrow(() ->
                new JsonHttp.Failure(404, "not_found", "'" + identity + "' is not in room '" + room + "'"));
        Permissions permissions = null;
        if (perms != null) {
            Permissions old = p.permissions();
            permissions = new Permissions(flag(perms, "publish", old.publish()), flag(perms, "subscribe",
                    old.subscribe()), flag(perms, "admin", old.admin()));
        }
        if (role != null) {
            p = rooms.setRole(RoomService.Actor.API, room, identity, role);
        }
        if (permissions != null) {
            p = rooms.setPermissions(RoomService.Actor.API, room, identity, permissions);
        }
        return json(200, participantJson(p));
    }

    private static boolean flag(JsonNode n, String field, boolean absent) throws JsonHttp.Failure {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw new JsonHttp.Failure(400, "bad_request", "permissions." + field + " must be true or false");
        }
        return v.booleanValue();
    }

    private HttpResponse removeParticipant(String room, String identity) throws SignalingException {
        rooms.remove(RoomService.Actor.API, room, identity);
        return new HttpResponse(204, null, null);
    }

    private HttpResponse sendMessage(String room, ObjectNode body) throws JsonHttp.Failure, SignalingException {
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual()) {
            throw new JsonHttp.Failure(400, "bad_request", "text is required (a string)");
        }
        rooms.chat(RoomService.Actor.API, room, text.textValue());
        return new HttpResponse(204, null, null);
    }

    // ---- JSON

    private StageRoom room(String room) throws JsonHttp.Failure {
        return rooms.stage().room(room).orElseThrow(() -> noRoom(room));
    }

    private static JsonHttp.Failure noRoom(String room) {
        return new JsonHttp.Failure(404, "not_found", "no room '" + room + "'");
    }

    static ObjectNode roomJson(StageRoom r) {
        ObjectNode n = Wire.object().put("id", r.id());
        if (r.title() != null) {
            n.put("title", r.title());
        }
        n.set("limits", Wire.limits(r.limits()));
        n.put("createdAt", r.createdAtMs()).put("participants", r.participants().size())
                .put("onStage", r.onStageCount());
        n.set("hands", Wire.strings(r.hands()));
        return n;
    }

    static ObjectNode participantJson(StageParticipant p) {
        return Wire.participant(p).put("hidden", p.hidden()).set("permissions", Wire.permissions(p.permissions()));
    }

    private static HttpResponse json(int status, ObjectNode body) {
        return JsonHttp.json(status, body);
    }

    private static HttpResponse signalingError(SignalingException e) {
        int status = switch (e.code()) {
            case NOT_FOUND -> 404;
            case ROOM_FULL, SPEAKERS_FULL -> 409;
            case NOT_ALLOWED -> 403;
            case BAD_REQUEST, BAD_MESSAGE -> 400;
            default -> 500;
        };
        return JsonHttp.error(status, e.code().wireName(), e.getMessage());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
