package dev.arena.server.stage;

import dev.arena.server.auth.Role;
import dev.arena.server.config.RoomLimits;
import java.util.List;
import java.util.Optional;

/**
 * The rooms' state (participants, roles, permissions, tracks, raised hands, active speakers) behind one interface:
 * {@link InProcessStageStore} holds it in this process; a store shared by many nodes (Redis) implements the same
 * calls. Every call is atomic, checks its limits and either changes the state or throws with nothing changed; it
 * returns immutable snapshots. Telling participants about changes is the caller's job.
 */
public interface StageStore {

    /** Creates an explicit room (kept while empty, until {@link #delete}). */
    StageRoom create(String room, String title, RoomLimits limits) throws StageException;

    Optional<StageRoom> room(String room);

    boolean exists(String room);

    /** The limits of a room (cheaper than {@link #room}). */
    Optional<RoomLimits> limits(String room);

    /** The participant that publishes {@code trackId}. */
    Optional<StageParticipant> publisherOf(String room, String trackId);

    Optional<StageParticipant> participant(String room, String identity);

    /** Every room, in creation order. */
    List<StageRoom> rooms();

    /** Removes a room with its participants; empty when there was none. */
    Optional<StageRoom> delete(String room);

    /**
     * Adds {@code participant} to {@code room}, creating the room (implicit, with {@code defaultLimits}) when there
     * is none. A participant with the same identity is replaced: it leaves in the same step.
     *
     * @throws StageException ROOM_FULL, SPEAKERS_FULL (for a host or speaker)
     */
    Joined join(String room, RoomLimits defaultLimits, StageParticipant participant) throws StageException;

    /** @param replaced the participant of the same identity that left, or null */
    record Joined(StageRoom room, StageParticipant replaced) {
    }

    /** Removes a participant (and its raised hand); an implicit room that becomes empty goes too. */
    Optional<Left> leave(String room, String identity);

    /**
     * @param hadHand    its hand was raised
     * @param hands      the queue after it left
     * @param roomClosed the room went with it
     */
    record Left(StageParticipant participant, boolean hadHand, List<String> hands, boolean roomClosed) {
    }

    /** Raises a hand (at the end of the queue). @throws StageException NOT_FOUND */
    HandChange raiseHand(String room, String identity) throws StageException;

    /** @throws StageException NOT_FOUND */
    HandChange lowerHand(String room, String identity) throws StageException;

    /** @param changed false when the hand already was in the asked state */
    record HandChange(boolean changed, List<String> hands) {
    }

    /**
     * Changes a role; going on stage lowers a raised hand.
     *
     * @throws StageException NOT_FOUND, SPEAKERS_FULL
     */
    RoleChange setRole(String room, String identity, Role role) throws StageException;

    /** @param hands the queue after the change */
    record RoleChange(StageParticipant before, StageParticipant after, List<String> hands) {
    }

    /** @throws StageException NOT_FOUND */
    StageParticipant setPermissions(String room, String identity, Permissions permissions) throws StageException;

    /** Replaces what a participant publishes. @throws StageException NOT_FOUND */
    StageParticipant setTracks(String room, String identity, List<StageTrack> tracks) throws StageException;

    /** @throws StageException NOT_FOUND (no such track) */
    StageParticipant setMuted(String room, String trackId, boolean muted) throws StageException;

    /** True when the list changed. */
    boolean setActiveSpeakers(String room, List<String> speakers);
}
