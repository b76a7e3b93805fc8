package dev.arena.rtc.srtp;

/** Why {@link SrtpSession} refused a packet (counted in {@link SrtpSession#drops()}, never thrown). */
public enum SrtpDrop {
    /** Null buffer or an offset/length outside it. */
    BAD_ARGUMENTS,
    /** Not RTP/RTCP version 2. */
    NOT_VERSION_2,
    /** Shorter than its header (CSRCs, extension) plus tag and SRTCP index. */
    TOO_SHORT,
    /** protect: the buffer has no room after the packet for the tag (and SRTCP index). */
    NO_ROOM_FOR_TAG,
    /** Authentication tag (HMAC or GCM tag) does not match: tampered, wrong key or wrong ROC. */
    AUTH_FAILED,
    /** Packet index already received (RFC 3711 section 3.3.2). */
    REPLAYED,
    /** Packet index older than the replay window. */
    TOO_OLD,
    /** A new SSRC while the session already tracks its maximum number of SSRCs. */
    SSRC_LIMIT,
    /** The crypto provider refused the operation (e.g. GCM IV reuse when protecting an index twice). */
    CRYPTO_ERROR,
    /** The session was closed ({@link SrtpSession#close()}). */
    CLOSED
}
