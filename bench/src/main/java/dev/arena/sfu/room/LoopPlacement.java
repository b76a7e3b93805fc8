package dev.arena.sfu.room;

import java.util.concurrent.Executor;

/**
 * For benchmarks: places a participant that has no transport on an event loop, as its transport's first callback
 * would ({@link Room#place}, package-private, hence this class in sfu's package). Call on the room's home loop.
 */
public final class LoopPlacement {
    private LoopPlacement() {
    }

    public static void place(Room room, Participant p, Executor loop, Thread loopThread) {
        p.loop(null);
        room.place(p, loop, loopThread);
    }

    /** Gives a room its home loop (what {@link RoomGateway} does). */
    public static void home(Room room, Executor loop) {
        room.home(loop);
    }
}
