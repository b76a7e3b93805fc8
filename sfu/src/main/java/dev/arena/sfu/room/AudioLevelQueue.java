package dev.arena.sfu.room;

import dev.arena.sfu.speaker.ActiveSpeakerDetector;

/**
 * Audio levels of one track from the publisher's loop (the only writer) to the room's home loop (the only reader),
 * where the speaker detector runs: a single-producer single-consumer ring, no lock, no allocation. The home loop
 * drains it every timer tick (20 ms, one audio packet); when full, the newest level is dropped.
 */
final class AudioLevelQueue {
    private static final int CAPACITY = 64; // > 1 s of 20 ms packets
    private final long[] times = new long[CAPACITY];
    private final byte[] levels = new byte[CAPACITY];
    /** Next slot to write; written by the producer only. */
    private volatile long head;
    /** Next slot to read; written by the consumer only. */
    private volatile long tail;

    /** Producer: false when full. */
    boolean offer(int level, long nowNanos) {
        long h = head;
        if (h - tail == CAPACITY) {
            return false;
        }
        int i = (int) (h % CAPACITY);
        times[i] = nowNanos;
        levels[i] = (byte) level;
        head = h + 1; // publishes the slot
        return true;
    }

    /** Consumer: each queued level, oldest first, to the detector as {@code participantId}'s. */
    void drainTo(ActiveSpeakerDetector detector, String participantId) {
        long t = tail;
        long h = head;
        for (; t < h; t++) {
            int i = (int) (t % CAPACITY);
            detector.onAudioLevel(participantId, levels[i], times[i]);
        }
        tail = t;
    }
}
