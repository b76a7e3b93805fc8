package dev.arena.server.signaling;

import static dev.arena.server.signaling.ErrorCode.ALREADY_JOINED;
import static dev.arena.server.signaling.ErrorCode.BAD_MESSAGE;
import static dev.arena.server.signaling.ErrorCode.BAD_REQUEST;
import static dev.arena.server.signaling.ErrorCode.INVALID_TOKEN;
import static dev.arena.server.signaling.ErrorCode.NOT_JOINED;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arena.server.auth.AccessClaims;
import dev.arena.server.auth.Grant;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenException;
import dev.arena.server.auth.TokenVerifier;
import dev.arena.server.http.WebSocketHandler;
import dev.arena.server.http.WebSocketSession;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.stage.StageTrack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling protocol of docs/protocol.md on one WebSocket endpoint ({@code /ws}): parses and checks each
 * message, then hands it to {@link RoomService}. Each connection's requests run one at a time, in order, on a
 * virtual thread of their own, so that a slow negotiation holds up nobody else (and a second offer arriving
 * meanwhile is refused with {@code negotiation_in_progress}).
 */
public final class SignalingService implements WebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(SignalingService.class);
    /** Largest message, in bytes of UTF-8. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Largest frame the endpoint reads; larger ones close the connection (1009). */
    public static final int MAX_FRAME_BYTES = 1024 * 1024;
    public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);
    static final Set<String> TYPES = Set.of("join", "offer", "raise_hand", "lower_hand", "set_role", "mute",
            "remove", "chat", "leave", "ping");

    private final RoomService rooms;
    private final TokenVerifier verifier;
    private final Duration joinTimeout;
    private final Map<WebSocketSession, Connection> connections = new ConcurrentHashMap<>();

    /** One WebSocket: its serial queue of requests and, once joined, its session. */
    private static final class Connection {
        final WebSocketSession socket;
        final ExecutorService serial = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("ws-", 0).factory());
        volatile Session session;
        /** an offer is queued or being answered (set and cleared under this object's lock) */
        boolean offerPending;
        /** it sent {@code leave} */
        volatile boolean left;

        Connection(WebSocketSession socket) {
            this.socket = socket;
        }
    }

    public SignalingService(RoomService rooms, TokenVerifier verifier, Duration joinTimeout) {
        this.rooms = Objects.requireNonNull(rooms);
        this.verifier = Objects.requireNonNull(verifier);
        this.joinTimeout = Objects.requireNonNull(joinTimeout);
    }

    public SignalingService(RoomService rooms, TokenVerifier verifier) {
        this(rooms, verifier, JOIN_TIMEOUT);
    }

    /** Open WebSocket connections. */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void onOpen(WebSocketSession socket) {
        Connection conn = new Connection(socket);
        connections.put(socket, conn);
        rooms.schedule(() -> {
            if (conn.session == null && socket.isOpen()) {
                socket.close(1008, "no join within " + joinTimeout.toSeconds() + " s");
            }
        }, joinTimeout);
    }

    @Override
    public void onText(WebSocketSession socket, String text) {
        Connection conn = connections.get(socket);
        if (conn == null) {
            return;
        }
        if (utf8Length(text) > MAX_MESSAGE_BYTES) {
            error(socket, null, ErrorCode.MESSAGE_TOO_LARGE, "a message is at most " + MAX_MESSAGE_BYTES
                    + " bytes of UTF-8");
            return;
        }
        JsonNode msg;
        try {
            msg = Wire.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            error(socket, null, BAD_MESSAGE, "not JSON: " + e.getOriginalMessage());
            return;
        }
        if (msg == null || !msg.isObject()) {
            error(socket, null, BAD_MESSAGE, "a message is a JSON object with a type");
            return;
        }
        JsonNode id = msg.get("id");
        if (id != null && !id.isTextual() && !id.isNumber()) {
            error(socket, null, BAD_MESSAGE, "id must be a string or a number");
            return;
        }
        JsonNode typeNode = msg.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            error(socket, id, BAD_MESSAGE, "a message needs a type (a string)");
            return;
        }
        String type = typeNode.textValue();
        if (!TYPES.contains(type)) {
            error(socket, id, ErrorCode.UNKNOWN_TYPE, "unknown type '" + printable(type) + "'");
            return;
        }
        if (type.equals("ping")) {
            socket.send(Wire.text(RoomService.reply("pong", id)));
            return;
        }
        boolean offer = type.equals("offer");
        if (offer) {
            synchronized (conn) {
                if (conn.offerPending) {
                    error(socket, id, ErrorCode.NEGOTIATION_IN_PROGRESS, "an offer is being answered: wait for its"
                            + " answer before the next offer");
                    return;
                }
                conn.offerPending = true;
            }
        }
        try {
            conn.serial.execute(() -> handle(conn, type, msg, id));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the connection closed meanwhile
        }
    }

    @Override
    public void onClose(WebSocketSession socket, int status, String reason) {
        Connection conn = connections.remove(socket);
        if (conn == null) {
            return;
        }
        conn.serial.execute(() -> {
            Session s = conn.session;
            if (s != null && !conn.left) {
                rooms.detach(s, socket);
            }
        });
        conn.serial.shutdown();
    }

    private void handle(Connection conn, String type, JsonNode msg, JsonNode id) {
        WebSocketSession socket = conn.socket;
        try {
            if (type.equals("join")) {
                join(conn, msg, id);
                return;
            }
            Session s = conn.session;
            if (s == null) {
                throw new SignalingException(NOT_JOINED, "the first message must be join");
            }
            RoomService.Actor me = RoomService.Actor.of(s);
            switch (type) {
                case "offer" -> {
                    rooms.offer(s, text(msg, "sdp"), sources(msg), id, () -> offerDone(conn));
                    return;
                }
                case "raise_hand" -> rooms.raiseHand(s);
                case "lower_hand" -> rooms.lowerHand(me, s.room, optionalText(msg, "participant", s.identity));
                case "set_role" -> {
                    String target = text(msg, "participant");
                    String roleName = text(msg, "role");
                    Role role = Role.fromWire(roleName);
                    if (role == null) {
                        throw new SignalingException(BAD_REQUEST, "role must be host, speaker or listener, not '"
                                + printable(roleName) + "'");
                    }
                    rooms.setRole(me, s.room, target, role);
                }
                case "mute" -> rooms.mute(me, s.room, text(msg, "trackId"), bool(msg, "muted"));
                case "remove" -> rooms.remove(me, s.room, text(msg, "participant"));
                case "chat" -> rooms.chat(me, s.room, text(msg, "text"));
                case "leave" -> {
                    conn.left = true;
                    rooms.leave(s, RoomService.LeaveReason.LEFT);
                    socket.close(1000, "left");
                    return;
                }
                default -> throw new IllegalStateException("unhandled type " + type);
            }
            socket.send(Wire.text(RoomService.reply("ok", id)));
        } catch (SignalingException e) {
            if (type.equals("offer")) {
                offerDone(conn);
            }
            error(socket, id, e.code(), e.getMessage());
            if (e.code().closes()) {
                socket.close(1008, e.code().wireName());
            }
        } catch (RuntimeException e) {
            if (type.equals("offer")) {
                offerDone(conn);
            }
            Session s = conn.session;
            log.error("{} failed for {}", type, s == null ? socket.remoteAddress() : s, e);
            error(socket, id, ErrorCode.INTERNAL, "internal error (logged by the node)");
        }
    }

    /** The offer's reply is about to go: the next offer is welcome (cleared before the reply so that it never races it). */
    private static void offerDone(Connection conn) {
        synchronized (conn) {
            conn.offerPending = false;
        }
    }

    private void join(Connection conn, JsonNode msg, JsonNode id) throws SignalingException {
        if (conn.session != null) {
            throw new SignalingException(ALREADY_JOINED, "this connection has joined already");
        }
        JsonNode v = msg.get("v");
        if (v == null || !v.isNumber()) {
            throw new SignalingException(BAD_MESSAGE, "join needs v, the protocol version (1)");
        }
        if (!v.isInt() || v.intValue() != 1) {
            throw new SignalingException(ErrorCode.UNSUPPORTED_VERSION, "this node speaks version 1, not " + v);
        }
        String token = text(msg, "token");
        String resume = optionalText(msg, "resume", null);
        String room = optionalText(msg, "room", null);
        AccessClaims claims;
        try {
            claims = verifier.verifyAnyRoom(token);
            if (room != null && !room.equals(claims.room())) {
                throw new TokenException(TokenException.Code.WRONG_ROOM, "the token is for room '" + claims.room()
                        + "', not for room '" + printable(room) + "'");
            }
            claims.require(Grant.JOIN);
        } catch (TokenException e) {
            throw new SignalingException(switch (e.code()) {
                case EXPIRED -> ErrorCode.TOKEN_EXPIRED;
                case WRONG_ROOM -> ErrorCode.WRONG_ROOM;
                case MISSING_GRANT -> ErrorCode.MISSING_GRANT;
                case MALFORMED, BAD_SIGNATURE, UNKNOWN_KEY, NOT_YET_VALID -> INVALID_TOKEN;
            }, e.getMessage());
        }
        if (!Rooms.isValidName(claims.room())) {
            throw new SignalingException(INVALID_TOKEN, "the token's room is not a room name (1-64 characters of"
                    + " A-Z a-z 0-9 _ -)");
        }
        conn.session = resume == null ? rooms.join(claims, conn.socket, id)
                : rooms.resume(claims, resume, conn.socket, id);
    }

    /** The offer's {@code tracks}: mid -> source. */
    private static Map<String, String> sources(JsonNode msg) throws SignalingException {
        JsonNode tracks = msg.get("tracks");
        Map<String, String> out = new LinkedHashMap<>();
        if (tracks == null || tracks.isNull()) {
            return out;
        }
        if (!tracks.isObject()) {
            throw new SignalingException(BAD_MESSAGE, "tracks must be an object of mid -> {\"source\": ...}");
        }
        for (Map.Entry<String, JsonNode> e : tracks.properties()) {
            JsonNode source = e.getValue().get("source");
            if (source == null || !source.isTextual()) {
                throw new SignalingException(BAD_MESSAGE, "tracks." + printable(e.getKey()) + " needs a source");
            }
            if (!StageTrack.SOURCES.contains(source.textValue())) {
                throw new SignalingException(BAD_REQUEST, "source must be camera, microphone, screen or other, not '"
                        + printable(source.textValue()) + "'");
            }
            out.put(e.getKey(), source.textValue());
        }
        return out;
    }

    private static String text(JsonNode msg, String field) throws SignalingException {
        JsonNode n = msg.get(field);
        if (n == null || !n.isTextual()) {
            throw new SignalingException(BAD_MESSAGE, msg.get("type").textValue() + " needs " + field
                    + " (a string)");
        }
        return n.textValue();
    }

    private static String optionalText(JsonNode msg, String field, String absent) throws SignalingException {
        JsonNode n = msg.get(field);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isTextual()) {
            throw new SignalingException(BAD_MESSAGE, field + " must be a string");
        }
        return n.textValue();
    }

    private static boolean bool(JsonNode msg, String field) throws SignalingException {
        JsonNode n = msg.get(field);
        if (n == null || !n.isBoolean()) {
            throw new SignalingException(BAD_MESSAGE, msg.get("type").textValue() + " needs " + field
                    + " (true or false)");
        }
        return n.booleanValue();
    }

    private static void error(WebSocketSession socket, JsonNode id, ErrorCode code, String message) {
        socket.send(Wire.text(RoomService.reply("error", id).put("code", code.wireName()).put("message", message)));
    }

    private static int utf8Length(String s) {
        if (s.length() * 3 <= MAX_MESSAGE_BYTES) {
            return s.length();
        }
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
