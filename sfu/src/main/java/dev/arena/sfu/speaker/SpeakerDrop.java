package dev.arena.sfu.speaker;

/** Why {@link ActiveSpeakerDetector} threw input or state away. */
public enum SpeakerDrop {
    /** A level outside 0..127. */
    INVALID_LEVEL,
    /** A sample older than the participant's window (the clock went backwards). */
    STALE_SAMPLE,
    /** A tracked participant evicted because the table was full (bounded state). */
    EVICTED,
    /** A tracked participant forgotten after sending no level for the idle timeout. */
    IDLE
}
