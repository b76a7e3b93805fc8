package dev.arena.server.config;

/**
 * Per-room limits a node enforces (configurable; the REST API may set tighter ones per room).
 *
 * @param participants         participants at once, hidden ones included
 * @param speakers             participants on stage (hosts and speakers) at once
 * @param tracksPerParticipant tracks one participant may publish
 */
public record RoomLimits(int participants, int speakers, int tracksPerParticipant) {
    public static final RoomLimits DEFAULTS = new RoomLimits(10_000, 16, 4);

    public RoomLimits {
        if (participants < 1 || speakers < 1 || tracksPerParticipant < 1) {
            throw new IllegalArgumentException("room limits must be at least 1, got participants=" + participants
                    + " speakers=" + speakers + " tracksPerParticipant=" + tracksPerParticipant);
        }
    }
}
