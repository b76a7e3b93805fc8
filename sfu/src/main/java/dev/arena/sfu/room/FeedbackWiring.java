package dev.arena.sfu.room;

import dev.arena.rtc.codec.Vp8;
import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.ReceiverReport;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.util.DropCounter;
import dev.arena.rtc.feedback.FeedbackDrop;
import dev.arena.rtc.feedback.KeyframeRequestThrottle;
import dev.arena.rtc.feedback.NackGenerator;
import dev.arena.rtc.feedback.NackResponder;
import dev.arena.rtc.feedback.PacketHistory;
import dev.arena.rtc.feedback.ReceiveStatistics;
import dev.arena.rtc.feedback.TwccFeedbackGenerator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;

/**
 * The feedback package wired into a room:
 * <ul>
 * <li>per track: {@link ReceiveStatistics} (a receiver report to the publisher every second, RFC 3550 section
 *     6.4.2), and for video a {@link PacketHistory} (1024 x 1500 B, 1 s: ~1.5 MB per video track), a
 *     {@link NackGenerator} toward the publisher (RFC 4585 section 6.2.1) and a {@link KeyframeRequestThrottle}
 *     whose merged requests go out on the timer unless a keyframe arrived meanwhile;</li>
 * <li>per subscription to a video track: a {@link NackResponder} over the track's history, retransmitting through
 *     the subscription's rewriting, as RTX when the subscriber negotiated it;</li>
 * <li>per participant: a {@link TwccFeedbackGenerator} over the transport-wide sequence numbers of its packets.</li>
 * </ul>
 * Each piece runs on its track's publisher's loop (the TWCC generator on its participant's). All drops of the
 * feedback pieces are counted in {@link #drops()}. {@link #withoutRetransmission()} leaves out both NACK pieces (for
 * comparisons; see LossRecoveryChromiumTest).
 */
public final class FeedbackWiring implements FeedbackFactory {
    /** Receiver reports toward a publisher, per track. */
    static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

    private final DropCounter<FeedbackDrop> drops = new DropCounter<>(FeedbackDrop.class);
    private final boolean retransmission;

    /** The full wiring. */
    public FeedbackWiring() {
        this(true);
    }

    private FeedbackWiring(boolean retransmission) {
        this.retransmission = retransmission;
    }

    /**
     * The same wiring without retransmission: no NACKs to publishers for upstream loss, subscribers' NACKs
     * ignored. Receiver reports, transport-cc and keyframe requests stay. A baseline to compare recovery with.
     */
    public static FeedbackWiring withoutRetransmission() {
        return new FeedbackWiring(false);
    }

    /** Whether this wiring NACKs publishers and answers subscribers' NACKs. */
    public boolean retransmission() {
        return retransmission;
    }

    public DropCounter<FeedbackDrop> drops() {
        return drops;
    }

    /**
     * Totals of the feedback pieces, for metrics.
     *
     * @param nackRequestsReceived sequence numbers subscribers asked for in NACKs
     * @param retransmissions      packets resent from the history in answer
     * @param nackRequestsSent     sequence numbers we asked publishers for (upstream loss)
     * @param plisSent             keyframe requests let through upstream
     * @param upstreamLost         packets lost upstream (expected minus received) on the live tracks
     */
    public record Counts(long nackRequestsReceived, long retransmissions, long nackRequestsSent, long plisSent,
                         long upstreamLost) {
    }

    /**
     * Live pieces and the totals of closed ones. Pieces are made on the room's home loop and closed on their track's
     * publisher's loop, hence the concurrent sets and adders.
     */
    private final java.util.Set<Wired> liveTracks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Responder> liveResponders = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final LongAdder retiredNackRequestsReceived = new LongAdder();
    private final LongAdder retiredRetransmissions = new LongAdder();
    private final LongAdder retiredNackRequestsSent = new LongAdder();
    private final LongAdder retiredPlis = new LongAdder();

    /**
     * Totals since this factory's room opened (closed tracks and subscriptions included). The live pieces' counters
     * are written on their publishers' loops: read from elsewhere, they may lag.
     */
    public Counts counts() {
        long received = retiredNackRequestsReceived.sum();
        long resent = retiredRetransmissions.sum();
        long nacked = retiredNackRequestsSent.sum();
        long plis = retiredPlis.sum();
        long lost = 0;
        for (Responder r : liveResponders) {
            received += r.responder.requested();
            resent += r.responder.sent();
        }
        for (Wired w : liveTracks) {
            nacked += w.nacks == null ? 0 : w.nacks.nacked();
            plis += w.throttle.granted();
            lost += Math.max(0, w.stats.cumulativeLost());
        }
        return new Counts(received, resent, nacked, plis, lost);
    }

    @Override
    public TrackFeedback forTrack(Track track) {
        return new Wired(track);
    }

    @Override
    public SubscriptionFeedback forSubscription(Subscription subscription) {
        if (retransmission && subscription.track().feedback() instanceof Wired w && w.history != null) {
            return new Responder(w.history, subscription.retransmitSink());
        }
        return new SubscriptionFeedback();
    }

    @Override
    public TransportFeedback forParticipant(Participant participant) {
        return new Twcc();
    }

    /** Per track. */
    private final class Wired extends TrackFeedback {
        final int ssrc;
        final int transportCcId;
        final boolean vp8;
        final ReceiveStatistics stats;
        final PacketHistory history;
        final NackGenerator nacks;
        final KeyframeRequestThrottle throttle;
        boolean reported;
        long lastReportNanos;

