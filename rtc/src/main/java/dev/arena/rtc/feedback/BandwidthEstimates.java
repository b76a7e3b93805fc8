package dev.arena.rtc.feedback;

import dev.arena.rtc.rtcp.Remb;
import dev.arena.rtc.rtcp.TransportCc;

/**
 * What one subscriber's receiver tells us about its downlink, kept for the bandwidth allocation to come:
 * the latest REMB bitrate (draft-alvestrand-rmcat-remb-03) and a summary of the transport-cc feedback it
 * sends about our packets (draft-holmer-rmcat-transport-wide-cc-extensions-01): counts of feedbacks,
 * packets reported and reported lost, the loss of the latest feedback, and feedbacks that went missing
 * (gaps in the 8-bit feedback packet count). Packets reported in more than one feedback count again.
 *
 * <p>Single-threaded: owned by the event loop of the subscriber. No allocation.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-alvestrand-rmcat-remb-03#section-2.2">draft-alvestrand-rmcat-remb-03 section 2.2</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-3.1">draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1</a>
 */
public final class BandwidthEstimates {
    private long rembBps = -1;
    private long rembAtNanos;

    private long twccFeedbacks;
    private long twccReported;
    private long twccLost;
    private int lastFeedbackCount = -1;
    private long missedFeedbacks;
    private float lastLossFraction;
    private long lastTwccAtNanos;

    public void onRemb(Remb remb, long nowNanos) {
        onRemb(remb.bitrate(), nowNanos);
    }

    public void onRemb(long bitrateBps, long nowNanos) {
        rembBps = bitrateBps;
        rembAtNanos = nowNanos;
    }

    public void onTransportCc(TransportCc fb, long nowNanos) {
        int reported = fb.packetStatusCount();
        int lost = reported - fb.receivedCount();
        int count = fb.feedbackPacketCount();
        if (lastFeedbackCount >= 0) {
            int gap = ((count - lastFeedbackCount) & 0xFF) - 1;
            if (gap > 0 && gap < 128) {
                missedFeedbacks += gap;
            }
        }
        lastFeedbackCount = count;
        twccFeedbacks++;
        twccReported += reported;
        twccLost += lost;
        lastLossFraction = reported == 0 ? 0f : (float) lost / reported;
        lastTwccAtNanos = nowNanos;
    }

    /** The latest REMB bitrate in bit/s, or -1 if none yet. */
    public long rembBitrate() {
        return rembBps;
    }

    public long rembAtNanos() {
        return rembAtNanos;
    }

    public long twccFeedbacks() {
        return twccFeedbacks;
    }

    public long twccPacketsReported() {
        return twccReported;
    }

    public long twccPacketsLost() {
        return twccLost;
    }

    /** Lost / reported of the latest transport-cc feedback. */
    public float lastTwccLossFraction() {
        return lastLossFraction;
    }

    /** Feedback packets never seen, from gaps in the feedback packet count. */
    public long missedTwccFeedbacks() {
        return missedFeedbacks;
    }

    public long lastTwccAtNanos() {
        return lastTwccAtNanos;
    }
}
