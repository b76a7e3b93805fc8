package dev.arena.server.stage;

import dev.arena.server.config.RoomLimits;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one room's state.
 *
 * @param title          a display title, or null
 * @param explicit       created by the REST API or the demo (stays when empty), not by a first join
 * @param participants   in join order, hidden ones included
 * @param hands          identities with a raised hand, oldest first
 * @param activeSpeakers identities, loudest first
 */
public record StageRoom(String id, String title, RoomLimits limits, boolean explicit, long createdAtMs,
                        List<StageParticipant> participants, List<String> hands, List<String> activeSpeakers) {
    public StageRoom {
        Objects.requireNonNull(id);
        Objects.requireNonNull(limits);
        participants = List.copyOf(participants);
        hands = List.copyOf(hands);
        activeSpeakers = List.copyOf(activeSpeakers);
    }

    public StageParticipant participant(String identity) {
        for (StageParticipant p : participants) {
            if (p.identity().equals(identity)) {
                return p;
            }
        }
        return null;
    }

    /** Hosts and speakers. */
    public int onStageCount() {
        int n = 0;
        for (StageParticipant p : participants) {
            if (p.onStage()) {
                n++;
            }
        }
        return n;
    }
}