        Wired(Track track) {
            TrackSpec spec = track.spec();
            this.ssrc = spec.ssrc();
            this.transportCcId = spec.extensionIds().getOrDefault(AnswerOptions.EXT_TRANSPORT_CC, 0);
            this.vp8 = spec.codecs().stream().anyMatch(c -> c.name().equalsIgnoreCase("VP8"));
            this.stats = new ReceiveStatistics(spec.clockRate(), drops);
            boolean video = spec.kind() == MediaKind.VIDEO;
            this.history = video ? PacketHistory.forVideo(drops) : null;
            this.nacks = video && retransmission ? new NackGenerator(NackGenerator.DEFAULT_MAX_MISSING,
                    NackGenerator.DEFAULT_MAX_RETRIES, NackGenerator.DEFAULT_RETRY_INTERVAL_NANOS,
                    NackGenerator.DEFAULT_MAX_AGE_NANOS, drops) : null;
            this.throttle = new KeyframeRequestThrottle(KeyframeRequestThrottle.DEFAULT_MIN_INTERVAL_NANOS, drops);
            liveTracks.add(this);
        }

        @Override
        public void close() {
            if (liveTracks.remove(this)) {
                retiredNackRequestsSent.add(nacks == null ? 0 : nacks.nacked());
                retiredPlis.add(throttle.granted());
            }
            super.close();
        }

        @Override
        public void onPacket(RtpPacket p, long nowNanos) {
            int seq = p.sequenceNumber();
            stats.onPacket(seq, p.timestamp(), nowNanos);
            if (history != null) {
                history.store(p.buffer(), p.offset(), p.length(), seq, nowNanos);
                if (nacks != null) {
                    nacks.onPacket(seq, nowNanos);
                }
                // Only a held keyframe request cares whether this packet starts a keyframe.
                if (vp8 && throttle.pending() && Vp8.isKeyframeStart(p.buffer(), p.payloadOffset(), p.payloadLength())) {
                    throttle.onKeyframe();
                }
            }
        }

        @Override
        public void onSenderReport(long ntpTimestamp, long rtpTimestamp, long nowNanos) {
            stats.onSenderReport(ntpTimestamp, nowNanos);
        }

        @Override
        public boolean tryKeyframeRequest(long nowNanos) {
            return throttle.tryRequest(nowNanos);
        }

        @Override
        public int pollUpstream(long nowNanos, byte[] buf, int off, int maxLen, int senderSsrc) {
            int pos = off;
            int end = off + maxLen;
            if (!reported || nowNanos - lastReportNanos >= REPORT_INTERVAL_NANOS) {
                int rr = ReceiverReport.write(buf, pos, senderSsrc);
                int n = rr < 0 ? -1 : stats.writeReportBlock(buf, pos, ssrc, nowNanos);
                if (n > 0) {
                    pos += n;
                    reported = true;
                    lastReportNanos = nowNanos;
                }
            }
            if (nacks != null && end - pos > 64) {
                pos += nacks.poll(nowNanos, buf, pos, senderSsrc, ssrc);
            }
            if (throttle.poll(nowNanos) && end - pos >= 12) {
                pos += throttle.write(buf, pos, senderSsrc, ssrc);
            }
            return pos - off;
        }
    }

    /** Per subscription to a video track. */
    private final class Responder extends SubscriptionFeedback {
        final NackResponder responder;

        Responder(PacketHistory history, RetransmitSink sink) {
            this.responder = new NackResponder(history, sink::retransmit, NackResponder.DEFAULT_SUPPRESS_NANOS, drops);
            liveResponders.add(this);
        }

        @Override
        public void close() {
            if (liveResponders.remove(this)) {
                retiredNackRequestsReceived.add(responder.requested());
                retiredRetransmissions.add(responder.sent());
            }
            super.close();
        }

        @Override
        public void onNack(Nack nack, IntUnaryOperator outToIn, RetransmitSink sink, long nowNanos) {
            responder.onNack(nack, outToIn, nowNanos);
        }

        @Override
        public void onLost(int outSeq, int inSeq, RetransmitSink sink, long nowNanos) {
            responder.onLost(outSeq, inSeq, nowNanos);
        }
    }

    /** Per participant. */
    private static final class Twcc extends TransportFeedback {
        private TwccFeedbackGenerator generator;

        @Override
        public void onRtp(RtpPacket packet, Track track, long nowNanos) {
            if (track == null || !(track.feedback() instanceof Wired w) || w.transportCcId == 0) {
                return;
            }
            if (!packet.findExtension(w.transportCcId) || packet.extensionValueLength() < 2) {
                return;
            }
            int off = packet.extensionValueOffset();
            byte[] b = packet.buffer();
            int transportSeq = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
            if (generator == null) {
                generator = new TwccFeedbackGenerator(Forwarder.FEEDBACK_SENDER_SSRC);
            }
            generator.onPacket(transportSeq, nowNanos, packet.ssrc());
        }

        @Override
        public int poll(long nowNanos, byte[] buf, int off, int maxLen) {
            return generator == null || maxLen < TwccFeedbackGenerator.MAX_FEEDBACK_LENGTH ? 0
                    : generator.poll(nowNanos, buf, off);
        }
    }
}
