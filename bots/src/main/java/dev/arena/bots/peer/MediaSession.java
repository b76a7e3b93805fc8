package dev.arena.bots.peer;

import dev.arena.bots.media.MediaKind;
import dev.arena.rtc.feedback.TwccFeedbackGenerator;
import dev.arena.rtc.rtcp.Fir;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtcp.ReceiverReport;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtcp.Sdes;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.rtp.RtxPacket;
import dev.arena.rtc.srtp.SrtpDrop;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.TransportListener;
import dev.arena.rtc.transport.TransportState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Everything of one bot's media connection that runs on its transport's event loop: the send streams and their
 * pacing, the receive streams, RTCP in and out, the join timings, and one timer (every {@value #PUBLISHER_TICK_MS}
 * ms for a publisher, {@value #LISTENER_TICK_MS} ms otherwise) that sends what is due, NACKs, PLIs, transport-cc
 * feedback and (every second) sender and receiver reports, and then flushes once.
 *
 * <p>Threads: the transport calls in on its loop; {@link #configure} and {@link #stopSending} post there. The
 * counters are written on the loop only; {@link #stats} reads them from any thread, so a snapshot may lag by a few
 * packets.
 */
final class MediaSession implements TransportListener {
    /** Largest RTP packet we write or accept for unwrapping (before the SRTP tag). */
    static final int MAX_RTP_LENGTH = 1500;
    static final long PUBLISHER_TICK_MS = 10;
    static final long LISTENER_TICK_MS = 20;
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;
    private static final long CONNECT_TIMEOUT_SECONDS = 30;

    private final BotContext context;
    private final byte[] cname;
    private final String cnameText;
    private final int localSsrc = ThreadLocalRandom.current().nextInt() | 1;
    private final long appliedAtNanos;
    final byte[] sendBuffer = new byte[MAX_RTP_LENGTH + RtcTransport.SPARE_BYTES + 64];
    private final byte[] rtcpBuffer = new byte[MAX_RTP_LENGTH + RtcTransport.SPARE_BYTES];
    final RtpPacketWriter writer = new RtpPacketWriter();
    private final RtpPacket in = new RtpPacket();
    private final RtcpReader rtcp = new RtcpReader();
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<Void> firstMedia = new CompletableFuture<>();

    volatile RtcTransport transport;
    /** The latest negotiation; set on the loop. */
    Negotiated negotiated;
    boolean twoByteExtensions;
    /** Copy on write (rare): read by stats() from other threads. */
    private volatile SendStream[] senders = new SendStream[0];
    private ReceiveStream[] receivers = new ReceiveStream[4];
    /** The RTX SSRC of each receiver, 0 when not known. */
    private int[] rtxSsrcs = new int[4];
    private int receiverCount;
    private int lastIndex = -1;
    private TwccFeedbackGenerator twcc;
    private int transportSequence = ThreadLocalRandom.current().nextInt(1 << 15);
    private LoopTicker ticker;
    private final Runnable tickTask = this::tick;
    private long nextReportAt;
    private boolean closed;
    /** Test-only loss on loopback: discard every n-th incoming video media packet (not RTX); 0 = off. */
    private volatile int dropEveryNthVideo;
    private int videoPacketsIn;

    private volatile long iceNanos = -1;
    private volatile long dtlsNanos = -1;
    private volatile long firstMediaNanos = -1;
    private long connectedAtNanos = -1;

    long nacksSent;
    long plisSent;
    long twccFeedbacksSent;
    long droppedOnPurpose;
    long unknownPackets;
    long oversizePayloads;
    long latencySamples;

    MediaSession(BotContext context, String cname, long appliedAtNanos) {
        this.context = context;
        this.cnameText = cname;
        this.cname = cname.getBytes(StandardCharsets.US_ASCII);
        this.appliedAtNanos = appliedAtNanos;
    }

    /** Called once the transport exists: the connect timeout starts. */
    void start(RtcTransport t) {
        if (transport == null) {
            transport = t;
        }
        onLoop(() -> t.executor().schedule(this::connectTimedOut, CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    private void connectTimedOut() {
        if (!connected.isDone()) {
            fail(new PeerException(iceNanos < 0
                    ? "ICE did not connect within " + CONNECT_TIMEOUT_SECONDS + " s: no answer to our checks"
                    : "DTLS did not finish within " + CONNECT_TIMEOUT_SECONDS + " s"));
            transport.close();
        }
    }

    /** Applies a negotiation on the loop: new senders start, stopped sections stop, declared SSRCs are known. */
    void configure(Negotiated n) {
        onLoop(() -> {
            negotiated = n;
            twoByteExtensions = n.midId() > 14 || n.transportCcId() > 14 || n.absCaptureTimeId() > 14
                    || n.audioLevelId() > 14;
            for (Negotiated.Sender s : n.senders()) {
                boolean known = false;
                for (SendStream existing : senders) {
                    known |= existing.section == s.section();
                }
                if (!known) {
                    SendStream[] more = Arrays.copyOf(senders, senders.length + 1);
                    more[senders.length] = new SendStream(this, s, cnameText);
                    senders = more;
                }
            }
            for (SendStream s : senders) {
                if (!s.section.active) {
                    s.stop();
                }
            }
            for (Map.Entry<Integer, MediaKind> e : n.remoteSsrcs().entrySet()) {
                if (indexOf(e.getKey()) < 0) {
                    addReceiver(e.getKey(), e.getValue());
                }
            }
            for (Map.Entry<Integer, Integer> e : n.remoteRtx().entrySet()) {
                int i = indexOf(e.getValue());
                if (i >= 0) {
                    rtxSsrcs[i] = e.getKey();
                }
            }
        });
    }

    /** Sending stops at once (the answer to the re-offer comes later). */
    void stopSending() {
        onLoop(() -> {
            for (SendStream s : senders) {
                s.stop();
            }
        });
    }

    void dropEveryNthVideoPacket(int n) {
        dropEveryNthVideo = n;
    }

    // ---- transport callbacks, on the loop

    @Override
    public void onStateChange(RtcTransport t, TransportState state) {
        if (transport == null) {
            transport = t;
        }
        long now = System.nanoTime();
        switch (state) {
            case CONNECTING -> {
                if (iceNanos < 0) {
                    iceNanos = now - appliedAtNanos;
                }
            }
            case CONNECTED -> {
                if (connectedAtNanos < 0) {
                    connectedAtNanos = now;
                    if (iceNanos < 0) {
                        iceNanos = now - appliedAtNanos;
                    }
                    dtlsNanos = now - appliedAtNanos - iceNanos;
                    long period = senders.length == 0 ? LISTENER_TICK_MS : PUBLISHER_TICK_MS;
                    // spread the bots' reports over the second
                    nextReportAt = now + ThreadLocalRandom.current().nextLong(REPORT_INTERVAL_NANOS);
                    ticker = LoopTicker.add(t.executor(), period, tickTask);
                    connected.complete(null);
                }
            }
            case FAILED -> fail(new PeerException(iceNanos < 0
                    ? "ICE failed: no answer to our connectivity checks"
                    : connectedAtNanos < 0 ? "DTLS failed (handshake timeout or certificate fingerprint mismatch)"
                    : "the transport failed (consent lost)"));
            case CLOSED -> fail(new PeerException(connectedAtNanos < 0 ? "closed before it connected"
                    : "closed"));
            default -> { }
        }
    }

    @Override
    public void onRtp(RtcTransport t, byte[] buf, int off, int len) {
        long now = System.nanoTime();
        Negotiated n = negotiated;
        if (n == null || !in.wrap(buf, off, len)) {
            unknownPackets++;
            return;
        }
        int ssrc = in.ssrc();
        int pt = in.payloadType();
        int i = lastIndex >= 0 && receivers[lastIndex].ssrc == ssrc ? lastIndex : indexOf(ssrc);
        boolean rtx = false;
        if (i < 0) {
            i = rtxIndexOf(ssrc);
            rtx = i >= 0;
        }
        if (i < 0) {
            if (n.isRtx(pt)) {
                i = bindRtx(ssrc);
                rtx = i >= 0;
            } else if (n.kindOf(pt) != null && in.payloadLength() > 0) {
                i = addReceiver(ssrc, n.kindOf(pt));
            }
            if (i < 0) {
                unknownPackets++;
                return;
            }
        }
        ReceiveStream r = receivers[i];
        int payloadOffset = in.payloadOffset();
        int payloadLength = in.payloadLength();
        int seq = in.sequenceNumber();
        if (!rtx) {
            lastIndex = i;
            if (r.kind == MediaKind.VIDEO && dropEveryNthVideo > 0 && ++videoPacketsIn % dropEveryNthVideo == 0) {
                droppedOnPurpose++;
                return; // as if the network lost it
            }
        }
        recordTransportWideSequence(n, ssrc, now); // every arrival, padding and duplicates included
        if (rtx) {
            seq = RtxPacket.originalSequenceNumber(in);
            if (seq < 0) {
                return; // padding only (bandwidth probing)
            }
            payloadOffset += 2;
            payloadLength -= 2;
        } else if (payloadLength == 0) {
            return; // padding only
        }
        if (!r.onPacket(seq, in.timestamp(), len, buf, payloadOffset, payloadLength, rtx, now)) {
            return;
        }
        if (n.absCaptureTimeId() > 0 && in.findExtension(n.absCaptureTimeId()) && in.extensionValueLength() >= 8) {
            long ntp = readLong(buf, in.extensionValueOffset());
            long micros = (WallClock.epochNanos(now) - WallClock.epochNanosOfNtp(ntp)) / 1000;
            context.latencyMicros().accept(Math.max(0, micros));
            latencySamples++;
        }
        if (firstMediaNanos < 0) {
            onFirstMedia(now);
        }
    }

    private void recordTransportWideSequence(Negotiated n, int ssrc, long now) {
        int id = n.transportCcId();
        if (id <= 0 || !in.findExtension(id) || in.extensionValueLength() != 2) {
            return;
        }
        int at = in.extensionValueOffset();
        int seq = ((in.buffer()[at] & 0xFF) << 8) | (in.buffer()[at + 1] & 0xFF);
        if (twcc == null) {
            twcc = new TwccFeedbackGenerator(localSsrc); // ~150 KB: only for peers that send transport-cc
        }
        twcc.onPacket(seq, now, ssrc);
    }

    void onMediaSent() {
        if (firstMediaNanos < 0) {
            onFirstMedia(System.nanoTime());
        }
    }

    private void onFirstMedia(long now) {
        firstMediaNanos = connectedAtNanos < 0 ? 0 : now - connectedAtNanos;
        firstMedia.complete(null);
    }

    @Override
    public void onRtcp(RtcTransport t, byte[] buf, int off, int len) {
        if (!rtcp.reset(buf, off, len)) {
            return;
        }
        long now = System.nanoTime();
        for (RtcpType type = rtcp.next(); type != RtcpType.END; type = rtcp.next()) {
            switch (type) {
                case NACK -> {
                    SendStream s = sender(rtcp.nack().mediaSsrc());
                    if (s != null) {
                        s.onNack(rtcp.nack(), now);
                    }
                }
                case PLI -> {
                    SendStream s = sender(rtcp.pli().mediaSsrc());
                    if (s != null) {
                        s.onKeyframeRequest();
                    }
                }
                case FIR -> {
                    Fir fir = rtcp.fir();
                    for (int k = 0; k < fir.entryCount(); k++) {
                        SendStream s = sender(fir.entrySsrc(k));
                        if (s != null) {
                            s.onKeyframeRequest();
                        }
                    }
                }
                case SR -> {
                    int i = indexOf(rtcp.senderReport().senderSsrc());
                    if (i >= 0) {
                        receivers[i].onSenderReport(rtcp.senderReport().ntpTimestamp(), now);
                    }
                }
                default -> { } // RR, REMB, transport-cc, SDES, BYE: nothing a bot acts on
            }
        }
    }

    // ---- the timer

    private void tick() {
        RtcTransport t = transport;
        if (closed || t == null || t.state() != TransportState.CONNECTED) {
            return;
        }
        long now = System.nanoTime();
        for (SendStream s : senders) {
            s.pump(now);
        }
        byte[] b = rtcpBuffer;
        for (int k = 0; k < receiverCount; k++) {
            ReceiveStream r = receivers[k];
            int len = r.pollNack(now, b, 0, localSsrc);
            if (len > 0 && t.sendRtcp(b, 0, len)) {
                nacksSent++;
            }
            if (r.keyframeRequestDue(now)) {
                len = Pli.write(b, 0, localSsrc, r.ssrc);
                if (len > 0 && t.sendRtcp(b, 0, len)) {
                    plisSent++;
                }
            }
        }
        if (twcc != null) {
            int len = twcc.poll(now, b, 0);
            if (len > 0 && t.sendRtcp(b, 0, len)) {
                twccFeedbacksSent++;
            }
        }
        if (now >= nextReportAt) {
            nextReportAt += REPORT_INTERVAL_NANOS;
            if (nextReportAt < now) {
                nextReportAt = now + REPORT_INTERVAL_NANOS;
            }
            sendReports(t, now);
        }
        t.flush();
    }

    private void sendReports(RtcTransport t, long now) {
        byte[] b = rtcpBuffer;
        for (SendStream s : senders) {
            int len = s.writeSenderReport(b, 0, now);
            if (len > 0) {
                t.sendRtcp(b, 0, len);
            }
        }
        if (receiverCount > 0) {
            int len = ReceiverReport.write(b, 0, localSsrc);
            for (int k = 0; k < receiverCount && k < 31; k++) {
                int l = receivers[k].writeReportBlock(b, 0, now);
                if (l > 0) {
                    len = l;
                }
            }
            int sdes = Sdes.writeCname(b, len, localSsrc, cname);
            t.sendRtcp(b, 0, sdes > 0 ? len + sdes : len);
        }
    }

    // ---- streams

    private int indexOf(int ssrc) {
        for (int k = 0; k < receiverCount; k++) {
            if (receivers[k].ssrc == ssrc) {
                return k;
            }
        }
        return -1;
    }

    private int rtxIndexOf(int ssrc) {
        for (int k = 0; k < receiverCount; k++) {
            if (rtxSsrcs[k] == ssrc) {
                return k;
            }
        }
        return -1;
    }

    /** An RTX SSRC nobody declared: it repairs the one video stream without a known RTX SSRC, if there is one. */
    private int bindRtx(int ssrc) {
        int found = -1;
        for (int k = 0; k < receiverCount; k++) {
            if (receivers[k].kind == MediaKind.VIDEO && rtxSsrcs[k] == 0) {
                if (found >= 0) {
                    return -1; // ambiguous
                }
                found = k;
            }
        }
        if (found >= 0) {
            rtxSsrcs[found] = ssrc;
        }
        return found;
    }

    private int addReceiver(int ssrc, MediaKind kind) {
        if (receiverCount == receivers.length) {
            receivers = Arrays.copyOf(receivers, receiverCount * 2);
            rtxSsrcs = Arrays.copyOf(rtxSsrcs, receiverCount * 2);
        }
        Negotiated n = negotiated;
        boolean video = kind == MediaKind.VIDEO;
        receivers[receiverCount] = new ReceiveStream(ssrc, kind, video && n.nack(), video && n.pli());
        return receiverCount++;
    }

    private SendStream sender(int ssrc) {
        for (SendStream s : senders) {
            if (s.ownsSsrc(ssrc)) {
                return s;
            }
        }
        return null;
    }

    int nextTransportSequence() {
        int s = transportSequence;
        transportSequence = (s + 1) & 0xFFFF;
        return s;
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (b[at + k] & 0xFF);
        }
        return v;
    }

    // ---- lifecycle and stats

    private void fail(PeerException reason) {
        connected.completeExceptionally(reason);
        firstMedia.completeExceptionally(reason);
        stopTicking();
    }

    /** On the loop. */
    private void stopTicking() {
        if (ticker != null) {
            ticker.remove(tickTask);
            ticker = null;
        }
    }

    void close() {
        RtcTransport t = transport;
        if (t == null) {
            return;
        }
        onLoop(() -> {
            closed = true;
            stopTicking();
        });
        t.close();
    }

    private void onLoop(Runnable task) {
        RtcTransport t = transport;
        try {
            if (t.endpoint().executor().inEventLoop()) {
                task.run();
            } else {
                t.executor().execute(task);
            }
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            // the loops are gone: nothing left to run
        }
    }

    PeerStats stats() {
        return stats(null);
    }

    /**
     * The receive figures of the streams of {@code kind} only (all when null); the feedback, send, auth and join
     * figures are the whole peer's.
     */
    PeerStats stats(MediaKind kind) {
        long packets = 0;
        long bytes = 0;
        long expected = 0;
        long lost = 0;
        long rtx = 0;
        long jitter = 0;
        ReceiveStream[] rs = receivers;
        int count = Math.min(receiverCount, rs.length);
        for (int k = 0; k < count; k++) {
            ReceiveStream r = rs[k];
            if (r == null || (kind != null && r.kind != kind)) {
                continue;
            }
            packets += r.packets;
            bytes += r.bytes;
            expected += r.expected();
            lost += r.lost();
            rtx += r.rtxRepaired;
            jitter = Math.max(jitter, r.jitterMicros());
        }
        long sent = 0;
        long sentBytes = 0;
        for (SendStream s : senders) {
            sent += s.packetsSent;
            sentBytes += s.bytesSent;
        }
        RtcTransport t = transport;
        long authFailures = 0;
        if (t != null) {
            authFailures = t.stats().srtpDrops().getOrDefault(SrtpDrop.AUTH_FAILED, 0L);
        }
        return new PeerStats(packets, bytes, expected, lost, rtx, nacksSent, plisSent, authFailures, jitter, sent,
                sentBytes, iceNanos, dtlsNanos, firstMediaNanos);
    }

    /** Packets discarded by the test-only loss hook. */
    long droppedOnPurpose() {
        return droppedOnPurpose;
    }

    /** Remote streams that delivered at least one packet. */
    int receivingStreams() {
        int n = 0;
        ReceiveStream[] rs = receivers;
        for (int k = 0; k < Math.min(receiverCount, rs.length); k++) {
            if (rs[k] != null && rs[k].packets > 0) {
                n++;
            }
        }
        return n;
    }

    /** Unique packets received on the streams of one kind. */
    long receivedPackets(MediaKind kind) {
        long n = 0;
        ReceiveStream[] rs = receivers;
        for (int k = 0; k < Math.min(receiverCount, rs.length); k++) {
            if (rs[k] != null && rs[k].kind == kind) {
                n += rs[k].packets;
            }
        }
        return n;
    }

    long latencySamples() {
        return latencySamples;
    }

    /** Retransmissions our send streams made in answer to NACKs. */
    long retransmissionsSent() {
        long n = 0;
        for (SendStream s : senders) {
            n += s.retransmissions;
        }
        return n;
    }

    long keyframeRequestsReceived() {
        long n = 0;
        for (SendStream s : senders) {
            n += s.keyframeRequestsReceived;
        }
        return n;
    }
}
