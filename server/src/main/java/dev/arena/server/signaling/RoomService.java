package dev.arena.server.signaling;

import static dev.arena.server.signaling.ErrorCode.BAD_REQUEST;
import static dev.arena.server.signaling.ErrorCode.NOT_ALLOWED;
import static dev.arena.server.signaling.ErrorCode.NOT_FOUND;
import static dev.arena.server.signaling.ErrorCode.NOT_JOINED;
import static dev.arena.server.signaling.ErrorCode.RESUME_FAILED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.server.auth.AccessClaims;
import dev.arena.server.auth.Role;
import dev.arena.server.config.RoomLimits;
import dev.arena.server.http.WebSocketSession;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.stage.Permissions;
import dev.arena.server.stage.StageException;
import dev.arena.server.stage.StageParticipant;
import dev.arena.server.stage.StageRoom;
import dev.arena.server.stage.StageStore;
import dev.arena.server.stage.StageTrack;
import dev.arena.sfu.room.NegotiationException;
import dev.arena.sfu.room.RoomGateway;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations that change a room, for the WebSocket protocol and the REST API alike: each changes the room's
 * state ({@link StageStore}) and media ({@link Rooms}) and tells the participants, in one step under the room's
 * lock, so that everyone sees the room's events in the same order as its changes. Nothing here runs on a media
 * loop: the rooms' callbacks hop to virtual threads first.
 */
