package dev.arena.sfu.room;

/** What a room reports upward (to signaling), on the room's loop. Every method has an empty default. */
public interface RoomListener {
    default void onParticipantJoined(Room room, Participant participant) {}

    default void onParticipantLeft(Room room, Participant participant) {}

    default void onTrackPublished(Room room, Track track) {}

    default void onTrackUnpublished(Room room, Track track) {}

    default void onSubscriptionCreated(Room room, Subscription subscription) {}

    default void onSubscriptionClosed(Room room, Subscription subscription) {}

    default void onRoomClosed(Room room) {}
}
