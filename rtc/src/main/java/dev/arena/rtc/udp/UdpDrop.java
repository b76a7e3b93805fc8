package dev.arena.rtc.udp;

/** Why a {@link UdpEndpoint} threw a datagram away, counted in its {@code drops()}. */
public enum UdpDrop {
    /** Received datagram longer than {@link UdpEndpoint.Options#maxDatagramSize()} (it arrived truncated). */
    OVERSIZE,
    /** Received datagram of length 0. */
    EMPTY,
    /** Received datagram whose first byte is no STUN, DTLS or RTP/RTCP (RFC 7983). */
    UNKNOWN_KIND,
    /** The handler threw; the exception stopped there. */
    HANDLER_ERROR,
    /** send(): the outbound queue is above its high-water mark. */
    SEND_QUEUE_FULL,
    /** send(): longer than the maximum datagram size, or an invalid range. */
    SEND_INVALID,
    /** send() after close(). */
    CLOSED,
    /** The socket reported an error on a read or a write (the channel's exceptionCaught). */
    IO_ERROR
}
