package dev.arena.sfu.room;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Fingerprint;
import dev.arena.rtc.sdp.Origin;
import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.RemoteParameters;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.SdpParameters;
import dev.arena.rtc.transport.TransportListener;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.rtc.transport.TransportState;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Room} on a {@link TransportServer}, driven by SDP offers (the client always offers, we answer as ICE-lite):
 * {@link #negotiate} answers a participant's first offer (creating it and its transport) and every re-offer on the
 * same transport (new sections, sections that stop sending, ICE restarts), and the stage controls
 * ({@link #unpublishAll}, {@link #setMuted}, {@link #leave}) act on the room's home loop: one of the server's
 * event loops, given to the room here ({@link TransportServer#nextLoop()}). Every method may be called from any
 * thread (not from the home loop itself) and blocks until the home loop has done the work. The participants'
 * transports are on whichever loops their peers' datagrams reach; see {@link Room} for what runs where.
 *
 * <p>Room events reach the {@link RoomListener} given to the room (or to the constructor that makes one) on the
 * room's home loop, which is also a media loop: a listener must not block (hand work to another thread). A
 * participant whose transport fails or closes, or stays not connected longer than {@link #unconnectedTimeout}, leaves
 * the room and is reported through {@link RoomListener#onParticipantLeft}.
 */
public final class RoomGateway implements AutoCloseable {
    static final long TIMER_INTERVAL_MS = 20;
    static final long HEALTH_CHECK_INTERVAL_MS = 1000;
    /** How long a transport may be not connected (never yet, or disconnected: consent lost) before its participant leaves. */
    public static final java.time.Duration DEFAULT_UNCONNECTED_TIMEOUT = java.time.Duration.ofSeconds(30);

    /** The answer to an offer and what each of its audio/video sections carries, in m-line order. */
    public record Negotiated(String answerSdp, List<Section> sections) {
        public Negotiated {
            Objects.requireNonNull(answerSdp);
            sections = List.copyOf(sections);
        }
    }

    /** What an offered section carries: the participant's own track, a track of another participant, or nothing. */
    public enum SectionRole { SEND, RECV, INACTIVE }

    /**
     * One audio/video section of an answered offer (rejected ones included, as INACTIVE). A sendrecv section that
     * both publishes and receives (WHIP-style peers) is reported as SEND.
     *
     * @param trackId     the track it carries, null when inactive
     * @param publisherId the publisher of the track received on it (RECV), else null
     * @param kind        "audio" or "video"
     */
    public record Section(String mid, SectionRole role, String trackId, String publisherId, String kind) {
        public Section {
            Objects.requireNonNull(mid);
            Objects.requireNonNull(role);
            Objects.requireNonNull(kind);
        }
    }

    /**
     * How many receive sections of each kind a participant's next offer needs beyond those it has free so that
     * every track of the others reaches it; {@code remap}: a re-offer would change the mapping (a section's track
     * went away, or a free section could take a waiting track).
     */
    public record Needed(int audio, int video, boolean remap) {}

    private final TransportServer server;
    private final InetSocketAddress announced;
    private final DtlsCertificate certificate;
    private final Fingerprint fingerprint;
    private final Room room;
    private final SecureRandom random = new SecureRandom();
    /** Negotiation state per participant; written on the loop only. */
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    /** The room's home loop. */
    private final ScheduledExecutorService loop;
    private final ScheduledFuture<?> timer;
    private final ScheduledFuture<?> healthTimer;
    private volatile long unconnectedTimeoutNanos = DEFAULT_UNCONNECTED_TIMEOUT.toNanos();

    public RoomGateway(TransportServer server, InetSocketAddress announced, DtlsCertificate certificate, Room room) {
        this.server = Objects.requireNonNull(server);
        this.announced = Objects.requireNonNull(announced);
        this.certificate = Objects.requireNonNull(certificate);
        this.fingerprint = new Fingerprint(certificate.fingerprintAlgorithm(), certificate.fingerprintValue());
        this.room = Objects.requireNonNull(room);
        this.loop = server.nextLoop();
        room.home(loop);
        this.timer = loop.scheduleAtFixedRate(room::onTimer, TIMER_INTERVAL_MS, TIMER_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        this.healthTimer = loop.scheduleAtFixedRate(this::checkTransports, HEALTH_CHECK_INTERVAL_MS,
                HEALTH_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** A new room {@code roomId} with the full feedback loop ({@link FeedbackWiring}), reporting to {@code listener}. */
    public RoomGateway(TransportServer server, InetSocketAddress announced, DtlsCertificate certificate, String roomId,
                       RoomListener listener) {
        this(server, announced, certificate, roomId, listener, new FeedbackWiring());
    }

    /** A new room {@code roomId} with the given feedback pieces, reporting to {@code listener}. */
    public RoomGateway(TransportServer server, InetSocketAddress announced, DtlsCertificate certificate, String roomId,
                       RoomListener listener, FeedbackFactory feedback) {
        this(server, announced, certificate, new Room(roomId, System::nanoTime, listener, feedback));
    }

    public Room room() {
        return room;
    }

    /**
     * How long a participant's transport may stay not connected (before it first connects, or DISCONNECTED after
     * ICE consent was lost, RFC 7675) before the participant leaves (reported through
     * {@link RoomListener#onParticipantLeft}). A failed or closed transport leaves at once.
     */
    public void unconnectedTimeout(java.time.Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        unconnectedTimeoutNanos = timeout.toNanos();
    }

    /**
     * Answers a participant's offer the WHIP/WHEP way: a new participant with its own transport, publishing what it
     * sends if {@code publish} (else its sending sections are ignored), receiving every track of the other
     * participants that its offer has room for.
     *
     * @throws SdpParseException        a malformed offer
     * @throws IllegalArgumentException an offer we cannot answer, or a participant already in the room
     */
    public String join(String participantId, String offerSdp, boolean publish) throws SdpParseException {
        try {
            return negotiate(participantId, offerSdp, publish ? Integer.MAX_VALUE : 0, true, false, false).answerSdp();
        } catch (NegotiationException e) {
            if (e.getCause() instanceof SdpParseException p) {
                throw p;
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * First offer or re-offer of a participant; the first call creates it and its transport. Blocks until applied on
     * the room's home loop. Atomic: on error nothing changed.
     *
     * <p>A re-offer keeps the transport: new ICE credentials restart ICE (our answer has new ones; DTLS, tracks and
     * subscriptions stay), a new DTLS fingerprint is refused. Sections keep their mapping; a new sending section
     * publishes a track, a section that stopped sending unpublishes its track; a receiving section whose track went
     * away is answered inactive and, like a new one, takes a track of the others not delivered yet. New
     * subscriptions of a connected participant get a keyframe requested.
     *
     * @param maxPublishedTracks how many tracks the participant may publish; 0 refuses an offer that sends media
     * @throws NegotiationException BAD_SDP, NO_COMMON_CODEC, PUBLISH_NOT_ALLOWED or TOO_MANY_TRACKS
     */
    public Negotiated negotiate(String participantId, String offerSdp, int maxPublishedTracks)
            throws NegotiationException {
        return negotiate(participantId, offerSdp, maxPublishedTracks, true);
    }

    /**
     * As {@link #negotiate(String, String, int)}; with {@code subscribe} false no new track is delivered (receiving
     * sections answered inactive), for a participant whose token does not grant subscribe.
     */
    public Negotiated negotiate(String participantId, String offerSdp, int maxPublishedTracks, boolean subscribe)
            throws NegotiationException {
        return negotiate(participantId, offerSdp, maxPublishedTracks, subscribe, true, true);
    }

    private Negotiated negotiate(String participantId, String offerSdp, int maxPublished, boolean subscribe,
                                 boolean strict, boolean reoffer) throws NegotiationException {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(offerSdp, "offerSdp");
        if (participantId.isEmpty()) {
            throw new IllegalArgumentException("empty participant id");
        }
        if (maxPublished < 0) {
            throw new IllegalArgumentException("maxPublishedTracks < 0: " + maxPublished);
        }
        SessionDescription offer;
        RemoteParameters remote;
        try {
            offer = SessionDescription.parse(offerSdp);
        } catch (SdpParseException e) {
            throw new NegotiationException(NegotiationException.Code.BAD_SDP, "the offer does not parse: "
                    + e.getMessage(), e);
        }
        try {
            remote = SdpParameters.fromOffer(offer);
        } catch (IllegalArgumentException e) {
            throw new NegotiationException(NegotiationException.Code.BAD_SDP, e.getMessage(), e);
        }
        try {
            return loop.submit(() -> apply(participantId, offer, remote, maxPublished, subscribe, strict, reoffer))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while negotiating " + participantId, e);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("room " + room.id() + " is closed", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case NegotiationException n -> throw new NegotiationException(n.code(), n.getMessage(), n);
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** On the loop: plan (pure, may refuse), then change the room. */
    private Negotiated apply(String participantId, SessionDescription offer, RemoteParameters remote,
                             int maxPublished, boolean subscribe, boolean strict, boolean reoffer)
            throws NegotiationException {
        Peer peer = livePeer(participantId);
        if (peer == null ? room.participant(participantId) != null : !reoffer) {
            throw new IllegalArgumentException("participant " + participantId + " is already in room " + room.id());
        }
        IceCredentials local;
        boolean restart = false;
        if (peer == null) {
            local = IceCredentials.random();
        } else {
            if (!peer.fingerprintAlgorithm.equalsIgnoreCase(remote.fingerprintAlgorithm())
                    || !peer.fingerprintValue.equalsIgnoreCase(remote.fingerprintValue())) {
                throw new NegotiationException(NegotiationException.Code.BAD_SDP, "the re-offer has another DTLS"
                        + " fingerprint: a new DTLS association needs a new participant");
            }
            if (remote.localDtlsRole() != peer.dtlsRole) {
                throw new NegotiationException(NegotiationException.Code.BAD_SDP, "the re-offer's a=setup changes the"
                        + " DTLS roles of the association (RFC 8842 section 5.5)");
            }
            restart = !remote.ice().equals(peer.remote);
            local = restart ? IceCredentials.random() : peer.local;
        }
        AnswerOptions.Builder options = AnswerOptions.builder(local.ufrag(), local.pwd(), fingerprint)
                .hostCandidates(List.of(announced));
        List<Track> others = new ArrayList<>();
        for (Track t : room.tracks()) {
            if (subscribe && !t.publisher().id().equals(participantId)) {
                others.add(t);
            }
        }
        RoomSdp.Current current = peer == null ? RoomSdp.Current.NONE : RoomSdp.Current.of(peer.participant);
        RoomSdp.Negotiation n = RoomSdp.negotiate(offer, options, maxPublished, strict, current, others,
                random::nextInt);

        // Accepted: from here on only a failure of ours (a bug) can throw.
        Participant p;
        if (peer == null) {
            Link link = new Link();
            RtcTransport transport = server.createTransport(local, remote, certificate, link);
            try {
                p = room.join(participantId);
            } catch (RuntimeException e) {
                transport.close();
                throw e;
            }
            p.attach(transport);
            link.participant = p;
            peer = new Peer(p, transport, local, remote);
            peers.put(participantId, peer);
        } else {
            p = peer.participant;
            // RFC 3264 section 8: a new answer of the same session keeps o= and increments its version
            Origin o = peer.origin;
            n.answer().setOrigin(new Origin(o.username(), o.sessionId(),
                    Long.toString(Long.parseLong(o.sessionVersion()) + 1), o.netType(), o.addrType(), o.address()));
            if (restart) {
                peer.transport.restartIce(local, remote.ice());
                peer.local = local;
                peer.remote = remote.ice();
            }
        }
        try {
            for (Subscription s : n.unsubscribed()) {
                room.unsubscribe(s);
            }
            for (Track t : n.unpublished()) {
                room.unpublish(t);
            }
            for (TrackSpec spec : n.published()) {
                room.publish(p, spec);
            }
            for (RoomSdp.Delivery d : n.deliveries()) {
                room.subscribe(d.track(), p, d.spec());
            }
        } catch (RuntimeException e) {
            if (current == RoomSdp.Current.NONE) {
                room.leave(p); // a half-made new participant goes (with its transport)
            }
            throw e;
        }
        List<Section> sections = new ArrayList<>();
        List<SectionState> states = new ArrayList<>();
        for (RoomSdp.SectionOutcome o : n.sections()) {
            String kind = o.kind() == MediaKind.AUDIO ? "audio" : "video";
            Track own = o.sends() ? p.trackByMid(o.mid()) : null;
            Track in = o.delivered();
            if (own != null) {
                sections.add(new Section(o.mid(), SectionRole.SEND, own.id(), null, kind));
            } else if (in != null) {
                sections.add(new Section(o.mid(), SectionRole.RECV, in.id(), in.publisher().id(), kind));
            } else {
                sections.add(new Section(o.mid(), SectionRole.INACTIVE, null, null, kind));
            }
            states.add(new SectionState(o.mid(), o.kind(), o.receives(), in != null));
        }
        peer.sections = List.copyOf(states);
        peer.origin = n.answer().origin();
        return new Negotiated(n.answer().toString(), sections);
    }

    /**
     * How many more receive sections of each kind this participant's next offer needs so that every track of the
     * others reaches it. A participant that has not offered yet (not in the room) needs one per track in the room.
     */
    public Needed receiveSectionsNeeded(String participantId) {
        Objects.requireNonNull(participantId, "participantId");
        return call(() -> {
            Peer peer = livePeer(participantId);
            Participant p = peer == null ? null : peer.participant;
            Map<String, Subscription> byMid = new HashMap<>();
            Set<Track> delivered = new HashSet<>();
            if (p != null) {
                for (Subscription s : p.subscriptionArray()) {
                    if (!s.isClosed() && !s.track().isClosed()) {
                        byMid.put(s.spec().mid(), s);
                        delivered.add(s.track());
                    }
                }
            }
            int[] free = new int[MediaKind.values().length];
            int[] waiting = new int[free.length];
            boolean remap = false;
            for (SectionState st : peer == null ? List.<SectionState>of() : peer.sections) {
                if (st.receives() && byMid.get(st.mid()) == null) {
                    free[st.kind().ordinal()]++;
                    remap |= st.delivered(); // its track went away
                }
            }
            for (Track t : room.tracks()) {
                if (!t.publisher().id().equals(participantId) && !delivered.contains(t)) {
                    waiting[t.kind().ordinal()]++;
                }
            }
            for (int k = 0; k < free.length; k++) {
                remap |= free[k] > 0 && waiting[k] > 0;
            }
            int a = MediaKind.AUDIO.ordinal();
            int v = MediaKind.VIDEO.ordinal();
            return new Needed(Math.max(0, waiting[a] - free[a]), Math.max(0, waiting[v] - free[v]), remap);
        });
    }

    /**
     * Unpublishes every track of a participant (demotion to the audience): forwarding of its tracks stops before this
     * returns; its subscribers' sections go inactive at their next offer. No-op for an unknown participant.
     */
    public void unpublishAll(String participantId) {
        Objects.requireNonNull(participantId, "participantId");
        call(() -> {
            Participant p = room.participant(participantId);
            if (p != null) {
                for (Track t : p.trackArray()) {
                    room.unpublish(t);
                }
            }
            return null;
        });
    }

    /**
     * Mutes or unmutes a track: a muted track is not forwarded (not counted as a drop); unmuting resumes the
     * numbering without a gap and asks the publisher for a keyframe.
     *
     * @throws IllegalArgumentException no such track in the room
     */
    public void setMuted(String trackId, boolean muted) {
        Objects.requireNonNull(trackId, "trackId");
        call(() -> {
            Track t = room.track(trackId);
            if (t == null) {
                throw new IllegalArgumentException("no track " + trackId + " in room " + room.id());
            }
            room.setMuted(t, muted);
            return null;
        });
    }

    /** The participant leaves: its tracks, subscriptions and transport close. No-op for an unknown participant. */
    public void leave(String participantId) {
        Objects.requireNonNull(participantId, "participantId");
        call(() -> {
            Participant p = room.participant(participantId);
            if (p != null) {
                room.leave(p);
            }
            peers.remove(participantId);
            return null;
        });
    }

    /** Whether the participant is in the room (it leaves when its transport fails or closes). */
    public boolean contains(String participantId) {
        Objects.requireNonNull(participantId, "participantId");
        return call(() -> room.participant(participantId) != null);
    }

    /** The peer of a participant still in the room, else null (a stale one is dropped). On the loop. */
    private Peer livePeer(String participantId) {
        Peer peer = peers.get(participantId);
        if (peer != null && (peer.participant.isClosed() || room.participant(participantId) != peer.participant)) {
            peers.remove(participantId, peer);
            return null;
        }
        return peer;
    }

    /** Runs {@code task} on the room's home loop and waits for it (for stats and tests). */
    public <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get();
    }

    /** {@link #onLoop} for the control methods: their runtime exceptions come back as they were thrown. */
    private <T> T call(Callable<T> task) {
        try {
            return onLoop(task);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("room " + room.id() + " is closed", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** On the loop: participants whose transport stayed not connected too long leave. */
    private void checkTransports() {
        long now = System.nanoTime();
        for (Peer peer : peers.values()) {
            if (livePeer(peer.participant.id()) != peer) {
                continue;
            }
            if (peer.transport.state() == TransportState.CONNECTED) {
                peer.unconnectedSince = 0;
            } else if (peer.unconnectedSince == 0) {
                peer.unconnectedSince = now;
            } else if (now - peer.unconnectedSince >= unconnectedTimeoutNanos) {
                peers.remove(peer.participant.id(), peer);
                room.leave(peer.participant);
            }
        }
    }

    /** Closes the room (and every transport of it) on its home loop. */
    @Override
    public void close() {
        timer.cancel(false);
        healthTimer.cancel(false);
        try {
            loop.submit(() -> {
                room.close();
                peers.clear();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RejectedExecutionException e) {
            // the loop is gone: so are the transports
        }
    }

    /** What the last answer gave a section: its kind, whether it can carry a track to the participant, and did. */
    private record SectionState(String mid, MediaKind kind, boolean receives, boolean delivered) {}

    /** A participant's negotiation state, on the loop. */
    private static final class Peer {
        final Participant participant;
        final RtcTransport transport;
        final String fingerprintAlgorithm;
        final String fingerprintValue;
        final dev.arena.rtc.dtls.DtlsRole dtlsRole;
        IceCredentials local;
        IceCredentials remote;
        List<SectionState> sections = List.of();
        /** The o= line of our last answer. */
        Origin origin;
        /** System.nanoTime() since the transport is not connected, 0 while connected. */
        long unconnectedSince;

        Peer(Participant participant, RtcTransport transport, IceCredentials local, RemoteParameters remote) {
            this.participant = participant;
            this.transport = transport;
            this.local = local;
            this.remote = remote.ice();
            this.fingerprintAlgorithm = remote.fingerprintAlgorithm();
            this.fingerprintValue = remote.fingerprintValue();
            this.dtlsRole = remote.localDtlsRole();
        }
    }

    /** Hands transport events to the participant once it exists (it is set before the answer leaves). */
    private static final class Link implements TransportListener {
        volatile Participant participant;

        @Override
        public void onStateChange(RtcTransport transport, TransportState state) {
            Participant p = participant;
            if (p != null) {
                p.onStateChange(transport, state);
            }
        }

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            Participant p = participant;
            if (p != null) {
                p.onRtp(transport, buf, off, len);
            }
        }

        @Override
        public void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {
            Participant p = participant;
            if (p != null) {
                p.onRtcp(transport, buf, off, len);
            }
        }
    }
}
