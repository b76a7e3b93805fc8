package dev.arena.sfu.room;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A room's part on one event loop: the forwarding state of that loop ({@link Forwarder}: views and scratch buffers)
 * and the packets it hands to the room's other loops. Participants whose transport is homed on this loop receive and
 * send here: a publisher's packets run their receive work (track feedback) here, then fan out to this loop's
 * subscribers directly and to every other loop that has subscribers of the track through a {@link Handoff}: one copy
 * of each packet per target loop. A hand-off leaves at once when the target loop is idle (it starts on the packet
 * while this loop goes on with the batch); while the target is busy with the previous one, packets collect and leave
 * together when it is done, or when this loop's read batch ends. So batches form under load and latency stays
 * low without it.
 *
 * <p>The inline loop ({@code executor == null}) runs on the caller's thread: it serves participants that are not on a
 * transport (tests, benchmarks), as the whole room did before rooms spanned loops.
 */
final class RoomLoop {
    /** Packets one hand-off holds at most (a full one leaves at once). */
    private static final int HANDOFF_PACKETS = 64;
    /** Given-back hand-offs kept per lane. */
    private static final int SPARES = 3;

    final Room room;
    /** Index in the room's loops (0: the inline loop). */
    final int index;
    final Executor executor;
    private final Thread thread;
    final Forwarder forwarder;
    /** Per target loop (by index): the hand-off being filled on this loop; this loop's thread only. */
    private Lane[] lanes = new Lane[0];
    private boolean flushScheduled;
    private final Runnable flushTask = this::flush;
    ScheduledFuture<?> timer;

    RoomLoop(Room room, int index, Executor executor, Thread thread) {
        this.room = room;
        this.index = index;
        this.executor = executor;
        this.thread = thread;
        this.forwarder = new Forwarder(room, this);
    }

    boolean isInline() {
        return executor == null;
    }

    /** Whether the calling thread is this loop's (always, for the inline loop). */
    boolean inLoop() {
        return thread == null || Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this loop: now if already on it, else posted (dropped once the loop shut down). */
    void run(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException closed) {
                // the loop shut down with its transports: nothing left to deliver to
            }
        }
    }

    /**
     * On this loop: queues one packet (as the publisher sent it, decrypted) for the subscribers of {@code group} on
     * another loop. Copies it once into the hand-off for that loop, which leaves now if the target is idle, else
     * when the target is done with the previous one, when this loop's read batch ends (a task queued behind it) or
     * when it is full.
     */
    void handOff(Fanout group, byte[] buf, int off, int len) {
        RoomLoop target = group.loop();
        Lane lane = lane(target);
        Handoff h = lane.filling;
        if (!h.add(group, buf, off, len)) {
            send(lane);
            lane.filling.add(group, buf, off, len);
        }
        if (!lane.busy) {
            send(lane);
        } else if (isInline()) {
            flush(); // no batch to wait for on the caller's thread
        } else if (!flushScheduled) {
            try {
                executor.execute(flushTask); // runs after the read batch that is being processed
                flushScheduled = true;
            } catch (RejectedExecutionException shutDown) {
                lane.filling.clear(); // the node shuts down
            }
        }
    }

    private Lane lane(RoomLoop target) {
        if (target.index >= lanes.length) {
            lanes = Arrays.copyOf(lanes, target.index + 1);
        }
        Lane lane = lanes[target.index];
        if (lane == null) {
            lane = new Lane(target);
            lanes[target.index] = lane;
        }
        return lane;
    }

    /** At the end of a read batch: posts every non-empty hand-off to its loop. */
    private void flush() {
        flushScheduled = false;
        for (Lane lane : lanes) {
            if (lane != null && !lane.filling.isEmpty()) {
                send(lane);
            }
        }
    }

    private void send(Lane lane) {
        Handoff full = lane.filling;
        room.countHandOff(full.count);
        lane.busy = true;
        Handoff spare = lane.takeSpare();
        lane.filling = spare != null ? spare : new Handoff(lane); // a new one only while the target lags
        lane.target.run(full);
    }

    /** From one loop to another: the hand-off being filled, and the one the target gave back after delivering. */
    static final class Lane {
        final RoomLoop target;
        Handoff filling;
        /** Hand-offs the target gave back (a few, so that one in flight and one queued need no new one). */
        private final AtomicReferenceArray<Handoff> spares = new AtomicReferenceArray<>(SPARES);
        /** A hand-off is on its way or being delivered (set by the source, cleared by the target when done). */
        volatile boolean busy;

        Lane(RoomLoop target) {
            this.target = target;
            this.filling = new Handoff(this);
        }

        /** Source: a given-back hand-off, or null. */
        Handoff takeSpare() {
            for (int i = 0; i < SPARES; i++) {
                Handoff h = spares.getAndSet(i, null);
                if (h != null) {
                    return h;
                }
            }
            return null;
        }

        /** Target: gives a delivered hand-off back (dropped if the slots are full: the target lagged). */
        void giveBack(Handoff h) {
            for (int i = 0; i < SPARES; i++) {
                if (spares.compareAndSet(i, null, h)) {
                    return;
                }
            }
        }
    }

    /**
     * Packets from one loop for another, each with the fan-out group (the target loop's subscriptions of its track,
     * as they were when the packet arrived). Filled on the source loop, then run on the target loop, which delivers
     * every packet to its subscribers and gives the hand-off back to the source for reuse.
     */
    static final class Handoff implements Runnable {
        private final Lane lane;
        private byte[] data = new byte[8 * 1300]; // grows once to what the traffic needs
        private final Fanout[] groups = new Fanout[HANDOFF_PACKETS];
        private final int[] offsets = new int[HANDOFF_PACKETS];
        private final int[] lengths = new int[HANDOFF_PACKETS];
        int count;
        private int used;

        Handoff(Lane lane) {
            this.lane = lane;
        }

        boolean isEmpty() {
            return count == 0;
        }

        /** False when full (by count); grows its buffer for large packets. */
        boolean add(Fanout group, byte[] buf, int off, int len) {
            if (count == HANDOFF_PACKETS) {
                return false;
            }
            if (used + len > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, used + len));
            }
            System.arraycopy(buf, off, data, used, len);
            groups[count] = group;
            offsets[count] = used;
            lengths[count] = len;
            count++;
            used += len;
            return true;
        }

        void clear() {
            Arrays.fill(groups, 0, count, null);
            count = 0;
            used = 0;
        }

        /** On the target loop. */
        @Override
        public void run() {
            Forwarder f = lane.target.forwarder;
            for (int i = 0; i < count; i++) {
                f.deliver(groups[i], data, offsets[i], lengths[i]);
            }
            clear();
            lane.giveBack(this);
            lane.busy = false;
        }
    }
}
