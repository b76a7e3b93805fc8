package dev.arena.sfu.room;

/**
 * Where a NACK responder hands a packet to resend: a plain RTP packet as the publisher sent it (from the track's
 * history); the subscription rewrites it to its own numbering and sends it (RFC 4585 section 6.2.1).
 */
@FunctionalInterface
public interface RetransmitSink {
    void retransmit(byte[] buf, int off, int len);
}
