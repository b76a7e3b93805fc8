package dev.arena.sfu.room;

/** Why the forwarding path did not deliver a packet; counted in a {@code DropCounter}. */
public enum ForwardDrop {
    /** Not a well-formed RTP packet. */
    INVALID_RTP,
    /** RTP from an SSRC that no published track of the sender declared. */
    UNKNOWN_SSRC,
    /** The subscriber negotiated no codec matching the packet's payload type. */
    UNMAPPED_PAYLOAD_TYPE,
    /** The subscription is paused. */
    PAUSED,
    /** A reordered packet from before a resync: it has no number in the outgoing stream. */
    BEFORE_RESYNC,
    /** Larger than the send scratch buffer. */
    TOO_LARGE,
    /** The subscriber's transport refused it (not connected yet, SRTP failure): see its own counters. */
    SEND_FAILED,
    /** RTCP that did not parse. */
    INVALID_RTCP,
    /** A keyframe request or NACK for an SSRC that is none of the subscriber's subscriptions. */
    UNKNOWN_FEEDBACK_SSRC,
    /** Media from a participant not placed on its transport's loop yet (its transport is not connected). */
    NOT_PLACED,
    /** A keyframe request merged into a recent one (throttle). */
    KEYFRAME_REQUEST_THROTTLED
}
