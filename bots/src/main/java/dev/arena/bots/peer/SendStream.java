package dev.arena.bots.peer;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaPacket;
import dev.arena.bots.media.MediaSource;
import dev.arena.rtc.feedback.NackResponder;
import dev.arena.rtc.feedback.PacketHistory;
import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.Sdes;
import dev.arena.rtc.rtcp.SenderReport;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.rtp.RtxPacket;
import dev.arena.rtc.transport.RtcTransport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * One source going out on one sending section, paced by {@link MediaPacket#sendAtNanos()} on the bot's loop: RTP
 * header (random SSRC, initial sequence number and timestamp offset), the mid, transport-cc, abs-capture-time (the
 * wall-clock NTP time of sending: receivers compute end-to-end latency from it) and, for audio, audio-level
 * extensions. Video keeps a {@link PacketHistory} and answers NACKs: as RTX when the answer accepted it, else by
 * resending the stored SRTP bytes (protecting an index twice would reuse the keystream; the SRTP layer refuses it).
 * PLIs and FIRs are only counted: a file source cannot make a keyframe on demand, its own keyframes come by its
 * schedule.
 *
 * <p>Single-threaded: everything runs on the bot's loop. No allocation per packet.
 */
final class SendStream {
    /** Packets sent per timer tick at most, so that a bot that fell far behind cannot hog the loop. */
    private static final int MAX_PACKETS_PER_PUMP = 256;
    /** Audio level written into every audio packet: -40 dBov, no voice activity flag (a quiet participant). */
    private static final int AUDIO_LEVEL = 40;

    private final MediaSession session;
    final LocalSection section;
    private final MediaSource source;
    final int ssrc;
    private final int rtxSsrc;
    private final int payloadType;
    private final int rtxPayloadType;
    private final boolean video;
    private final byte[] mid;
    private final byte[] cname;
    private final long timestampOffset;
    private final PacketHistory history;
    private final NackResponder nackResponder;
    private final IntUnaryOperator sameSequence = IntUnaryOperator.identity();
    private final RtpPacket view = new RtpPacket();

    private long startNanos = -1;
    private MediaPacket pending;
    private int sequence;
    private int rtxSequence;
    private long lastRtpTimestamp;
    private long lastSentNanos;
    private boolean stopped;

    long packetsSent;
    long bytesSent;
    long payloadBytesSent;
    long retransmissions;
    long nacksReceived;
    long keyframeRequestsReceived;

    SendStream(MediaSession session, Negotiated.Sender sender, String cname) {
        this.session = session;
        this.section = sender.section();
        this.source = section.source;
        this.ssrc = section.ssrc;
        this.payloadType = sender.payloadType();
        this.rtxPayloadType = sender.rtxPayloadType();
        this.rtxSsrc = rtxPayloadType >= 0 ? section.rtxSsrc : 0;
        this.video = section.kind == MediaKind.VIDEO;
        this.mid = section.mid.getBytes(StandardCharsets.US_ASCII);
        this.cname = cname.getBytes(StandardCharsets.US_ASCII);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.sequence = r.nextInt(1 << 15); // below half the circle, so the first 32k packets never wrap (RFC 3550)
        this.rtxSequence = r.nextInt(1 << 15);
        this.timestampOffset = r.nextInt() & 0xFFFF_FFFFL;
        this.history = video ? PacketHistory.forVideo(null) : null;
        this.nackResponder = video ? new NackResponder(history, this::retransmit) : null;
    }

    /** Sends every packet that is due by {@code now}; returns how many. */
    int pump(long now) {
        if (stopped) {
            return 0;
        }
        if (startNanos < 0) {
            startNanos = now;
            pending = source.next();
        }
        int n = 0;
        while (startNanos + pending.sendAtNanos() <= now && n < MAX_PACKETS_PER_PUMP) {
            send(pending, now);
            pending = source.next();
            n++;
        }
        return n;
    }

    private void send(MediaPacket p, long now) {
        byte[] b = session.sendBuffer;
        if (p.length() > MediaSession.MAX_RTP_LENGTH - 64) {
            session.oversizePayloads++;
            return;
        }
        long ts = (timestampOffset + p.rtpTimestamp()) & 0xFFFF_FFFFL;
        RtpPacketWriter w = session.writer.start(b, 0, MediaSession.MAX_RTP_LENGTH, payloadType, sequence, ts, ssrc)
                .marker(p.marker());
        Negotiated n = session.negotiated;
        if (n.midId() > 0 || n.transportCcId() > 0 || n.absCaptureTimeId() > 0 || !video && n.audioLevelId() > 0) {
            w.beginExtensions(session.twoByteExtensions);
            if (n.midId() > 0) {
                w.extension(n.midId(), mid, 0, mid.length);
            }
            if (n.transportCcId() > 0) {
                w.extension(n.transportCcId(), session.nextTransportSequence(), 2);
            }
            if (n.absCaptureTimeId() > 0) {
                w.extension(n.absCaptureTimeId(), WallClock.ntp(WallClock.epochNanos(now)), 8);
            }
            if (!video && n.audioLevelId() > 0) {
                w.extension(n.audioLevelId(), AUDIO_LEVEL, 1);
            }
        }
        w.payload(p.payload(), 0, p.length());
        int len = w.finish();
        boolean plainResends = history != null && rtxSsrc == 0;
        if (history != null && !plainResends) {
            history.store(b, 0, len, sequence, now); // plain: RTX wraps it anew
        }
        RtcTransport t = session.transport;
        if (t.sendRtp(b, 0, len)) {
            if (plainResends) {
                history.store(b, 0, len + t.srtpProfile().rtpTagLength, sequence, now); // as protected
            }
            packetsSent++;
            bytesSent += len;
            payloadBytesSent += p.length();
            session.onMediaSent();
        }
        sequence = (sequence + 1) & 0xFFFF;
        lastRtpTimestamp = ts;
        lastSentNanos = now;
    }

    /** A NACK for our SSRC (or our RTX SSRC). */
    void onNack(Nack nack, long now) {
        nacksReceived++;
        if (nackResponder != null) {
            nackResponder.onNack(nack, sameSequence, now);
        }
    }

    void onKeyframeRequest() {
        keyframeRequestsReceived++;
    }

    /** From the NackResponder: the stored packet, to send again. */
    private void retransmit(byte[] buf, int off, int len) {
        RtcTransport t = session.transport;
        if (rtxSsrc == 0) {
            // the stored SRTP bytes, as they went out the first time
            if (t.remoteAddress() != null) {
                t.endpoint().send(buf, off, len, t.remoteAddress());
                retransmissions++;
            }
            return;
        }
        if (!view.wrap(buf, off, len)) {
            return;
        }
        byte[] out = session.sendBuffer;
        int n = RtxPacket.wrap(view, out, 0, rtxSsrc, rtxPayloadType, rtxSequence);
        if (n < 0 || n > MediaSession.MAX_RTP_LENGTH) {
            return;
        }
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        int twcc = session.negotiated.transportCcId();
        if (twcc > 0 && view.wrap(out, 0, n)) {
            int at = view.extensionValueOffset(twcc);
            if (at >= 0) {
                int transportSeq = session.nextTransportSequence(); // a new packet on the transport
                out[at] = (byte) (transportSeq >>> 8);
                out[at + 1] = (byte) transportSeq;
            }
        }
        if (t.sendRtp(out, 0, n)) {
            retransmissions++;
        }
    }

    /**
     * Writes this stream's sender report (RFC 3550 section 6.4.1) and SDES CNAME as one compound packet.
     *
     * @return its length, or 0 if nothing was sent yet
     */
    int writeSenderReport(byte[] buf, int off, long now) {
        if (packetsSent == 0) {
            return 0;
        }
        long rtpNow = (lastRtpTimestamp + (now - lastSentNanos) * source.clockRate() / 1_000_000_000L) & 0xFFFF_FFFFL;
        int len = SenderReport.write(buf, off, ssrc, WallClock.ntp(WallClock.epochNanos(now)), rtpNow, packetsSent,
                payloadBytesSent);
        if (len < 0) {
            return 0;
        }
        int sdes = Sdes.writeCname(buf, off + len, ssrc, cname);
        return sdes < 0 ? len : len + sdes;
    }

    boolean ownsSsrc(int s) {
        return s == ssrc || (rtxSsrc != 0 && s == rtxSsrc);
    }

    /** Stops for good: a re-offer made the section inactive. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }
}
