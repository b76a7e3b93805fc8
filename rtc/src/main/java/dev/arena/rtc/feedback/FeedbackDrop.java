package dev.arena.rtc.feedback;

/** Why a feedback building block threw input away or gave up on something; counted in a DropCounter. */
public enum FeedbackDrop {
    /** PacketHistory: packet longer than the slot size (or shorter than an RTP header). */
    HISTORY_BAD_LENGTH,
    /** PacketHistory: a late packet older than the one already in its slot. */
    HISTORY_STALE,
    /** NackResponder: requested packet not in the history (never stored, overwritten or too old). */
    NACK_MISSING,
    /** NackResponder: requested again within the suppression interval. */
    NACK_SUPPRESSED,
    /** NackResponder: the caller could not map the subscriber's sequence number to the track's. */
    NACK_UNMAPPED,
    /** NackGenerator: missing set full, the oldest missing sequence number was forgotten. */
    NACK_LIST_OVERFLOW,
    /** NackGenerator: a jump of more than 3000 sequence numbers (RFC 3550 A.1 MAX_DROPOUT): a restart, not loss. */
    NACK_SEQUENCE_JUMP,
    /** NackGenerator: a missing packet was forgotten after the maximum age. */
    NACK_EXPIRED,
    /** NackGenerator: a missing packet was forgotten after the maximum number of requests. */
    NACK_GAVE_UP,
    /** ReceiveStatistics: a packet far outside the expected sequence range (RFC 3550 A.1 bad_seq). */
    STATS_BAD_SEQ,
    /** TwccFeedbackGenerator: a packet arrived again. */
    TWCC_DUPLICATE,
    /** TwccFeedbackGenerator: a packet older than the reporting window. */
    TWCC_TOO_OLD,
    /** KeyframeRequestThrottle: a request merged into a recent one. */
    KEYFRAME_THROTTLED
}