public final class RoomService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoomService.class);
    public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofSeconds(20);
    public static final int MAX_CHAT_CHARACTERS = 4096;

    /** Who asks for a change: a participant (by identity) or the REST API ({@code by: "api"}). */
    public record Actor(String identity, boolean api) {
        public static final Actor API = new Actor("api", true);

        static Actor of(Session s) {
            return new Actor(s.identity, false);
        }
    }

    /** The {@code reason} of {@code participant_left}. */
    public enum LeaveReason {
        LEFT, REMOVED, REPLACED, TIMEOUT, FAILED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One room's sessions on this node and the lock that orders its changes and events. */
    private static final class RoomControl {
        final String name;
        final ReentrantLock lock = new ReentrantLock();
        /** in join order */
        final Map<String, Session> sessions = new LinkedHashMap<>();
        boolean closed;

        RoomControl(String name) {
            this.name = name;
        }
    }

    @FunctionalInterface
    private interface Locked<T> {
        T run(RoomControl c) throws SignalingException;
    }

    private final StageStore stage;
    private final Rooms rooms;
    private final RoomLimits defaultLimits;
    private final Duration resumeWindow;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("signaling-timers").factory());
    private final SecureRandom random = new SecureRandom();
    private final Map<String, RoomControl> controls = new ConcurrentHashMap<>();
    /** resume token -> session, one token per session */
    private final Map<String, Session> resumable = new ConcurrentHashMap<>();

    public RoomService(StageStore stage, Rooms rooms, RoomLimits defaultLimits, Duration resumeWindow) {
        this.stage = Objects.requireNonNull(stage);
        this.rooms = Objects.requireNonNull(rooms);
        this.defaultLimits = Objects.requireNonNull(defaultLimits);
        this.resumeWindow = Objects.requireNonNull(resumeWindow);
        rooms.addListener(new Rooms.Listener() {
            @Override
            public void onParticipantLeft(String room, String participantId) {
                Thread.ofVirtual().start(() -> mediaLeft(room, participantId));
            }

            @Override
            public void onActiveSpeakers(String room, List<String> participantIds) {
                Thread.ofVirtual().start(() -> activeSpeakers(room, participantIds));
            }
        });
    }

    public StageStore stage() {
        return stage;
    }

    public RoomLimits defaultLimits() {
        return defaultLimits;
    }

    public Duration resumeWindow() {
        return resumeWindow;
    }

    /** Runs {@code task} later on a virtual thread (join timeouts, resume windows). */
    void schedule(Runnable task, Duration delay) {
        timers.schedule(() -> Thread.ofVirtual().start(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- joining, resuming, leaving

    /** Joins a verified token's participant to its room and sends it {@code joined}; an older session of the same identity is replaced. */
    public Session join(AccessClaims claims, WebSocketSession socket, JsonNode requestId) throws SignalingException {
        String room = claims.room();
        StageParticipant p = new StageParticipant(claims.identity(), claims.displayName(), claims.role(),
                Permissions.of(claims.grants()), false, claims.grants().hidden(), List.of());
        return locked(room, c -> {
            StageStore.Joined j;
            try {
                j = stage.join(room, defaultLimits, p);
            } catch (StageException e) {
                throw mapped(e);
            }
            replaced(c, j);
            Session s = new Session(claims, socket);
            c.sessions.put(s.identity, s);
            sendJoined(s, j.room(), requestId, false);
            broadcast(c, Wire.message("participant_joined").set("participant", Wire.participant(p)), p, false);
            log.info("{} joined as {}", s, p.role().wireName());
            return s;
        });
    }

    /** The older participant of an identity that joined again is gone: its session ends, the others are told. */
    private void replaced(RoomControl c, StageStore.Joined j) {
        StageParticipant p = j.replaced();
        if (p == null) {
            return;
        }
        Session old = c.sessions.remove(p.identity());
        if (old != null) {
            end(old, LeaveReason.REPLACED);
            old.send(Wire.message("removed").put("reason", "replaced"));
            old.disconnect(1000, "replaced by a newer session of the same identity");
        }
        announceLeft(c, p, LeaveReason.REPLACED, p.handRaised(), j.room().hands());
    }

    /**
     * A participant that joined the room's media without signaling joins the stage and is announced: a WHIP
     * publisher as a speaker with its tracks, a WHEP viewer as a hidden listener.
     *
     * @throws SignalingException ROOM_FULL, SPEAKERS_FULL (nothing changed: the caller takes it out of the media)
     */
    public void joinedWithoutSignaling(AccessClaims claims, boolean publishes) throws SignalingException {
        String room = claims.room();
        locked(room, c -> {
            List<StageTrack> tracks = publishes ? mediaTracks(room, claims.identity()) : List.of();
            StageParticipant p = new StageParticipant(claims.identity(), claims.displayName(),
                    publishes ? Role.SPEAKER : Role.LISTENER, Permissions.of(claims.grants()), false,
                    !publishes || claims.grants().hidden(), tracks);
            StageStore.Joined j = stageCall(() -> stage.join(room, defaultLimits, p));
            replaced(c, j);
            broadcast(c, Wire.message("participant_joined").set("participant", Wire.participant(p)), p, false);
            if (!tracks.isEmpty()) {
                offerNeeded(c, null);
            }
            return null;
        });
    }

    /** A participant without signaling (WHIP, WHEP) ended its session: it leaves the stage. */
    public void leftWithoutSignaling(String room, String identity) {
        lockedQuietly(room, c -> {
            if (!c.sessions.containsKey(identity)) {
                stage.leave(room, identity).ifPresent(left ->
                        announceLeft(c, left.participant(), LeaveReason.LEFT, left.hadHand(), left.hands()));
            }
            return null;
        });
    }

    /** The tracks a participant publishes in the room's media, as the stage shows them. */
    private List<StageTrack> mediaTracks(String room, String identity) {
        RoomGateway g = rooms.gateway(room);
        if (g == null) {
            return List.of();
        }
        try {
            return g.onLoop(() -> {
                dev.arena.sfu.room.Participant p = g.room().participant(identity);
                List<StageTrack> out = new ArrayList<>();
                for (dev.arena.sfu.room.Track t : p == null ? List.<dev.arena.sfu.room.Track>of() : p.tracks()) {
                    String kind = t.kind().name().toLowerCase(Locale.ROOT);
                    out.add(new StageTrack(t.id(), kind, kind.equals("audio") ? "microphone" : "camera", false));
                }
                return out;
            });
        } catch (Exception e) {
            throw new IllegalStateException("room " + room + " did not answer", e);
        }
    }

    /** Moves a session kept after a lost connection onto {@code socket} and sends it {@code joined} with {@code resumed: true}. */
    public Session resume(AccessClaims claims, String resumeToken, WebSocketSession socket, JsonNode requestId)
            throws SignalingException {
        Session s = resumable.remove(resumeToken);
        if (s == null || !s.room.equals(claims.room()) || !s.identity.equals(claims.identity())) {
            throw new SignalingException(RESUME_FAILED, "unknown or already used resume token: join without resume");
        }
        return locked(s.room, c -> {
            if (!s.active || c.sessions.get(s.identity) != s) {
                throw new SignalingException(RESUME_FAILED, "the session ended (its resume window passed, or it was"
                        + " replaced or removed): join without resume");
            }
            cancelExpiry(s);
            WebSocketSession previous = s.socket();
            s.socket(socket);
            if (previous != null && previous != socket) {
                previous.close(1000, "resumed on another connection");
            }
            sendJoined(s, stage.room(s.room).orElseThrow(), requestId, true);
            log.info("{} resumed", s);
            return s;
        });
    }

    /** The socket of {@code s} closed without {@code leave}: keep it for the resume window. */
    public void detach(Session s, WebSocketSession socket) {
        lockedQuietly(s.room, c -> {
            if (s.active && s.socket() == socket) {
                s.socket(null);
                s.expiry = timers.schedule(() -> Thread.ofVirtual().start(() -> expire(s)), resumeWindow.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            return null;
        });
    }

    private void expire(Session s) {
        lockedQuietly(s.room, c -> {
            if (s.active && s.socket() == null) {
                leaveLocked(c, s, LeaveReason.TIMEOUT);
            }
            return null;
        });
    }

    public void leave(Session s, LeaveReason reason) {
        lockedQuietly(s.room, c -> {
            leaveLocked(c, s, reason);
            return null;
        });
    }

    private void leaveLocked(RoomControl c, Session s, LeaveReason reason) {
        if (!s.active) {
            return;
        }
        c.sessions.remove(s.identity, s);
        end(s, reason);
        stage.leave(s.room, s.identity).ifPresent(left ->
                announceLeft(c, left.participant(), reason, left.hadHand(), left.hands()));
    }

    /** Ends a session's life on this node: no more resume, no more media. Does not touch the stage. */
    private void end(Session s, LeaveReason reason) {
        s.active = false;
        cancelExpiry(s);
        String token = s.resumeToken;
        if (token != null) {
            resumable.remove(token, s);
        }
        if (s.hasMedia) {
            s.hasMedia = false;
            rooms.withGateway(s.room, g -> {
                g.leave(s.identity);
                return null;
            }, null);
        }
        log.info("{} left ({})", s, reason.wireName());
    }

    private void announceLeft(RoomControl c, StageParticipant p, LeaveReason reason, boolean hadHand,
                              List<String> hands) {
        for (StageTrack t : p.tracks()) {
            broadcast(c, trackUnpublished(p, t), p, false);
        }
        if (hadHand) {
            broadcast(c, handLowered(p, "left", hands), p, false);
        }
        broadcast(c, Wire.message("participant_left").put("participant", p.identity()).put("reason",
                reason.wireName()), p, false);
        if (!p.tracks().isEmpty()) {
            offerNeeded(c, null);
        }
    }

    /** A participant's media went away: unless we made it leave, its transport failed. */
    private void mediaLeft(String room, String participantId) {
        lockedQuietly(room, c -> {
            if (rooms.withGateway(room, g -> g.contains(participantId), false)) {
                return null; // it is back (a new session made a new media participant)
            }
            Session s = c.sessions.get(participantId);
            if (s != null && s.hasMedia) {
                s.hasMedia = false;
                leaveLocked(c, s, LeaveReason.FAILED);
                s.disconnect(1011, "the media transport failed");
            } else if (s == null) {
                // a participant without signaling (WHIP, WHEP) whose transport went away
                stage.leave(room, participantId).ifPresent(left ->
                        announceLeft(c, left.participant(), LeaveReason.FAILED, left.hadHand(), left.hands()));
            }
            return null;
        });
    }

    private void activeSpeakers(String room, List<String> participantIds) {
        lockedQuietly(room, c -> {
            List<String> visible = new ArrayList<>();
            for (String id : participantIds) {
                stage.participant(room, id).filter(p -> !p.hidden()).ifPresent(p -> visible.add(id));
            }
            if (stage.setActiveSpeakers(room, visible)) {
                broadcast(c, Wire.message("active_speakers").set("speakers", Wire.strings(visible)), null, true);
            }
            return null;
        });
    }

    // ---- negotiation

    /**
     * Answers an offer of {@code s}: negotiated with the room's media (publishing only when on stage and allowed),
     * the answer with its {@code mids} sent, then the others told what was published or unpublished.
     *
     * @param sources  the offer's {@code tracks}: mid -> source
     * @param answered runs just before the answer is sent (the next offer may come as soon as it is)
     */
    public void offer(Session s, String sdp, Map<String, String> sources, JsonNode requestId, Runnable answered)
            throws SignalingException {
        locked(s.room, c -> {
            StageParticipant me = self(s);
            RoomLimits limits = stage.limits(s.room).orElse(defaultLimits);
            int maxTracks = me.mayPublish() ? limits.tracksPerParticipant() : 0;
            RoomGateway.Negotiated n;
            try {
                n = rooms.negotiate(s.room, s.identity, sdp, maxTracks, me.permissions().subscribe());
            } catch (NegotiationException e) {
                throw new SignalingException(switch (e.code()) {
                    case BAD_SDP -> ErrorCode.BAD_SDP;
                    case NO_COMMON_CODEC -> ErrorCode.NO_COMMON_CODEC;
                    case PUBLISH_NOT_ALLOWED -> ErrorCode.PUBLISH_NOT_ALLOWED;
                    case TOO_MANY_TRACKS -> ErrorCode.TOO_MANY_TRACKS;
                }, e.getMessage());
            }
            s.hasMedia = true;
            ObjectNode mids = Wire.object();
            List<StageTrack> tracks = new ArrayList<>();
            for (RoomGateway.Section section : n.sections()) {
                ObjectNode m = mids.putObject(section.mid());
                String kind = section.kind();
                switch (section.role()) {
                    case SEND -> {
                        m.put("direction", "send").put("trackId", section.trackId());
                        StageTrack old = me.track(section.trackId());
                        String source = sources.getOrDefault(section.mid(),
                                old != null ? old.source() : "audio".equals(kind) ? "microphone" : "camera");
                        tracks.add(new StageTrack(section.trackId(), kind, source, old != null && old.muted()));
                    }
                    case RECV -> m.put("direction", "recv").put("trackId", section.trackId())
                            .put("participant", section.publisherId()).put("kind", kind);
                    case INACTIVE -> m.put("direction", "inactive");
                }
            }
            StageParticipant after = setTracks(s.room, s.identity, tracks);
            answered.run();
            s.send(reply("answer", requestId).put("sdp", n.answerSdp()).set("mids", mids));
            announceTrackChanges(c, me, after, s);
            return null;
        });
    }

    private void announceTrackChanges(RoomControl c, StageParticipant before, StageParticipant after, Session except) {
        boolean changed = false;
        for (StageTrack t : before.tracks()) {
            if (after.track(t.trackId()) == null) {
                broadcast(c, trackUnpublished(after, t), after, true);
                changed = true;
            }
        }
        for (StageTrack t : after.tracks()) {
            StageTrack old = before.track(t.trackId());
            if (old == null) {
                broadcast(c, Wire.message("track_published").put("participant", after.identity())
                        .set("track", Wire.track(t)), after, true);
                changed = true;
            } else if (!old.source().equals(t.source())) {
                changed = true;
            }
        }
        if (changed) {
            offerNeeded(c, except);
        }
    }

    /** Tells each subscriber whose receiving sections no longer fit the room's tracks to re-offer. */
    private void offerNeeded(RoomControl c, Session except) {
        for (Session s : c.sessions.values()) {
            if (s == except || !s.hasMedia || s.socket() == null || !maySubscribe(c, s)) {
                continue;
            }
            RoomGateway.Needed n = rooms.withGateway(c.name, g -> g.receiveSectionsNeeded(s.identity), null);
            if (n != null && (n.audio() > 0 || n.video() > 0 || n.remap())) {
                ObjectNode m = Wire.message("offer_needed");
                m.putObject("recv").put("audio", n.audio()).put("video", n.video());
                s.send(m);
            }
        }
    }

    private boolean maySubscribe(RoomControl c, Session s) {
        return stage.participant(c.name, s.identity).map(p -> p.permissions().subscribe()).orElse(false);
    }

    /** Stops everything {@code identity} publishes (forwarding stops before this returns). */
    private void unpublishAll(RoomControl c, StageParticipant p) {
        rooms.withGateway(c.name, g -> {
            g.unpublishAll(p.identity());
            return null;
        }, null);
        if (!p.tracks().isEmpty()) {
            StageParticipant after = setTracks(c.name, p.identity(), List.of());
            announceTrackChanges(c, p, after, null);
        }
    }

    // ---- the stage

    public void raiseHand(Session s) throws SignalingException {
        locked(s.room, c -> {
            StageParticipant me = self(s);
            if (me.onStage()) {
                throw new SignalingException(NOT_ALLOWED, "a " + me.role().wireName()
                        + " is on stage already: only listeners raise a hand");
            }
            StageStore.HandChange h = stageCall(() -> stage.raiseHand(s.room, s.identity));
            if (h.changed()) {
                broadcast(c, Wire.message("hand_raised").put("participant", s.identity)
                        .set("hands", Wire.strings(h.hands())), me, true);
            }
            return null;
        });
    }

    /** Lowers the hand of {@code target}: one's own, or anyone's for an admin. */
    public void lowerHand(Actor actor, String room, String target) throws SignalingException {
        locked(room, c -> {
            if (actor.api() || !target.equals(actor.identity())) {
                requireAdmin(room, actor, "lower someone else's hand");
            }
            StageParticipant p = participant(room, target);
            StageStore.HandChange h = stageCall(() -> stage.lowerHand(room, target));
            if (h.changed()) {
                broadcast(c, handLowered(p, "lowered", h.hands()), p, true);
            }
            return null;
        });
    }

    /**
     * Changes the role of {@code target}: to speaker (or host) it goes on stage and a raised hand is lowered
     * ({@code approved}); to listener its tracks are unpublished before this returns.
     */
    public StageParticipant setRole(Actor actor, String room, String target, Role role) throws SignalingException {
        return locked(room, c -> {
            requireAdmin(room, actor, "change roles");
            participant(room, target);
            StageStore.RoleChange ch = stageCall(() -> stage.setRole(room, target, role));
            if (ch.before().role() != role) {
                broadcast(c, Wire.message("role_changed").put("participant", target).put("role", role.wireName())
                        .put("by", actor.identity()), ch.after(), true);
                log.info("{}/{} is now {} (by {})", room, target, role.wireName(), actor.identity());
            }
            if (ch.before().handRaised() && !ch.after().handRaised()) {
                broadcast(c, handLowered(ch.after(), "approved", ch.hands()), ch.after(), true);
            }
            if (!ch.after().mayPublish()) {
                unpublishAll(c, ch.after());
            }
            return ch.after();
        });
    }

    /** Changes what {@code target} may do (REST API); it is told with {@code permissions_changed}. */
    public StageParticipant setPermissions(Actor actor, String room, String target, Permissions permissions)
            throws SignalingException {
        return locked(room, c -> {
            requireAdmin(room, actor, "change permissions");
            participant(room, target);
            StageParticipant after = stageCall(() -> stage.setPermissions(room, target, permissions));
            Session s = c.sessions.get(target);
            if (s != null) {
                s.send(Wire.message("permissions_changed").set("permissions", Wire.permissions(permissions)));
            }
            if (!after.mayPublish()) {
                unpublishAll(c, after);
            }
            return after;
        });
    }

    /** Mutes or unmutes a track: its publisher either way, an admin only to mute someone else's. */
    public void mute(Actor actor, String room, String trackId, boolean muted) throws SignalingException {
        locked(room, c -> {
            StageParticipant owner = stage.publisherOf(room, trackId).orElseThrow(() ->
                    new SignalingException(NOT_FOUND, "no track '" + trackId + "' in room '" + room + "'"));
            if (actor.api() || !owner.identity().equals(actor.identity())) {
                requireAdmin(room, actor, "mute someone else's track");
                if (!muted) {
                    throw new SignalingException(NOT_ALLOWED, "only its publisher unmutes a track");
                }
            }
            if (owner.track(trackId).muted() == muted) {
                return null;
            }
            rooms.withGateway(room, g -> {
                g.setMuted(trackId, muted);
                return null;
            }, null);
            StageParticipant after = stageCall(() -> stage.setMuted(room, trackId, muted));
            broadcast(c, Wire.message("track_muted").put("participant", owner.identity()).put("trackId", trackId)
                    .put("muted", muted).put("by", actor.identity()), after, true);
            return null;
        });
    }

    /** Removes {@code target} from the room: it gets {@code removed}, the others {@code participant_left}. */
    public void remove(Actor actor, String room, String target) throws SignalingException {
        locked(room, c -> {
            requireAdmin(room, actor, "remove participants");
            StageParticipant p = participant(room, target);
            Session s = c.sessions.get(target);
            if (s != null) {
                s.send(Wire.message("removed").put("reason", "removed"));
                leaveLocked(c, s, LeaveReason.REMOVED);
                s.disconnect(1000, "removed from the room");
            } else {
                // on the stage without a session here (joined over WHIP): its media goes too
                rooms.withGateway(room, g -> {
                    g.leave(target);
                    return null;
                }, null);
                stage.leave(room, target).ifPresent(left ->
                        announceLeft(c, p, LeaveReason.REMOVED, left.hadHand(), left.hands()));
            }
            log.info("{}/{} removed by {}", room, target, actor.identity());
            return null;
        });
    }

    /** Sends a chat message to everyone in the room (its sender included). */
    public void chat(Actor actor, String room, String text) throws SignalingException {
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > MAX_CHAT_CHARACTERS) {
            throw new SignalingException(BAD_REQUEST, "a chat text has 1 to " + MAX_CHAT_CHARACTERS
                    + " characters, this has " + length);
        }
        locked(room, c -> {
            if (!stage.exists(room)) {
                throw new SignalingException(NOT_FOUND, "no room '" + room + "'");
            }
            String name = actor.api() ? "api" : participant(room, actor.identity()).name();
            broadcast(c, Wire.message("chat").put("from", actor.identity()).put("name", name).put("text", text)
                    .put("ts", System.currentTimeMillis()), null, true);
            return null;
        });
    }

    /** Closes a room: every participant gets {@code removed} with reason {@code room_closed}; false when there was none. */
    public boolean closeRoom(String room) {
        try {
            return locked(room, c -> {
                if (!stage.exists(room)) {
                    return false;
                }
                for (Session s : c.sessions.values()) {
                    s.hasMedia = false;
                    end(s, LeaveReason.REMOVED);
                    s.send(Wire.message("removed").put("reason", "room_closed"));
                    s.disconnect(1000, "the room was closed");
                }
                c.sessions.clear();
                stage.delete(room);
                rooms.close(room);
                log.info("room {} closed", room);
                return true;
            });
        } catch (SignalingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers

    private void sendJoined(Session s, StageRoom r, JsonNode requestId, boolean resumed) {
        String old = s.resumeToken;
        if (old != null) {
            resumable.remove(old, s);
        }
        s.resumeToken = "r_" + randomId();
        resumable.put(s.resumeToken, s);
        StageParticipant me = r.participant(s.identity);
        ObjectNode m = reply("joined", requestId).put("v", 1);
        ObjectNode room = m.putObject("room").put("id", r.id());
        if (r.title() != null) {
            room.put("title", r.title());
        }
        room.set("limits", Wire.limits(r.limits()));
        m.putObject("you").put("identity", me.identity()).put("name", me.name()).put("role", me.role().wireName())
                .set("permissions", Wire.permissions(me.permissions()));
        ArrayNode others = m.putArray("participants");
        for (StageParticipant p : r.participants()) {
            if (!p.hidden() && !p.identity().equals(s.identity)) {
                others.add(Wire.participant(p));
            }
        }
        m.set("hands", Wire.strings(r.hands()));
        m.set("activeSpeakers", Wire.strings(r.activeSpeakers()));
        m.put("resumeToken", s.resumeToken).put("resumeWindowMs", resumeWindow.toMillis()).put("resumed", resumed);
        s.send(m);
    }

    /** A reply to a request: {@code id} echoed when it had one. */
    static ObjectNode reply(String type, JsonNode requestId) {
        ObjectNode m = Wire.message(type);
        if (requestId != null) {
            m.set("id", requestId);
        }
        return m;
    }

    private static ObjectNode trackUnpublished(StageParticipant p, StageTrack t) {
        return Wire.message("track_unpublished").put("participant", p.identity()).put("trackId", t.trackId());
    }

    private static ObjectNode handLowered(StageParticipant p, String reason, List<String> hands) {
        return Wire.message("hand_lowered").put("participant", p.identity()).put("reason", reason)
                .set("hands", Wire.strings(hands));
    }

    /**
     * Sends {@code message} to the room's sessions. An event about a hidden participant goes to nobody else;
     * {@code includeSubject} says whether the participant it is about gets it too.
     */
    private static void broadcast(RoomControl c, ObjectNode message, StageParticipant about, boolean includeSubject) {
        String text = Wire.text(message);
        for (Session s : c.sessions.values()) {
            if (about != null) {
                boolean subject = s.identity.equals(about.identity());
                if ((about.hidden() && !subject) || (subject && !includeSubject)) {
                    continue;
                }
            }
            s.send(text);
        }
    }

    private StageParticipant self(Session s) throws SignalingException {
        if (!s.active) {
            throw new SignalingException(NOT_JOINED, "the session has ended");
        }
        return stage.participant(s.room, s.identity).orElseThrow(() ->
                new SignalingException(NOT_JOINED, "'" + s.identity + "' is no longer in the room"));
    }

    private StageParticipant participant(String room, String identity) throws SignalingException {
        return stage.participant(room, identity).orElseThrow(() ->
                new SignalingException(NOT_FOUND, "'" + identity + "' is not in room '" + room + "'"));
    }

    private void requireAdmin(String room, Actor actor, String what) throws SignalingException {
        if (actor.api()) {
            return;
        }
        Optional<StageParticipant> p = stage.participant(room, actor.identity());
        if (p.isEmpty() || !p.get().permissions().admin()) {
            throw new SignalingException(NOT_ALLOWED, "only a participant whose token grants roomAdmin may " + what);
        }
    }

    private StageParticipant setTracks(String room, String identity, List<StageTrack> tracks) {
        try {
            return stage.setTracks(room, identity, tracks);
        } catch (StageException e) {
            throw new IllegalStateException("a participant in negotiation left the stage", e);
        }
    }

    @FunctionalInterface
    private interface StageCall<T> {
        T call() throws StageException;
    }

    private static <T> T stageCall(StageCall<T> call) throws SignalingException {
        try {
            return call.call();
        } catch (StageException e) {
            throw mapped(e);
        }
    }

    static SignalingException mapped(StageException e) {
        ErrorCode code = switch (e.code()) {
            case ROOM_FULL -> ErrorCode.ROOM_FULL;
            case SPEAKERS_FULL -> ErrorCode.SPEAKERS_FULL;
            case NOT_FOUND, ROOM_NOT_FOUND -> NOT_FOUND;
            case ROOM_EXISTS -> BAD_REQUEST;
        };
        return new SignalingException(code, e.getMessage());
    }

    private void cancelExpiry(Session s) {
        if (s.expiry != null) {
            s.expiry.cancel(false);
            s.expiry = null;
        }
    }

    /**
     * Runs {@code task} holding the room's lock. A room's control lives while it has sessions here or the stage
     * has the room; a control found closed was dropped meanwhile, so the call retries on a fresh one.
     */
    private <T> T locked(String room, Locked<T> task) throws SignalingException {
        while (true) {
            RoomControl c = controls.computeIfAbsent(room, RoomControl::new);
            c.lock.lock();
            try {
                if (c.closed) {
                    continue;
                }
                try {
                    return task.run(c);
                } finally {
                    if (c.sessions.isEmpty() && !stage.exists(room)) {
                        c.closed = true;
                        controls.remove(room, c);
                    }
                }
            } finally {
                c.lock.unlock();
            }
        }
    }

    /** {@link #locked} for internal work that answers nobody: failures are logged. */
    private void lockedQuietly(String room, Locked<?> task) {
        try {
            locked(room, task);
        } catch (SignalingException | RuntimeException e) {
            log.warn("room {}: internal update failed", room, e);
        }
    }

    private String randomId() {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
