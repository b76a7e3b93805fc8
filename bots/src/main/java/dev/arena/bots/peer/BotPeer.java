package dev.arena.bots.peer;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaSource;
import dev.arena.rtc.dtls.DtlsRole;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.Rtpmap;
import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.RemoteParameters;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.SdpParameters;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One bot's media connection: the {@link SdpPeer} a target drives, and on the first answer an {@link RtcTransport}
 * in the client role (ICE controlling, DTLS, SRTP) on the shared loops of its {@link BotContext}, with the
 * {@link MediaSession} that sends and receives like a browser on that transport's loop.
 *
 * <p>The offer is one BUNDLE of sections in the order the plan lists them (receive-only audio, receive-only video,
 * then sending audio and video), with mids 0..n-1; re-offers keep every earlier section in order with the same ICE
 * credentials and fingerprint, and append new ones.
 */
public final class BotPeer implements SdpPeer, AutoCloseable {
    private final BotContext context;
    private final PeerPlan plan;
    private final IceCredentials ice = IceCredentials.random();
    private final String sessionId = Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    private final String cname = randomToken(16);
    private final String streamId = randomToken(12);
    private final List<LocalSection> sections = new ArrayList<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> firstMedia = new CompletableFuture<>();
    private long version;
    private volatile MediaSession session;
    private volatile boolean closed;
    private int pendingDropEveryNth;

