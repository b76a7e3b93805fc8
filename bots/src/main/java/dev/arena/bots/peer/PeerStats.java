package dev.arena.bots.peer;

/**
 * A snapshot of one bot's media counters (all receive-side figures summed over the streams it receives).
 *
 * @param packetsReceived  unique RTP packets received (after SRTP authentication; RTX-repaired ones included,
 *                         duplicates not)
 * @param bytesReceived    RTP payload+header bytes of those
 * @param packetsExpected  per stream: highest extended sequence number - first + 1, summed
 * @param packetsLost      expected - received, never negative: loss after retransmission
 * @param rtxReceived      retransmissions that repaired a gap
 * @param nacksSent        NACK feedback packets sent
 * @param plisSent         PLIs sent
 * @param authFailures     SRTP/SRTCP packets that failed authentication (dropped)
 * @param jitterMicros     largest interarrival jitter of its streams (RFC 3550 section 6.4.1), in microseconds
 * @param packetsSent      RTP packets sent (publishers)
 * @param bytesSent        RTP bytes sent (publishers)
 * @param iceNanos         from applying the answer to ICE connected; -1 until then
 * @param dtlsNanos        from ICE connected to DTLS done (SRTP keys); -1 until then
 * @param firstMediaNanos  from DTLS done to the first RTP packet received (or sent, for a publisher); -1 until then
 */
public record PeerStats(long packetsReceived, long bytesReceived, long packetsExpected, long packetsLost,
                        long rtxReceived, long nacksSent, long plisSent, long authFailures, long jitterMicros,
                        long packetsSent, long bytesSent, long iceNanos, long dtlsNanos, long firstMediaNanos) {
}
