package dev.arena.server.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.server.api.JsonHttp;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.Grants;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenIssuer;
import dev.arena.server.http.HttpRequest;
import dev.arena.server.http.HttpResponse;
import dev.arena.server.http.HttpRoute;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.signaling.RoomService;
import dev.arena.server.signaling.Wire;
import dev.arena.server.stage.StageException;
import dev.arena.server.stage.StageStore;
import dev.arena.server.config.RoomLimits;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo app's token endpoints, without any login: anyone may start an event and anyone may join one as a
 * listener. Only for a node that runs the demo (the demo setting; off, every request is 404). At most
 * {@value #MAX_EVENTS} events at once; an event's room is closed once its tokens have expired ({@link #TOKEN_TTL}).
 * <ul>
 * <li>{@code POST /demo/events} {@code {"hostName", "title"?}}: 201 {@code {room, identity, hostToken,
 * audienceUrl}}, a new room with its host's token (join, publish, subscribe, roomAdmin).</li>
 * <li>{@code POST /demo/tokens} {@code {"room", "name"}}: 201 {@code {token, identity}}, a listener's token
 * (join, subscribe, publish: it publishes once a host approves its raised hand); 404 for an unknown room.</li>
 * </ul>
 */
public final class DemoService implements HttpRoute {
    private static final Logger log = LoggerFactory.getLogger(DemoService.class);
    public static final Duration TOKEN_TTL = Duration.ofHours(4);
    /** Demo events open at once; anyone may make one, so they are bounded. */
    public static final int MAX_EVENTS = 1000;
    static final int MAX_NAME = 64;

    private final boolean enabled;
    private final RoomService rooms;
    private final StageStore stage;
    private final RoomLimits limits;
    private final TokenIssuer issuer;
    private final SecureRandom random = new SecureRandom();
    /** demo rooms by creation time (ms); one is closed once its tokens have expired */
    private final Map<String, Long> events = new ConcurrentHashMap<>();
    private final LongSupplier clockMs;
    private final int maxEvents;

    public DemoService(boolean enabled, RoomService rooms, RoomLimits limits, TokenIssuer issuer) {
        this(enabled, rooms, limits, issuer, System::currentTimeMillis, MAX_EVENTS);
    }

    DemoService(boolean enabled, RoomService rooms, RoomLimits limits, TokenIssuer issuer, LongSupplier clockMs,
                int maxEvents) {
        this.enabled = enabled;
        this.clockMs = clockMs;
        this.maxEvents = maxEvents;
        this.rooms = Objects.requireNonNull(rooms);
        this.stage = rooms.stage();
        this.limits = Objects.requireNonNull(limits);
        this.issuer = Objects.requireNonNull(issuer);
    }

    @Override
    public HttpResponse handle(HttpRequest req) {
        if (!enabled) {
            return JsonHttp.error(404, "not_found", "the demo is off on this node");
        }
        try {
            String path = req.path().endsWith("/") ? req.path().substring(0, req.path().length() - 1) : req.path();
            boolean post = req.method().equalsIgnoreCase("POST");
            return switch (path) {
                case "/demo/events" -> post ? event(req) : notAllowed();
                case "/demo/tokens" -> post ? token(req) : notAllowed();
                default -> JsonHttp.error(404, "not_found", "no such resource: " + req.path());
            };
        } catch (JsonHttp.Failure f) {
            return f.response();
        }
    }

    private HttpResponse event(HttpRequest req) throws JsonHttp.Failure {
        ObjectNode body = JsonHttp.body(req);
        String hostName = name(body, "hostName");
        String title = JsonHttp.text(body, "title", false);
        if (title != null && title.length() > 256) {
            throw new JsonHttp.Failure(400, "bad_request", "a title has at most 256 characters");
        }
        closeExpiredEvents();
        if (events.size() >= maxEvents) {
            throw new JsonHttp.Failure(503, "too_many_events", "this node runs " + maxEvents
                    + " demo events already; try again later");
        }
        String room;
        while (true) {
            room = Rooms.newName();
            try {
                stage.create(room, title, limits);
                events.put(room, clockMs.getAsLong());
                break;
            } catch (StageException e) {
                // taken: draw again
            }
        }
        String identity = identity("host", hostName);
        String token = issuer.issue(new AccessToken(room, identity, hostName, Role.HOST,
                new Grants(true, true, true, true, false), TOKEN_TTL));
        log.info("demo event {} created for host {}", room, identity);
        ObjectNode out = Wire.object().put("room", room).put("identity", identity).put("hostToken", token)
                .put("audienceUrl", req.origin() + "/?room=" + room);
        return JsonHttp.json(201, out);
    }

    private HttpResponse token(HttpRequest req) throws JsonHttp.Failure {
        ObjectNode body = JsonHttp.body(req);
        String room = JsonHttp.text(body, "room", true);
        String name = name(body, "name");
        if (!stage.exists(room)) {
            throw new JsonHttp.Failure(404, "not_found", "no event '" + room + "'");
        }
        String identity = identity("guest", name);
        String token = issuer.issue(new AccessToken(room, identity, name, Role.LISTENER,
                new Grants(true, true, true, false, false), TOKEN_TTL));
        return JsonHttp.json(201, Wire.object().put("token", token).put("identity", identity));
    }

    /** Closes the demo rooms whose tokens have all expired (the room of a deleted event is just forgotten). */
    private void closeExpiredEvents() {
        long cutoff = clockMs.getAsLong() - TOKEN_TTL.toMillis();
        events.entrySet().removeIf(e -> {
            if (e.getValue() > cutoff && stage.exists(e.getKey())) {
                return false;
            }
            rooms.closeRoom(e.getKey());
            return true;
        });
    }

    private static String name(ObjectNode body, String field) throws JsonHttp.Failure {
        String name = JsonHttp.text(body, field, true).strip();
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new JsonHttp.Failure(400, "bad_request", field + " has 1 to " + MAX_NAME
                    + " characters, without control characters");
        }
        return name;
    }

    /** A unique identity readable in logs: the name's letters and digits (else {@code fallback}) and a random tail. */
    private String identity(String fallback, String name) {
        String slug = Normalizer.normalize(name, Normalizer.Form.NFD).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            slug = fallback;
        }
        if (slug.length() > 24) {
            slug = slug.substring(0, 24);
        }
        return slug + "-" + Integer.toString(random.nextInt(1 << 30) | 1 << 30, 36).substring(0, 6);
    }

    private static HttpResponse notAllowed() {
        return JsonHttp.error(405, "method_not_allowed", "use POST").withHeader("Allow", "POST");
    }
}