    public BotPeer(BotContext context, PeerPlan plan) {
        this.context = Objects.requireNonNull(context, "context");
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    @Override
    public synchronized String createOffer() {
        if (sections.isEmpty()) {
            for (int i = 0; i < plan.audioRecv(); i++) {
                addReceiving(MediaKind.AUDIO);
            }
            for (int i = 0; i < plan.videoRecv(); i++) {
                addReceiving(MediaKind.VIDEO);
            }
            addSending(plan.audioSend(), MediaKind.AUDIO);
            addSending(plan.videoSend(), MediaKind.VIDEO);
            if (sections.isEmpty()) {
                throw new IllegalStateException("the plan has no section: nothing to offer");
            }
        }
        return offer();
    }

    @Override
    public synchronized String offerMoreReceivers(int audio, int video) {
        requireOffered();
        for (int i = 0; i < audio; i++) {
            addReceiving(MediaKind.AUDIO);
        }
        for (int i = 0; i < video; i++) {
            addReceiving(MediaKind.VIDEO);
        }
        return offer();
    }

    @Override
    public synchronized String offerToPublish(MediaSource audio, MediaSource video) {
        requireOffered();
        addSending(audio, MediaKind.AUDIO);
        addSending(video, MediaKind.VIDEO);
        return offer();
    }

    @Override
    public synchronized String offerToStopPublishing() {
        requireOffered();
        for (LocalSection s : sections) {
            if (s.sends()) {
                s.active = false;
            }
        }
        MediaSession m = session;
        if (m != null) {
            m.stopSending();
        }
        return offer();
    }

    @Override
    public synchronized void applyAnswer(String answerSdp) throws PeerException {
        if (closed) {
            throw new PeerException("the peer is closed");
        }
        if (sections.isEmpty()) {
            throw new PeerException("no offer was made: nothing to apply an answer to");
        }
        SessionDescription answer = parse(answerSdp, "answer");
        Negotiated negotiated = Negotiated.read(answer, sections);
        if (session == null) {
            RemoteParameters remote;
            try {
                remote = SdpParameters.fromAnswer(answer);
            } catch (IllegalArgumentException e) {
                throw new PeerException("the answer cannot start a transport: " + e.getMessage(), e);
            }
            connect(remote, negotiated);
        } else {
            session.configure(negotiated);
        }
    }

    @Override
    public synchronized String answerOffer(String offerSdp) throws PeerException {
        if (closed) {
            throw new PeerException("the peer is closed");
        }
        SessionDescription offer = parse(offerSdp, "offer");
        if (offer.media().size() < sections.size()) {
            throw new PeerException("the offer has " + offer.media().size() + " media sections, fewer than the "
                    + sections.size() + " already negotiated");
        }
        for (int i = sections.size(); i < offer.media().size(); i++) {
            sections.add(answeringSection(offer.media().get(i), i));
        }
        if (sections.stream().allMatch(s -> s.rejected)) {
            throw new PeerException("the offer has no section we can receive (opus or VP8, sent to us)");
        }
        Negotiated negotiated = Negotiated.read(offer, sections);
        version++;
        String answer = BotSdp.answer(offer, sessionId, version, ice, context.certificate(), sections);
        if (session == null) {
            RemoteParameters offered;
            try {
                offered = SdpParameters.fromOffer(offer);
            } catch (IllegalArgumentException e) {
                throw new PeerException("the offer cannot start a transport: " + e.getMessage(), e);
            }
            // we answer a=setup:active, so we are the DTLS client whatever the offer proposed (actpass)
            RemoteParameters remote = new RemoteParameters(offered.ice(), offered.fingerprintAlgorithm(),
                    offered.fingerprintValue(), DtlsRole.CLIENT, offered.candidates());
            connect(remote, negotiated);
        } else {
            session.configure(negotiated);
        }
        return answer;
    }

    /** A section answering a remote one: receive-only Opus or VP8 (with rtx if offered), else rejected. */
    private LocalSection answeringSection(MediaDescription m, int index) {
        String mid = m.mid() != null ? m.mid() : Integer.toString(index);
        MediaKind kind = "audio".equals(m.media()) ? MediaKind.AUDIO : "video".equals(m.media()) ? MediaKind.VIDEO
                : null;
        LocalSection s = LocalSection.receiving(mid, kind == null ? MediaKind.AUDIO : kind);
        if (kind == null || m.isRejected() || !m.direction().sends()) {
            s.rejected = true;
            return s;
        }
        try {
            for (Rtpmap r : m.rtpmaps()) {
                if (s.offeredCodecPt < 0 && r.encoding().equalsIgnoreCase(kind == MediaKind.AUDIO ? "opus" : "VP8")) {
                    s.offeredCodecPt = r.payloadType();
                }
            }
            if (s.offeredCodecPt >= 0 && kind == MediaKind.VIDEO) {
                for (var f : m.fmtps()) {
                    Rtpmap r = m.rtpmap(f.payloadType());
                    if (r != null && r.isRtx() && f.apt() == s.offeredCodecPt) {
                        s.offeredRtxPt = f.payloadType();
                    }
                }
            }
        } catch (IllegalArgumentException malformed) {
            s.rejected = true;
        }
        s.rejected |= s.offeredCodecPt < 0;
        return s;
    }

    private void connect(RemoteParameters remote, Negotiated negotiated) throws PeerException {
        if (remote.candidates().isEmpty()) {
            throw new PeerException("the remote description has no usable candidate (UDP, component 1, a literal"
                    + " address): nowhere to send our checks");
        }
        MediaSession m = new MediaSession(context, cname, System.nanoTime());
        m.dropEveryNthVideoPacket(pendingDropEveryNth);
        m.connected.whenComplete((v, e) -> complete(connected, e));
        m.firstMedia.whenComplete((v, e) -> complete(firstMedia, e));
        RtcTransport t = RtcTransport.connect(context.loops(), new InetSocketAddress(context.bindAddress(), 0), ice,
                remote, context.certificate(), m, RtcTransport.DEFAULT_HANDSHAKE_TIMEOUT);
        session = m;
        m.start(t);
        m.configure(negotiated);
    }

    private static void complete(CompletableFuture<Void> f, Throwable e) {
        if (e == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(e);
        }
    }

    /** Completes when DTLS is done (SRTP keys); fails with a {@link PeerException} saying why ICE or DTLS did not. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** Completes at the first RTP packet received (or, for a publisher, sent). */
    public CompletableFuture<Void> firstMedia() {
        return firstMedia;
    }

    /** A snapshot of the counters; from any thread (figures written on the loop may lag by a few packets). */
    public PeerStats stats() {
        MediaSession m = session;
        if (m == null) {
            return new PeerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1);
        }
        return m.stats();
    }

