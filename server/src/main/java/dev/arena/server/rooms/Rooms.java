package dev.arena.server.rooms;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Fingerprint;
import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.sfu.room.FeedbackWiring;
import dev.arena.sfu.room.NegotiationException;
import dev.arena.sfu.room.Participant;
import dev.arena.sfu.room.Room;
import dev.arena.sfu.room.RoomGateway;
import dev.arena.sfu.room.RoomListener;
import dev.arena.sfu.room.RoomSdp;
import dev.arena.sfu.room.Track;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one registry of rooms' media, shared by signaling and WHIP/WHEP: room name -> {@link RoomGateway} on the
 * node's one {@link TransportServer}. A room's media is opened on the first join or offer and closed when its last
 * media participant leaves (the room's state, in {@code stage}, may outlive it). A join in progress keeps its room open (a
 * reservation), so a room is never closed under a request that is about to join it. Thread-safe; the map is
 * guarded by this object, and room callbacks (on the room's loop) take the same lock but never wait for a loop
 * while holding it.
 */
public final class Rooms implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Rooms.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom NAMES = new SecureRandom();

    /** Why a join was refused, with a readable message. */
    public static final class JoinException extends Exception {
        public enum Reason {
            /** the offer has nothing this room can accept (no section to publish, or none to receive on) */
            NOTHING_ACCEPTABLE,
            /** there is nothing published in the room to watch */
            NOTHING_TO_WATCH,
            /** the participant id is already in the room */
            DUPLICATE
        }

        private final Reason reason;

        JoinException(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private final TransportServer server;
    private final InetSocketAddress announced;
    private final DtlsCertificate certificate;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> rooms = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private boolean closed;

    public Rooms(TransportServer server, InetSocketAddress announced, DtlsCertificate certificate) {
        this.server = Objects.requireNonNull(server);
        this.announced = Objects.requireNonNull(announced);
        this.certificate = Objects.requireNonNull(certificate);
    }

    /** A fresh random room name: 12 characters of a-z 0-9 (62 bits). */
    public static String newName() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            b.append(alphabet.charAt(NAMES.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** True for 1-64 characters of {@code [A-Za-z0-9_-]}. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** What rooms report upward, on the room's media loop: a listener must not block. */
    public interface Listener {
        /** A participant left the room's media, for any reason (asked to, or its transport failed). */
        default void onParticipantLeft(String room, String participantId) {
        }

        /** The room's active speakers, loudest first (see {@link RoomListener#onActiveSpeakers}). */
        default void onActiveSpeakers(String room, List<String> participantIds) {
        }
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public TransportServer transportServer() {
        return server;
    }

    /** Rooms open now. */
    public synchronized int count() {
        return rooms.size();
    }

    /** Participants in every room. */
    public synchronized int participantCount() {
        int n = 0;
        for (Entry e : rooms.values()) {
            n += e.members;
        }
        return n;
    }

    /**
     * One open room's counts, read on its loop (for metrics).
     *
     * @param key        this room instance (a room closed and reopened under the same name is another key)
     * @param publishers participants that publish at least one track
     * @param viewers    participants that publish nothing
     */
    public record RoomStats(Object key, String name, int publishers, int viewers, int tracks,
                            Map<dev.arena.sfu.room.ForwardDrop, Long> forwardDrops,
                            Map<dev.arena.rtc.feedback.FeedbackDrop, Long> feedbackDrops, FeedbackWiring.Counts feedback) {
    }

    /** The counts of every open room, each read on its room's loop; a room that fails to answer is left out. */
    public List<RoomStats> stats() {
        List<Entry> all;
        synchronized (this) {
            all = new ArrayList<>(rooms.values());
        }
        List<RoomStats> out = new ArrayList<>(all.size());
        for (Entry e : all) {
            try {
                out.add(e.gateway.onLoop(() -> {
                    int publishers = 0;
                    int viewers = 0;
                    for (Participant p : e.room.participants()) {
                        if (p.tracks().isEmpty()) {
                            viewers++;
                        } else {
                            publishers++;
                        }
                    }
                    return new RoomStats(e, e.name, publishers, viewers, e.room.tracks().size(),
                            e.room.drops().snapshot(), e.feedback.drops().snapshot(), e.feedback.counts());
                }));
            } catch (Exception ex) {
                log.debug("room {} did not answer for stats", e.name, ex);
            }
        }
        return out;
    }

    /** The gateway of an open room, or null (for stats and tests). */
    public synchronized RoomGateway gateway(String name) {
        Entry e = rooms.get(name);
        return e == null ? null : e.gateway;
    }

    /**
     * Joins {@code participantId} to room {@code name} with {@code offer} and returns the SDP answer. The offer is
     * first negotiated dry (pure, nothing created): a publisher's offer must have a section we accept to publish,
     * a viewer's one a section on which a published track can be delivered. Only then are the room (if new),
     * the participant and its transport created; on any failure the room is closed again if it is left empty.
     *
     * @throws SdpParseException        malformed offer
     * @throws IllegalArgumentException an offer we cannot answer (no ICE credentials, no fingerprint...)
     * @throws JoinException            nothing acceptable, nothing to watch, or a duplicate participant
     */
    public String join(String name, String participantId, String offerSdp, boolean publish)
            throws SdpParseException, JoinException {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("a room name is 1-64 characters of A-Z a-z 0-9 _ -");
        }
        SessionDescription offer = SessionDescription.parse(offerSdp);
        Entry entry;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the node is shutting down");
            }
            entry = rooms.get(name);
            if (entry == null) {
                if (!publish) {
                    throw new JoinException(JoinException.Reason.NOTHING_TO_WATCH,
                            "nothing is published in room '" + name + "' yet");
                }
                entry = new Entry(name);
                rooms.put(name, entry);
            }
            entry.pending++;
        }
        // Joins of one room are serialized (control path, rare): the duplicate check and the join are one
        // step, and a brand-new room's first tasks cannot race each other.
        try {
            synchronized (entry.joinLock) {
                return joinReserved(entry, name, participantId, offer, offerSdp, publish);
            }
        } finally {
            release(entry);
        }
    }

    private String joinReserved(Entry e, String name, String participantId, SessionDescription offer,
                                String offerSdp, boolean publish) throws SdpParseException, JoinException {
        List<Track> tracks;
        boolean duplicate;
        try {
            record Snapshot(List<Track> tracks, boolean duplicate) {}
            Snapshot s = e.gateway.onLoop(() -> new Snapshot(e.room.tracks(),
                    e.room.participant(participantId) != null));
            tracks = s.tracks();
            duplicate = s.duplicate();
        } catch (Exception ex) {
            throw new IllegalStateException("room '" + name + "' is not available", ex);
        }
        if (duplicate) {
            throw new JoinException(JoinException.Reason.DUPLICATE,
                    "'" + participantId + "' is already in room '" + name + "'");
        }
        if (!publish && tracks.isEmpty()) {
            throw new JoinException(JoinException.Reason.NOTHING_TO_WATCH,
                    "nothing is published in room '" + name + "' yet");
        }
        List<Track> others = new ArrayList<>();
        for (Track t : tracks) {
            if (!t.publisher().id().equals(participantId)) {
                others.add(t);
            }
        }
        IceCredentials dry = IceCredentials.random();
        RoomSdp.Negotiation n = RoomSdp.negotiate(offer, AnswerOptions.builder(dry.ufrag(), dry.pwd(),
                        new Fingerprint(certificate.fingerprintAlgorithm(), certificate.fingerprintValue()))
                .hostCandidates(List.of(announced)), publish, others, random::nextInt);
        if (publish ? n.published().isEmpty() : n.deliveries().isEmpty()) {
            throw nothingAcceptable(publish, name);
        }
        return e.gateway.join(participantId, offerSdp, publish);
    }

    /**
     * Negotiates an offer of {@code participantId} in room {@code name} (see {@link RoomGateway#negotiate}),
     * opening the room's media when it is not open. The room is kept open while the negotiation runs.
     */
    public RoomGateway.Negotiated negotiate(String name, String participantId, String offerSdp, int maxPublishedTracks,
                                            boolean subscribe) throws NegotiationException {
        Entry entry = reserve(name);
        try {
            synchronized (entry.joinLock) {
                return entry.gateway.negotiate(participantId, offerSdp, maxPublishedTracks, subscribe);
            }
        } finally {
            release(entry);
        }
    }

    /** {@code action} applied to the gateway of room {@code name}, or {@code absent} when its media is not open. */
    public <T> T withGateway(String name, Function<RoomGateway, T> action, T absent) {
        RoomGateway g = gateway(name);
        return g == null ? absent : action.apply(g);
    }

    /** Closes the media of room {@code name} (every transport in it); false when it was not open. */
    public boolean close(String name) {
        Entry e;
        synchronized (this) {
            e = rooms.remove(name);
        }
        if (e == null) {
            return false;
        }
        e.gateway.close();
        log.info("room {} closed", name);
        return true;
    }

    private synchronized Entry reserve(String name) {
        if (closed) {
            throw new IllegalStateException("the node is shutting down");
        }
        Entry entry = rooms.computeIfAbsent(name, Entry::new);
        entry.pending++;
        return entry;
    }

    private static JoinException nothingAcceptable(boolean publish, String room) {
        return new JoinException(JoinException.Reason.NOTHING_ACCEPTABLE, publish
                ? "the offer has no audio or video section that sends with a codec we accept (Opus, VP8, H264) and"
                        + " an a=ssrc: nothing to publish"
                : "the offer has no audio or video section that receives a codec of a track published in room '"
                        + room + "'");
    }

    /** Makes {@code participantId} leave room {@code name}; false when it is not there. */
    public boolean leave(String name, String participantId) {
        RoomGateway g = gateway(name);
        if (g == null) {
            return false;
        }
        try {
            return g.onLoop(() -> {
                Participant p = g.room().participant(participantId);
                if (p == null) {
                    return false;
                }
                g.room().leave(p);
                return true;
            });
        } catch (Exception e) {
            return false;
        }
    }

    private void release(Entry entry) {
        boolean close;
        synchronized (this) {
            entry.pending--;
            close = closeIfIdle(entry);
        }
        if (close) {
            entry.gateway.close();
        }
    }

    /** Under the lock: removes an idle room from the map; the caller closes it (outside the lock). */
    private boolean closeIfIdle(Entry e) {
        if (e.pending == 0 && e.members == 0 && rooms.get(e.name) == e) {
            rooms.remove(e.name);
            log.info("room {} is empty: closed", e.name);
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(rooms.values());
            rooms.clear();
        }
        for (Entry e : all) {
            e.gateway.close();
        }
    }

    private final class Entry implements RoomListener {
        final String name;
        final Room room;
        final RoomGateway gateway;
        final Object joinLock = new Object();
        final FeedbackWiring feedback = new FeedbackWiring();
        /** requests between reservation and the end of their join (guarded by Rooms.this) */
        int pending;
        /** participants in the room (guarded by Rooms.this, updated on the room's loop) */
        int members;

        Entry(String name) {
            this.name = name;
            this.room = new Room(name, System::nanoTime, this, feedback);
            this.gateway = new RoomGateway(server, announced, certificate, room);
        }

        @Override
        public void onParticipantJoined(Room r, Participant p) {
            synchronized (Rooms.this) {
                members++;
            }
        }

        @Override
        public void onActiveSpeakers(Room r, List<String> participantIds) {
            for (Listener l : listeners) {
                l.onActiveSpeakers(name, participantIds);
            }
        }

        @Override
        public void onParticipantLeft(Room r, Participant p) {
            boolean close;
            synchronized (Rooms.this) {
                members--;
                close = closeIfIdle(this);
            }
            for (Listener l : listeners) {
                l.onParticipantLeft(name, p.id());
            }
            if (close) {
                // on the room's loop: the gateway's close waits for the loop, so it runs elsewhere
                Thread.ofVirtual().name("close-room-" + name).start(gateway::close);
            }
        }
    }
}
