package dev.arena.sfu.room;

import dev.arena.rtc.rtcp.Fir;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtcp.SenderReport;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.util.DropCounter;
import dev.arena.sfu.speaker.ActiveSpeakerDetector;
import dev.arena.sfu.speaker.AudioLevel;
import java.util.function.LongSupplier;

/**
 * The forwarding path of one room, on its loop: a publisher's RTP -> its track by SSRC -> for each subscription a
 * copy in the loop's send scratch, rewritten in place ({@link Subscription}) and handed to the subscriber's
 * transport, which protects it in place and queues it (the endpoint flushes once per read batch). RTCP from a
 * participant: PLI/FIR for one of our SSRCs become a throttled PLI to the publisher (RFC 4585 section 6.3.1,
 * RFC 5104 section 4.3.1); NACKs go to the subscription's feedback; sender reports go to the track's feedback and,
 * rewritten, to its subscribers.
 *
 * Audio packets carrying the publisher's RFC 6464 level feed the room's {@link ActiveSpeakerDetector}.
 *
 * <p>No allocation per packet: two reusable views, one scratch buffer, one RTCP reader.
 */
final class Forwarder {
    /** Largest RTP packet forwarded (an Ethernet MTU). */
    static final int MAX_PACKET = 1500;
    /** Our SSRC as sender of feedback (RFC 4585 section 6.1: the "packet sender"). */
    static final int FEEDBACK_SENDER_SSRC = 1;

    private final Room room;
    private final LongSupplier nanoClock;
    private final DropCounter<ForwardDrop> drops;
    private final ActiveSpeakerDetector speakers;
    private final RtpPacket in = new RtpPacket();
    private final RtpPacket out = new RtpPacket();
    private final RtcpReader rtcp = new RtcpReader();
    private final byte[] scratch = new byte[MAX_PACKET + RtcTransport.SPARE_BYTES];
    private final byte[] rtxScratch = new byte[MAX_PACKET + RtcTransport.SPARE_BYTES];
    /** A retransmission wrapped as RTX: 2 bytes longer (the original sequence number). */
    private final byte[] rtxPacket = new byte[MAX_PACKET + 2 + RtcTransport.SPARE_BYTES];
    private final byte[] feedback = new byte[MAX_PACKET + RtcTransport.SPARE_BYTES];

    Forwarder(Room room, LongSupplier nanoClock, DropCounter<ForwardDrop> drops, ActiveSpeakerDetector speakers) {
        this.room = room;
        this.nanoClock = nanoClock;
        this.drops = drops;
        this.speakers = speakers;
    }

    void onRtp(Participant from, byte[] buf, int off, int len) {
        if (!in.wrap(buf, off, len)) {
            drops.count(ForwardDrop.INVALID_RTP);
            return;
        }
        long now = nanoClock.getAsLong();
        Track track = from.trackBySsrc(in.ssrc());
        from.feedback().onRtp(in, track, now);
        if (track == null) {
            drops.count(ForwardDrop.UNKNOWN_SSRC);
            return;
        }
        track.countIn(len);
        track.feedback().onPacket(in, now);
        if (track.isMuted()) {
            return; // by choice: not a drop
        }
        int levelId = track.audioLevelId();
        if (levelId != 0) {
            int b = AudioLevel.read(in, levelId); // RFC 6464 section 3; an absent element is not a sample
            if (b >= 0) {
                int level = AudioLevel.level(b);
                track.countAudioLevel(level);
                speakers.onAudioLevel(from.id(), level, now);
            }
        }
        if (len > MAX_PACKET) {
            drops.count(ForwardDrop.TOO_LARGE);
            return;
        }
        for (Subscription s : track.subscriptionArray()) {
            if (s.isPaused()) {
                drops.count(ForwardDrop.PAUSED);
                continue;
            }
            System.arraycopy(buf, off, scratch, 0, len);
            out.wrapCopyOf(in, scratch, 0); // the copy is identical: no second parse per subscriber
            send(s, scratch, len, now);
        }
    }

    /**
     * A retransmission from the track's history, rewritten like the original (same offsets, same numbers), and sent
     * as RTX when the subscriber negotiated it (RFC 4588), else as is.
     */
    void retransmit(Subscription s, byte[] buf, int off, int len) {
        if (s.isClosed() || s.isPaused()) {
            return;
        }
        if (len > MAX_PACKET) {
            drops.count(ForwardDrop.TOO_LARGE);
            return;
        }
        System.arraycopy(buf, off, rtxScratch, 0, len);
        if (!out.wrap(rtxScratch, 0, len)) {
            drops.count(ForwardDrop.INVALID_RTP);
            return;
        }
        long now = nanoClock.getAsLong();
        if (s.spec().rtxSsrc() == 0) {
            send(s, rtxScratch, len, now);
            return;
        }
        ForwardDrop drop = s.rewrite(out, now);
        if (drop != null) {
            drops.count(drop);
            return;
        }
        int n = s.wrapRtx(out, rtxPacket, 0);
        boolean sent = n > 0 ? s.subscriber().sink().sendRtp(rtxPacket, 0, n)
                : s.subscriber().sink().sendRtp(rtxScratch, 0, len);
        if (!sent) {
            drops.count(ForwardDrop.SEND_FAILED);
        }
    }