    /**
     * Like {@link #stats()}, but the receive figures (packets, bytes, expected, lost, rtx, jitter) of the streams of
     * one kind only: video loss after retransmission apart from audio, which is not retransmitted. NACKs, PLIs,
     * auth failures, send and join figures stay the whole peer's.
     */
    public PeerStats stats(MediaKind kind) {
        MediaSession m = session;
        if (m == null) {
            return new PeerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1);
        }
        return m.stats(Objects.requireNonNull(kind, "kind"));
    }

    /**
     * PLIs and FIRs the remote sent about what we publish. Counted only: a file source cannot make a keyframe on
     * demand (its keyframes come on its own schedule).
     */
    public long keyframeRequestsReceived() {
        MediaSession m = session;
        return m == null ? 0 : m.keyframeRequestsReceived();
    }

    /** Packets we sent again in answer to NACKs (RTX, or plain resends when the answer refused RTX). */
    public long retransmissionsSent() {
        MediaSession m = session;
        return m == null ? 0 : m.retransmissionsSent();
    }

    /** Stops the timers and closes the transport; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        MediaSession m = session;
        if (m != null) {
            m.close();
        }
        PeerException reason = new PeerException("closed");
        connected.completeExceptionally(reason);
        firstMedia.completeExceptionally(reason);
    }

    /**
     * Test-only: discards every {@code n}-th incoming video media packet (RTX excluded) before the receive path, as
     * if the network lost it; 0 turns it off. The only way to make loss on loopback without nftables.
     */
    synchronized void dropEveryNthVideoPacket(int n) {
        pendingDropEveryNth = n;
        MediaSession m = session;
        if (m != null) {
            m.dropEveryNthVideoPacket(n);
        }
    }

    /** The transport, null before the first answer (tests check that a bad answer binds nothing). */
    RtcTransport transport() {
        MediaSession m = session;
        return m == null ? null : m.transport;
    }

    MediaSession session() {
        return session;
    }

    // ---- sections and offers

    private void addReceiving(MediaKind kind) {
        sections.add(LocalSection.receiving(Integer.toString(sections.size()), kind));
    }

    private void addSending(MediaSource source, MediaKind kind) {
        if (source == null) {
            return;
        }
        if (source.kind() != kind) {
            throw new IllegalArgumentException("a " + source.kind() + " source given as " + kind);
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int ssrc = r.nextInt() | 1;
        int rtxSsrc = kind == MediaKind.VIDEO ? r.nextInt() | 1 : 0;
        if (rtxSsrc == ssrc) {
            rtxSsrc ^= 2;
        }
        sections.add(new LocalSection(Integer.toString(sections.size()), kind, source, ssrc, rtxSsrc, streamId,
                randomToken(12)));
    }

    private void requireOffered() {
        if (sections.isEmpty()) {
            throw new IllegalStateException("createOffer() first");
        }
    }

    private String offer() {
        version++;
        return BotSdp.offer(sessionId, version, ice, context.certificate(), cname, sections);
    }

    private static SessionDescription parse(String sdp, String what) throws PeerException {
        if (sdp == null || sdp.isBlank()) {
            throw new PeerException("the " + what + " is empty");
        }
        try {
            return SessionDescription.parse(sdp);
        } catch (SdpParseException e) {
            throw new PeerException("the " + what + " does not parse: " + e.getMessage(), e);
        }
    }

    private static String randomToken(int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = chars.charAt(r.nextInt(chars.length()));
        }
        return new String(c);
    }
}
