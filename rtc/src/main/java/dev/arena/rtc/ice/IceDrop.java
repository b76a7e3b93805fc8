package dev.arena.rtc.ice;

/** Why the ICE layer threw a datagram away (STUN parse failures are counted in detail as StunDrop). */
public enum IceDrop {
    /** Not a well-formed STUN message (see the StunDrop counter). */
    MALFORMED,
    /** A well-formed STUN message that is not a Binding request this side answers (indication, other method). */
    NOT_A_REQUEST,
    /** A response nobody here is waiting for. */
    UNEXPECTED_RESPONSE,
    /** A response from another address than the request went to (RFC 8445 section 7.2.5.2.1). */
    WRONG_SOURCE,
    /** USERNAME or MESSAGE-INTEGRITY missing, or no ICE-CONTROLLING/ICE-CONTROLLED (400). */
    BAD_REQUEST,
    /** USERNAME names no registered local ufrag (401). */
    UNKNOWN_USERNAME,
    /** MESSAGE-INTEGRITY does not verify with the local password (401). */
    BAD_INTEGRITY,
    /** An unknown comprehension-required attribute (420). */
    UNKNOWN_ATTRIBUTE,
    /** Both sides claim the same role and we keep ours (487). */
    ROLE_CONFLICT,
    /** The peer-reflexive pair table is full; the check was answered but no pair was added. */
    PAIR_LIMIT,
    /** Received after close(). */
    CLOSED
}