    /** Rewrites the packet {@code out} views for {@code s} and hands it to the subscriber's transport. */
    private void send(Subscription s, byte[] packet, int len, long now) {
        ForwardDrop drop = s.rewrite(out, now);
        if (drop != null) {
            drops.count(drop);
            return;
        }
        int payloadLen = out.payloadLength();
        if (s.subscriber().sink().sendRtp(packet, 0, len)) {
            s.countOut(len, payloadLen);
        } else {
            drops.count(ForwardDrop.SEND_FAILED);
        }
    }

    void onRtcp(Participant from, byte[] buf, int off, int len) {
        if (!rtcp.reset(buf, off, len)) {
            drops.count(ForwardDrop.INVALID_RTCP);
            return;
        }
        long now = nanoClock.getAsLong();
        for (RtcpType type = rtcp.next(); type != RtcpType.END; type = rtcp.next()) {
            switch (type) {
                case PLI -> keyframeRequestFrom(from, rtcp.pli().mediaSsrc(), now);
                case FIR -> {
                    Fir fir = rtcp.fir();
                    for (int i = 0; i < fir.entryCount(); i++) {
                        keyframeRequestFrom(from, fir.entrySsrc(i), now);
                    }
                }
                case NACK -> {
                    Subscription s = from.subscriptionBySsrc(rtcp.nack().mediaSsrc());
                    if (s == null) {
                        drops.count(ForwardDrop.UNKNOWN_FEEDBACK_SSRC);
                    } else {
                        s.feedback().onNack(rtcp.nack(), s.outToIn(), s.retransmitSink(), now);
                    }
                }
                case SR -> onSenderReport(from, rtcp.senderReport(), now);
                default -> { } // RR, SDES, BYE, REMB, transport-cc: for the bandwidth work
            }
        }
    }

    /**
     * A publisher's sender report: to the track's feedback, and relayed to each subscriber that has received the
     * track, on our SSRC with the RTP timestamp in our numbering and our own counts, so that it can map the stream
     * to wall-clock time and keep audio and video in sync (RFC 3550 section 6.4.1).
     */
    private void onSenderReport(Participant from, SenderReport sr, long now) {
        Track t = from.trackBySsrc(sr.senderSsrc());
        if (t == null) {
            return;
        }
        long ntp = sr.ntpTimestamp();
        long rtpTimestamp = sr.rtpTimestamp();
        t.feedback().onSenderReport(ntp, rtpTimestamp, now);
        for (Subscription s : t.subscriptionArray()) {
            long ts = s.isPaused() ? -1 : s.timestampOut(rtpTimestamp);
            if (ts < 0) {
                continue;
            }
            int n = SenderReport.write(feedback, 0, s.ssrc(), ntp, ts, s.packetsOut(), s.payloadBytesOut());
            s.subscriber().sink().sendRtcp(feedback, 0, n);
        }
    }

    private void keyframeRequestFrom(Participant subscriber, int mediaSsrc, long now) {
        Subscription s = subscriber.subscriptionBySsrc(mediaSsrc);
        if (s == null) {
            drops.count(ForwardDrop.UNKNOWN_FEEDBACK_SSRC);
            return;
        }
        requestKeyframe(s.track(), now);
    }

    void requestKeyframe(Track track, long now) {
        if (track.kind() != MediaKind.VIDEO || track.isClosed()) {
            return;
        }
        if (!track.feedback().tryKeyframeRequest(now)) {
            drops.count(ForwardDrop.KEYFRAME_REQUEST_THROTTLED);
            return;
        }
        int n = Pli.write(feedback, 0, FEEDBACK_SENDER_SSRC, track.ssrc());
        track.publisher().sink().sendRtcp(feedback, 0, n);
    }

    /** Timer work: upstream RTCP per track, transport feedback per participant. */
    void poll(long now) {
        for (Participant p : room.participantArray()) {
            for (Track t : p.trackArray()) {
                int n = t.feedback().pollUpstream(now, feedback, 0, MAX_PACKET, FEEDBACK_SENDER_SSRC);
                if (n > 0) {
                    p.sink().sendRtcp(feedback, 0, n);
                }
            }
            int n = p.feedback().poll(now, feedback, 0, MAX_PACKET);
            if (n > 0) {
                p.sink().sendRtcp(feedback, 0, n);
            }
        }
    }
}
