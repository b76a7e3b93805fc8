package dev.arena.rtc.transport;

/** Why a transport (or the shared port in front of it) threw a datagram away. */
public enum TransportDrop {
    /** Not STUN, DTLS, RTP or RTCP by its first byte (RFC 7983). */
    UNKNOWN_KIND,
    /** From an address no ICE check has validated. */
    UNKNOWN_SOURCE,
    /** Media before DTLS gave us SRTP keys. */
    NOT_CONNECTED,
    /** SRTP or SRTCP authentication, replay or format failure, or no room for the tag (SrtpDrop says which). */
    SRTP_REJECTED,
    /** A DTLS datagram the session did not take: malformed or its queue full (its own drops say which). */
    DTLS_REJECTED,
    /** An outgoing DTLS datagram with no address to go to: ICE has no path and no DTLS came in yet. */
    NO_PATH,
    /** The transport is closed or failed. */
    CLOSED
}
