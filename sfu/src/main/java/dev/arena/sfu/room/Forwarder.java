package dev.arena.sfu.room;

import dev.arena.rtc.rtcp.Fir;
import dev.arena.rtc.rtcp.Nack;
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
 * The forwarding path of one room on one loop ({@link RoomLoop}): a publisher's RTP -> its track by SSRC -> track
 * feedback -> for each subscription on this loop a copy in the loop's send scratch, rewritten in place
 * ({@link Subscription}) and handed to the subscriber's transport, which protects it in place and queues it (the
 * endpoint flushes once per read batch); for each other loop with subscribers of the track, one copy handed off
 * ({@link RoomLoop#handOff}), which that loop's forwarder {@link #deliver}s to its subscribers. RTCP from a
 * participant: PLI/FIR for one of our SSRCs become a throttled PLI to the publisher (RFC 4585 section 6.3.1,
 * RFC 5104 section 4.3.1), on the publisher's loop; NACKs go to the subscription's feedback, on the publisher's loop
 * (it reads the track's history) with the retransmissions sent back on the subscriber's loop; sender reports go to
 * the track's feedback and, rewritten, to its subscribers on their loops.
 *
 * Audio packets carrying the publisher's RFC 6464 level feed the room's {@link ActiveSpeakerDetector} (directly on
 * the home loop, else through the track's {@link AudioLevelQueue}).
 *
 * <p>No allocation per packet on one loop: two reusable views, one scratch buffer, one RTCP reader. Across loops,
 * see {@link RoomLoop}; feedback that crosses loops (NACKs, keyframe requests, sender reports) allocates a task.
 */
final class Forwarder {
    /** Largest RTP packet forwarded (an Ethernet MTU). */
    static final int MAX_PACKET = 1500;
    /** Our SSRC as sender of feedback (RFC 4585 section 6.1: the "packet sender"). */
    static final int FEEDBACK_SENDER_SSRC = 1;

    private final Room room;
    private final RoomLoop loop;
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

    Forwarder(Room room, RoomLoop loop) {
        this.room = room;
        this.loop = loop;
        this.nanoClock = room.nanoClock();
        this.drops = room.drops();
        this.speakers = room.speakers();
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
                if (room.onHomeLoop()) {
                    speakers.onAudioLevel(from.id(), level, now);
                } else {
                    track.levels.offer(level, now);
                }
            }
        }
        if (len > MAX_PACKET) {
            drops.count(ForwardDrop.TOO_LARGE);
            return;
        }
        for (Fanout group : track.fanout()) {
            if (group.loop() == loop) {
                fanOut(group.subscriptions(), buf, off, len, now);
            } else {
                loop.handOff(group, buf, off, len);
            }
        }
    }

    /** On this loop: a packet handed off by the publisher's loop, to this loop's subscribers of its track. */
    void deliver(Fanout group, byte[] buf, int off, int len) {
        if (!in.wrap(buf, off, len)) {
            drops.count(ForwardDrop.INVALID_RTP);
            return;
        }
        fanOut(group.subscriptions(), buf, off, len, nanoClock.getAsLong());
    }

    /** The packet {@code in} views (over {@code buf}), rewritten and sent to each subscription. */
    private void fanOut(Subscription[] subscriptions, byte[] buf, int off, int len, long now) {
        for (Subscription s : subscriptions) {
            if (s.isPaused()) {
                drops.count(ForwardDrop.PAUSED);
                continue;
            }
            if (s.isClosed()) {
                continue; // gone since the fan-out was read
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
                        onNack(s, rtcp.nack(), now);
                    }
                }
                case SR -> onSenderReport(from, rtcp.senderReport(), now);
                default -> { } // RR, SDES, BYE, REMB, transport-cc: for the bandwidth work
            }
        }
    }

    /**
     * A subscriber's NACK (on its loop): answered from the track's history on the publisher's loop. From here the
     * lost sequence numbers go there already mapped to the track's (the mapping is this loop's state).
     */
    private void onNack(Subscription s, Nack nack, long now) {
        RoomLoop publisherLoop = s.track().publisher().loop();
        if (publisherLoop == loop) {
            s.feedback().onNack(nack, s.outToIn(), s.retransmitSink(), now);
            return;
        }
        if (publisherLoop == null) {
            return;
        }
        int[] pairs = new int[2 * nack.lostCount()];
        int[] n = {0};
        nack.forEachLost(out -> {
            pairs[n[0]++] = out;
            pairs[n[0]++] = s.toTrackSequence(out);
        });
        publisherLoop.run(() -> {
            long at = nanoClock.getAsLong();
            for (int i = 0; i < n[0]; i += 2) {
                s.feedback().onLost(pairs[i], pairs[i + 1], s.retransmitSink(), at);
            }
        });
    }

    /**
     * A publisher's sender report: to the track's feedback, and relayed to each subscriber that has received the
     * track, on our SSRC with the RTP timestamp in our numbering and our own counts, so that it can map the stream
     * to wall-clock time and keep audio and video in sync (RFC 3550 section 6.4.1); on each subscriber's loop.
     */
    private void onSenderReport(Participant from, SenderReport sr, long now) {
        Track t = from.trackBySsrc(sr.senderSsrc());
        if (t == null) {
            return;
        }
        long ntp = sr.ntpTimestamp();
        long rtpTimestamp = sr.rtpTimestamp();
        t.feedback().onSenderReport(ntp, rtpTimestamp, now);
        for (Fanout group : t.fanout()) {
            if (group.loop() == loop) {
                relaySenderReport(group.subscriptions(), ntp, rtpTimestamp);
            } else {
                Forwarder there = group.loop().forwarder;
                group.loop().run(() -> there.relaySenderReport(group.subscriptions(), ntp, rtpTimestamp));
            }
        }
    }

    private void relaySenderReport(Subscription[] subscriptions, long ntp, long rtpTimestamp) {
        for (Subscription s : subscriptions) {
            long ts = s.isPaused() || s.isClosed() ? -1 : s.timestampOut(rtpTimestamp);
            if (ts < 0) {
                continue;
            }
            int n = SenderReport.write(feedback, 0, s.ssrc(), ntp, ts, s.packetsOut(), s.payloadBytesOut());
            s.subscriber().sink().sendRtcp(feedback, 0, n);
        }
    }

    /** A subscriber's PLI/FIR: merged into the track's throttle on the publisher's loop. */
    private void keyframeRequestFrom(Participant subscriber, int mediaSsrc, long now) {
        Subscription s = subscriber.subscriptionBySsrc(mediaSsrc);
        if (s == null) {
            drops.count(ForwardDrop.UNKNOWN_FEEDBACK_SSRC);
            return;
        }
        room.requestKeyframe(s.track());
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

    /** Timer work for the participants on this loop: upstream RTCP per track, transport feedback per participant. */
    void poll(long now) {
        for (Participant p : room.participantArray()) {
            if (p.loop() != loop) {
                continue;
            }
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
