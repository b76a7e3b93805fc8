package dev.arena.sfu.room;

/**
 * The subscriptions of one track whose subscribers are on one loop. A track's fan-out is an immutable array of these,
 * one per loop, replaced on the room's home loop when a subscription comes or goes or a subscriber is placed on its
 * loop, and read without a lock by the publisher's loop for every packet ({@link Track#fanout()}).
 */
record Fanout(RoomLoop loop, Subscription[] subscriptions) {
    static final Fanout[] NONE = new Fanout[0];
}
