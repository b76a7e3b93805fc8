package dev.arena.server.stage;

import static dev.arena.server.stage.StageException.Code.NOT_FOUND;
import static dev.arena.server.stage.StageException.Code.ROOM_EXISTS;
import static dev.arena.server.stage.StageException.Code.ROOM_FULL;
import static dev.arena.server.stage.StageException.Code.ROOM_NOT_FOUND;
import static dev.arena.server.stage.StageException.Code.SPEAKERS_FULL;

import dev.arena.server.auth.Role;
import dev.arena.server.config.RoomLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/** The rooms' state in this process (the embedded default). Thread-safe: every call holds this object's lock. */
public final class InProcessStageStore implements StageStore {
    private final Map<String, State> rooms = new LinkedHashMap<>();
    private final LongSupplier clockMs;

    public InProcessStageStore(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    public InProcessStageStore() {
        this(System::currentTimeMillis);
    }

    private static final class State {
        final String id;
        final String title;
        final RoomLimits limits;
        final boolean explicit;
        final long createdAtMs;
        final LinkedHashMap<String, StageParticipant> participants = new LinkedHashMap<>();
        final List<String> hands = new ArrayList<>();
        List<String> activeSpeakers = List.of();

        State(String id, String title, RoomLimits limits, boolean explicit, long createdAtMs) {
            this.id = id;
            this.title = title;
            this.limits = limits;
            this.explicit = explicit;
            this.createdAtMs = createdAtMs;
        }

        StageRoom snapshot() {
            return new StageRoom(id, title, limits, explicit, createdAtMs, new ArrayList<>(participants.values()),
                    hands, activeSpeakers);
        }

        StageParticipant get(String identity) throws StageException {
            StageParticipant p = participants.get(identity);
            if (p == null) {
                throw new StageException(NOT_FOUND, "'" + identity + "' is not in room '" + id + "'");
            }
            return p;
        }

        int onStage(String except) {
            int n = 0;
            for (StageParticipant p : participants.values()) {
                if (p.onStage() && !p.identity().equals(except)) {
                    n++;
                }
            }
            return n;
        }
    }

    @Override
    public synchronized StageRoom create(String room, String title, RoomLimits limits) throws StageException {
        if (rooms.containsKey(room)) {
            throw new StageException(ROOM_EXISTS, "room '" + room + "' exists");
        }
        State s = new State(room, title, limits, true, clockMs.getAsLong());
        rooms.put(room, s);
        return s.snapshot();
    }

    @Override
    public synchronized Optional<StageRoom> room(String room) {
        State s = rooms.get(room);
        return s == null ? Optional.empty() : Optional.of(s.snapshot());
    }

    @Override
    public synchronized boolean exists(String room) {
        return rooms.containsKey(room);
    }

    @Override
    public synchronized Optional<RoomLimits> limits(String room) {
        State s = rooms.get(room);
        return Optional.ofNullable(s == null ? null : s.limits);
    }

    @Override
    public synchronized Optional<StageParticipant> publisherOf(String room, String trackId) {
        State s = rooms.get(room);
        if (s != null) {
            for (StageParticipant p : s.participants.values()) {
                if (p.track(trackId) != null) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<StageParticipant> participant(String room, String identity) {
        State s = rooms.get(room);
        return Optional.ofNullable(s == null ? null : s.participants.get(identity));
    }

    @Override
    public synchronized List<StageRoom> rooms() {
        List<StageRoom> out = new ArrayList<>(rooms.size());
        for (State s : rooms.values()) {
            out.add(s.snapshot());
        }
        return out;
    }

    @Override
    public synchronized Optional<StageRoom> delete(String room) {
        State s = rooms.remove(room);
        return s == null ? Optional.empty() : Optional.of(s.snapshot());
    }

    @Override
    public synchronized Joined join(String room, RoomLimits defaultLimits, StageParticipant p) throws StageException {
        State s = rooms.get(room);
        boolean created = s == null;
        if (created) {
            s = new State(room, null, defaultLimits, false, clockMs.getAsLong());
        }
        StageParticipant old = s.participants.get(p.identity());
        int others = s.participants.size() - (old == null ? 0 : 1);
        if (others >= s.limits.participants()) {
            throw new StageException(ROOM_FULL, "room '" + room + "' is full (" + s.limits.participants()
                    + " participants)");
        }
        if (p.onStage() && s.onStage(p.identity()) >= s.limits.speakers()) {
            throw new StageException(SPEAKERS_FULL, "the stage of room '" + room + "' is full ("
                    + s.limits.speakers() + " hosts and speakers)");
        }
        if (created) {
            rooms.put(room, s);
        }
        if (old != null) {
            s.participants.remove(p.identity());
            s.hands.remove(p.identity());
        }
        StageParticipant joined = p.withHand(false);
        s.participants.put(p.identity(), joined);
        return new Joined(s.snapshot(), old);
    }

    @Override
    public synchronized Optional<Left> leave(String room, String identity) {
        State s = rooms.get(room);
        StageParticipant p = s == null ? null : s.participants.remove(identity);
        if (p == null) {
            return Optional.empty();
        }
        boolean hadHand = s.hands.remove(identity);
        s.activeSpeakers = s.activeSpeakers.stream().filter(x -> !x.equals(identity)).toList();
        boolean closed = !s.explicit && s.participants.isEmpty();
        if (closed) {
            rooms.remove(room);
        }
        return Optional.of(new Left(p, hadHand, List.copyOf(s.hands), closed));
    }

    @Override
    public synchronized HandChange raiseHand(String room, String identity) throws StageException {
        State s = state(room);
        StageParticipant p = s.get(identity);
        if (p.handRaised()) {
            return new HandChange(false, List.copyOf(s.hands));
        }
        s.participants.put(identity, p.withHand(true));
        s.hands.add(identity);
        return new HandChange(true, List.copyOf(s.hands));
    }

    @Override
    public synchronized HandChange lowerHand(String room, String identity) throws StageException {
        State s = state(room);
        StageParticipant p = s.get(identity);
        if (!p.handRaised()) {
            return new HandChange(false, List.copyOf(s.hands));
        }
        s.participants.put(identity, p.withHand(false));
        s.hands.remove(identity);
        return new HandChange(true, List.copyOf(s.hands));
    }

    @Override
    public synchronized RoleChange setRole(String room, String identity, Role role) throws StageException {
        State s = state(room);
        StageParticipant before = s.get(identity);
        StageParticipant after = before.withRole(role);
        if (after.onStage() && !before.onStage() && s.onStage(identity) >= s.limits.speakers()) {
            throw new StageException(SPEAKERS_FULL, "the stage of room '" + room + "' is full ("
                    + s.limits.speakers() + " hosts and speakers)");
        }
        if (after.onStage() && after.handRaised()) {
            after = after.withHand(false);
            s.hands.remove(identity);
        }
        s.participants.put(identity, after);
        return new RoleChange(before, after, List.copyOf(s.hands));
    }

    @Override
    public synchronized StageParticipant setPermissions(String room, String identity, Permissions permissions)
            throws StageException {
        State s = state(room);
        StageParticipant p = s.get(identity).withPermissions(permissions);
        s.participants.put(identity, p);
        return p;
    }

    @Override
    public synchronized StageParticipant setTracks(String room, String identity, List<StageTrack> tracks)
            throws StageException {
        State s = state(room);
        StageParticipant p = s.get(identity).withTracks(tracks);
        s.participants.put(identity, p);
        return p;
    }

    @Override
    public synchronized StageParticipant setMuted(String room, String trackId, boolean muted) throws StageException {
        State s = state(room);
        for (StageParticipant p : s.participants.values()) {
            StageTrack t = p.track(trackId);
            if (t != null) {
                List<StageTrack> tracks = new ArrayList<>(p.tracks());
                tracks.set(tracks.indexOf(t), t.withMuted(muted));
                StageParticipant changed = p.withTracks(tracks);
                s.participants.put(p.identity(), changed);
                return changed;
            }
        }
        throw new StageException(NOT_FOUND, "no track '" + trackId + "' in room '" + room + "'");
    }

    @Override
    public synchronized boolean setActiveSpeakers(String room, List<String> speakers) {
        State s = rooms.get(room);
        if (s == null || s.activeSpeakers.equals(speakers)) {
            return false;
        }
        s.activeSpeakers = List.copyOf(speakers);
        return true;
    }

    private State state(String room) throws StageException {
        State s = rooms.get(room);
        if (s == null) {
            throw new StageException(ROOM_NOT_FOUND, "no room '" + room + "'");
        }
        return s;
    }
}
