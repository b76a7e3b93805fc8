package dev.arena.bots.report;

import dev.arena.bots.peer.PeerStats;

/**
 * Media counters summed over bots (and over shards when reports merge). Jitter is the largest of any bot's, since
 * adding jitters means nothing.
 */
public record MediaTotals(long packetsReceived, long bytesReceived, long packetsExpected, long packetsLost,
                          long rtxReceived, long nacksSent, long plisSent, long authFailures, long maxJitterMicros,
                          long packetsSent, long bytesSent) {
    public static final MediaTotals ZERO = new MediaTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static MediaTotals of(PeerStats s) {
        return new MediaTotals(s.packetsReceived(), s.bytesReceived(), s.packetsExpected(), s.packetsLost(),
                s.rtxReceived(), s.nacksSent(), s.plisSent(), s.authFailures(), s.jitterMicros(), s.packetsSent(),
                s.bytesSent());
    }

    public MediaTotals plus(MediaTotals o) {
        return new MediaTotals(packetsReceived + o.packetsReceived, bytesReceived + o.bytesReceived,
                packetsExpected + o.packetsExpected, packetsLost + o.packetsLost, rtxReceived + o.rtxReceived,
                nacksSent + o.nacksSent, plisSent + o.plisSent, authFailures + o.authFailures,
                Math.max(maxJitterMicros, o.maxJitterMicros), packetsSent + o.packetsSent, bytesSent + o.bytesSent);
    }

    /**
     * Loss before retransmission (what the network lost, repairs counted as lost), in percent of the packets
     * expected: the figure a browser's getStats reports as {@code packetsLost} (ChromiumAgreementTest).
     */
    public double lossBeforeRetransmissionPercent() {
        return packetsExpected == 0 ? 0 : 100.0 * (packetsLost + rtxReceived) / packetsExpected;
    }

    /** Loss after retransmission, in percent of the packets expected; 0 when nothing was expected. */
    public double lossPercent() {
        return packetsExpected == 0 ? 0 : 100.0 * packetsLost / packetsExpected;
    }
}
