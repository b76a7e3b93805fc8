package dev.arena.server.stage;

import dev.arena.server.auth.Role;
import java.util.List;
import java.util.Objects;

/** One participant of a room as the room's state holds it (immutable; changes make a new one). */
public record StageParticipant(String identity, String name, Role role, Permissions permissions, boolean handRaised,
                               boolean hidden, List<StageTrack> tracks) {
    public StageParticipant {
        Objects.requireNonNull(identity);
        Objects.requireNonNull(name);
        Objects.requireNonNull(role);
        Objects.requireNonNull(permissions);
        tracks = List.copyOf(tracks);
    }

    /** Host or speaker. */
    public boolean onStage() {
        return role != Role.LISTENER;
    }

    /** On stage and allowed to publish. */
    public boolean mayPublish() {
        return onStage() && permissions.publish();
    }

    public StageTrack track(String trackId) {
        for (StageTrack t : tracks) {
            if (t.trackId().equals(trackId)) {
                return t;
            }
        }
        return null;
    }

    public StageParticipant withRole(Role r) {
        return new StageParticipant(identity, name, r, permissions, handRaised, hidden, tracks);
    }

    public StageParticipant withPermissions(Permissions p) {
        return new StageParticipant(identity, name, role, p, handRaised, hidden, tracks);
    }

    public StageParticipant withHand(boolean raised) {
        return new StageParticipant(identity, name, role, permissions, raised, hidden, tracks);
    }

    public StageParticipant withTracks(List<StageTrack> t) {
        return new StageParticipant(identity, name, role, permissions, handRaised, hidden, t);
    }
}
