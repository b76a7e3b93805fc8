package dev.arena.sfu.room;

import java.util.List;

/**
 * What a room reports upward (to signaling). Every method has an empty default. Callbacks run on the room's home
 * loop (one of the node's event loops, which also carries media of transports homed there; the caller's thread for
 * a room without one): a listener must not block (no I/O, no waiting for locks held
 * across I/O) and should hand work to another thread; it must not call back into {@link RoomGateway}'s blocking
 * methods (they wait for this loop).
 */
public interface RoomListener {
    default void onParticipantJoined(Room room, Participant participant) {}

    default void onParticipantLeft(Room room, Participant participant) {}

    default void onTrackPublished(Room room, Track track) {}

    default void onTrackUnpublished(Room room, Track track) {}

    default void onSubscriptionCreated(Room room, Subscription subscription) {}

    default void onSubscriptionClosed(Room room, Subscription subscription) {}

    /**
     * The room's active speakers changed (see {@link dev.arena.sfu.speaker.ActiveSpeakerDetector}): participant
     * ids, dominant speaker first, immutable; empty when nobody speaks. At most once per 500 ms.
     */
    default void onActiveSpeakers(Room room, List<String> participantIds) {}

    default void onRoomClosed(Room room) {}
}
