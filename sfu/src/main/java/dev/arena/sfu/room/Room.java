package dev.arena.sfu.room;

import dev.arena.rtc.util.DropCounter;
import dev.arena.sfu.speaker.ActiveSpeakerDetector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One room: its participants, their published tracks and the subscriptions that deliver them. As mediasoup's
 * Router, the room indexes track -> subscriptions ({@link Track#subscriptions()}) and subscription -> track
 * ({@link Subscription#track()}); children report upward through {@link RoomListener}; closing removes children
 * first (subscriptions, then tracks, then participants), each reported once.
 *
 * <p>Threading: a room is single-threaded by contract. Every method, and every callback of its participants'
 * transports, runs on one event loop; today a {@code TransportServer} has one loop, so all transports of a room
 * created on it share it. A room spanning loops will need a hand-off (later).
 */
public final class Room implements AutoCloseable {
    /** How often {@link #onTimer()} asks the speaker detector for a change (it emits at most every 500 ms). */
    static final long SPEAKER_POLL_NANOS = 100_000_000L;

    private final String id;
    private final LongSupplier nanoClock;
    private final RoomListener listener;
    private final FeedbackFactory feedbackFactory;
    private final SecureRandom random = new SecureRandom();
    private final DropCounter<ForwardDrop> drops = new DropCounter<>(ForwardDrop.class);
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    /** The participants again, as an array for the timer (iterating a map allocates). */
    private Participant[] participantArray = new Participant[0];
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private final Forwarder forwarder;
    private final ActiveSpeakerDetector speakers;
    private long lastSpeakerPoll = Long.MIN_VALUE;
    private List<String> lastSpeakers = List.of();
    private long subscriptionIds;
    private boolean closed;

    public Room(String id, LongSupplier nanoClock, RoomListener listener, FeedbackFactory feedbackFactory) {
        this.id = Objects.requireNonNull(id);
        this.nanoClock = Objects.requireNonNull(nanoClock);
        this.listener = Objects.requireNonNull(listener);
        this.feedbackFactory = Objects.requireNonNull(feedbackFactory);
        this.speakers = new ActiveSpeakerDetector(nanoClock);
        this.forwarder = new Forwarder(this, nanoClock, drops, speakers);
    }

    /** A room with the full feedback loop: NACK both ways, receiver reports, TWCC, merged keyframe requests. */
    public Room(String id) {
        this(id, System::nanoTime, new RoomListener() {}, new FeedbackWiring());
    }

    public String id() {
        return id;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Drops of the forwarding path, by reason. */
    public DropCounter<ForwardDrop> drops() {
        return drops;
    }

    /** Who speaks, from the publishers' audio levels (reported through {@link RoomListener#onActiveSpeakers}). */
    public ActiveSpeakerDetector speakers() {
        return speakers;
    }

    Forwarder forwarder() {
        return forwarder;
    }

    public Collection<Participant> participants() {
        return List.copyOf(participants.values());
    }

    public Participant participant(String participantId) {
        return participants.get(participantId);
    }

    public List<Track> tracks() {
        return List.copyOf(tracks.values());
    }

    public Track track(String trackId) {
        return tracks.get(trackId);
    }

    /** Adds a participant without a transport yet (see {@link Participant#attach}). */
    public Participant join(String participantId) {
        checkOpen();
        if (participants.containsKey(participantId)) {
            throw new IllegalArgumentException("participant " + participantId + " is already in room " + id);
        }
        Participant p = new Participant(this, participantId);
        p.feedback(feedbackFactory.forParticipant(p));
        participants.put(participantId, p);
        participantArray = participants.values().toArray(new Participant[0]);
        listener.onParticipantJoined(this, p);
        return p;
    }

    /** Publishes one source of {@code publisher}; its id is {@code participantId/mid}. */
    public Track publish(Participant publisher, TrackSpec spec) {
        checkOpen();
        checkMember(publisher);
        if (publisher.trackBySsrc(spec.ssrc()) != null || publisher.trackByMid(spec.mid()) != null) {
            throw new IllegalArgumentException("participant " + publisher.id() + " already publishes mid "
                    + spec.mid() + " or SSRC " + Integer.toUnsignedString(spec.ssrc()));
        }
        Track t = new Track(this, publisher.id() + "/" + spec.mid(), publisher, spec);
        t.feedback(feedbackFactory.forTrack(t));
        publisher.add(t);
        tracks.put(t.id(), t);
        listener.onTrackPublished(this, t);
        return t;
    }

    /**
     * Delivers {@code track} to {@code subscriber} as it negotiated in {@code spec}; numbering starts at random
     * values (RFC 3550 section 5.1). A connected subscriber gets a keyframe requested for it.
     */
    public Subscription subscribe(Track track, Participant subscriber, SubscriberSpec spec) {
        return subscribe(track, subscriber, spec, random.nextInt(0x10000), random.nextInt() & 0xFFFF_FFFFL);
    }

    /** As {@link #subscribe(Track, Participant, SubscriberSpec)} with given first sequence number and timestamp. */
    public Subscription subscribe(Track track, Participant subscriber, SubscriberSpec spec, int firstSeq,
                                  long firstTimestamp) {
        checkOpen();
        checkMember(subscriber);
        if (track.isClosed() || track.publisher().room() != this) {
            throw new IllegalArgumentException("track " + track.id() + " is not published in room " + id);
        }
        if (subscriber.subscriptionBySsrc(spec.ssrc()) != null) {
            throw new IllegalArgumentException("SSRC " + Integer.toUnsignedString(spec.ssrc())
                    + " already used toward " + subscriber.id());
        }
        Subscription s = new Subscription(this, "s" + (++subscriptionIds), track, subscriber, spec, firstSeq,
                firstTimestamp);
        s.retransmitSink((buf, off, len) -> forwarder.retransmit(s, buf, off, len));
        s.feedback(feedbackFactory.forSubscription(s));
        track.add(s);
        subscriber.add(s);
        listener.onSubscriptionCreated(this, s);
        if (subscriber.isConnected()) {
            requestKeyframe(track);
        }
        return s;
    }

    /** Stops delivering a subscription and forgets it. Idempotent. */
    public void unsubscribe(Subscription s) {
        if (s.isClosed()) {
            return;
        }
        s.markClosed();
        s.track().remove(s);
        s.subscriber().remove(s);
        s.feedback().close();
        listener.onSubscriptionClosed(this, s);
    }

    /** Unpublishes a track: its subscriptions close first. Idempotent. */
    public void unpublish(Track t) {
        if (t.isClosed()) {
            return;
        }
        t.markClosed();
        for (Subscription s : t.subscriptionArray()) {
            unsubscribe(s);
        }
        t.publisher().remove(t);
        tracks.remove(t.id());
        if (t.audioLevelId() != 0 && !sendsAudioLevels(t.publisher())) {
            speakers.remove(t.publisher().id());
        }
        t.feedback().close();
        listener.onTrackUnpublished(this, t);
    }

    /** A participant leaves: its tracks, its subscriptions, then its transport close. Idempotent. */
    public void leave(Participant p) {
        if (p.isClosed() || p.room() != this) {
            return;
        }
        p.markClosed();
        for (Track t : p.trackArray()) {
            unpublish(t);
        }
        for (Subscription s : p.subscriptionArray()) {
            unsubscribe(s);
        }
        speakers.remove(p.id());
        participants.remove(p.id());
        participantArray = participants.values().toArray(new Participant[0]);
        p.feedback().close();
        p.sink().close();
        listener.onParticipantLeft(this, p);
    }

    /**
     * Mutes or unmutes a track. A muted track's packets still feed its feedback (statistics, history, NACKs upstream)
     * but reach no subscriber and no speaker detection; unmuting continues each subscription's numbering without a
     * gap and asks the publisher for a keyframe.
     */
    public void setMuted(Track t, boolean muted) {
        if (t.isClosed() || t.isMuted() == muted) {
            return;
        }
        t.muted(muted);
        if (!muted) {
            for (Subscription s : t.subscriptionArray()) {
                s.resync();
            }
            requestKeyframe(t);
        }
    }

    /** Asks the publisher of a video track for a keyframe (PLI), merged by the track's feedback throttle. */
    public void requestKeyframe(Track track) {
        forwarder.requestKeyframe(track, nanoClock.getAsLong());
    }

    /** Called by a participant whose transport connected: its subscriptions need a keyframe to start decoding. */
    void onConnected(Participant p) {
        for (Subscription s : p.subscriptionArray()) {
            requestKeyframe(s.track());
        }
    }

    /**
     * Periodic work on the loop (every ~20 ms): RTCP the feedback pieces want to send; every
     * {@value #SPEAKER_POLL_NANOS} ns the speaker detector, whose changes go to
     * {@link RoomListener#onActiveSpeakers}.
     */
    public void onTimer() {
        if (closed) {
            return;
        }
        long now = nanoClock.getAsLong();
        forwarder.poll(now);
        // nobody tracked and nobody reported: nothing can change (and the poll's iterators are not allocated)
        boolean idle = speakers.trackedCount() == 0 && lastSpeakers.isEmpty();
        if (!idle && (lastSpeakerPoll == Long.MIN_VALUE || now - lastSpeakerPoll >= SPEAKER_POLL_NANOS)) {
            lastSpeakerPoll = now;
            List<String> active = speakers.poll(now);
            if (active != null) {
                lastSpeakers = active;
                listener.onActiveSpeakers(this, active);
            }
        }
    }

    /** Whether a participant still publishes an audio track with levels. */
    private static boolean sendsAudioLevels(Participant p) {
        for (Track t : p.trackArray()) {
            if (t.audioLevelId() != 0) {
                return true;
            }
        }
        return false;
    }

    Participant[] participantArray() {
        return participantArray;
    }

    /** Closes every participant (and so every track, subscription and transport). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (Participant p : new ArrayList<>(participants.values())) {
            leave(p);
        }
        closed = true;
        listener.onRoomClosed(this);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("room " + id + " is closed");
        }
    }

    private void checkMember(Participant p) {
        if (p.isClosed() || participants.get(p.id()) != p) {
            throw new IllegalArgumentException("participant " + p.id() + " is not in room " + id);
        }
    }

    @Override
    public String toString() {
        return "Room[" + id + " participants=" + participants.size() + " tracks=" + tracks.size() + "]";
    }
}
