package dev.arena.sfu.room;

import dev.arena.rtc.util.DropCounter;
import dev.arena.sfu.speaker.ActiveSpeakerDetector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One room: its participants, their published tracks and the subscriptions that deliver them. As mediasoup's
 * Router, the room indexes track -> subscriptions ({@link Track#subscriptions()}) and subscription -> track
 * ({@link Subscription#track()}); children report upward through {@link RoomListener}; closing removes children
 * first (subscriptions, then tracks, then participants), each reported once.
 *
 * <p>Threads: a room's control work (join, publish, subscribe, unsubscribe, mute, leave, its timer and every
 * {@link RoomListener} callback) runs on its home loop ({@link RoomGateway} gives it one; without one, on the caller's
 * thread): call its methods there. Its packets run on its participants' loops ({@link RoomLoop}): a publisher's
 * receive work on the publisher's loop, the send work for a subscriber on the subscriber's loop; the lists the packet
 * path reads are immutable arrays replaced here and published through volatile fields. Work for a track's state
 * (keyframe requests, NACKs answered from its history, its feedback's close) is posted to the publisher's loop; work
 * for a subscription's numbering to the subscriber's loop.
 */
public final class Room implements AutoCloseable {
    /** How often {@link #onTimer()} asks the speaker detector for a change (it emits at most every 500 ms). */
    static final long SPEAKER_POLL_NANOS = 100_000_000L;
    /** How often each loop sends its participants' feedback (receiver reports, NACKs, TWCC). */
    static final long TIMER_INTERVAL_MS = 20;

    private final String id;
    private final LongSupplier nanoClock;
    private final RoomListener listener;
    private final FeedbackFactory feedbackFactory;
    private final SecureRandom random = new SecureRandom();
    private final DropCounter<ForwardDrop> drops = new DropCounter<>(ForwardDrop.class);
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    /** The participants again, as an array for the timer (iterating a map allocates). */
    private volatile Participant[] participantArray = new Participant[0];
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    /** The room's parts per loop, index 0 the inline loop; replaced on the home loop. */
    private volatile RoomLoop[] loops;
    private volatile Executor home;
    private volatile Thread homeThread;
    private final ActiveSpeakerDetector speakers;
    private long lastSpeakerPoll = Long.MIN_VALUE;
    private List<String> lastSpeakers = List.of();
    private long subscriptionIds;
    private volatile boolean closed;

    public Room(String id, LongSupplier nanoClock, RoomListener listener, FeedbackFactory feedbackFactory) {
        this.id = Objects.requireNonNull(id);
        this.nanoClock = Objects.requireNonNull(nanoClock);
        this.listener = Objects.requireNonNull(listener);
        this.feedbackFactory = Objects.requireNonNull(feedbackFactory);
        this.speakers = new ActiveSpeakerDetector(nanoClock);
        this.loops = new RoomLoop[] {new RoomLoop(this, 0, null, null)};
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

    /** Packets handed from one loop to another (one copy per target loop), and the tasks that carried them. */
    private final LongAdder handedOffPackets = new LongAdder();
    private final LongAdder handOffTasks = new LongAdder();

    void countHandOff(int packets) {
        handedOffPackets.add(packets);
        handOffTasks.increment();
    }

    /** Packets copied from a publisher's loop to another loop with subscribers of the track (one per target loop). */
    public long handedOffPackets() {
        return handedOffPackets.sum();
    }

    /** Tasks that carried them: one per target loop per read batch (fewer than packets when batches hold several). */
    public long handOffTasks() {
        return handOffTasks.sum();
    }

    LongSupplier nanoClock() {
        return nanoClock;
    }

    RoomLoop inlineLoop() {
        return loops[0];
    }

    /**
     * Gives the room its home loop (once, before anything joins): control work and listener callbacks run there.
     * {@link RoomGateway} does this; a room without one runs everything on the caller's thread.
     */
    void home(Executor executor) {
        if (home != null) {
            throw new IllegalStateException("room " + id + " has a home loop");
        }
        home = Objects.requireNonNull(executor);
        executor.execute(() -> homeThread = Thread.currentThread());
    }

    /** Whether the caller runs on the home loop (always, for a room without one). */
    boolean onHomeLoop() {
        return home == null || Thread.currentThread() == homeThread;
    }

    /** Runs control work on the home loop: now if already there, else posted (dropped once it shut down). */
    void onHome(Runnable task) {
        if (onHomeLoop()) {
            task.run();
            return;
        }
        try {
            home.execute(task);
        } catch (RejectedExecutionException closed) {
            // the node shuts down
        }
    }

    /**
     * On the home loop: places a participant on its transport's loop ({@code executor}, whose thread is
     * {@code thread}) and adds its subscriptions to their tracks' fan-out there.
     */
    void place(Participant p, Executor executor, Thread thread) {
        if (p.isClosed() || p.loop() != null || closed) {
            return;
        }
        p.loop(loopFor(executor, thread));
        for (Subscription s : p.subscriptionArray()) {
            updateFanout(s.track());
        }
    }

    private RoomLoop loopFor(Executor executor, Thread thread) {
        RoomLoop[] current = loops;
        for (RoomLoop l : current) {
            if (l.executor == executor) {
                return l;
            }
        }
        RoomLoop l = new RoomLoop(this, current.length, executor, thread);
        if (executor instanceof ScheduledExecutorService ses) {
            l.timer = ses.scheduleAtFixedRate(() -> l.forwarder.poll(nanoClock.getAsLong()), TIMER_INTERVAL_MS,
                    TIMER_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
        RoomLoop[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = l;
        loops = next;
        return l;
    }

    /** On the home loop: the track's subscriptions whose subscriber is placed, grouped by loop, published at once. */
    private void updateFanout(Track t) {
        Map<RoomLoop, List<Subscription>> byLoop = new LinkedHashMap<>();
        for (Subscription s : t.subscriptionArray()) {
            RoomLoop l = s.subscriber().loop();
            if (l != null && !s.isClosed()) {
                byLoop.computeIfAbsent(l, k -> new ArrayList<>()).add(s);
            }
        }
        Fanout[] next = new Fanout[byLoop.size()];
        int i = 0;
        for (var e : byLoop.entrySet()) {
            next[i++] = new Fanout(e.getKey(), e.getValue().toArray(new Subscription[0]));
        }
        t.fanout(next);
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
        s.retransmitSink((buf, off, len) -> retransmit(s, buf, off, len));
        s.feedback(feedbackFactory.forSubscription(s));
        track.add(s);
        subscriber.add(s);
        updateFanout(track);
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
        updateFanout(s.track());
        s.subscriber().remove(s);
        // its NACK responder reads the track's history on the publisher's loop: closed there, after what is queued
        onPublisherLoop(s.track(), s.feedback()::close);
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
        onPublisherLoop(t, t.feedback()::close); // after the packets its loop is still handling
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
        RoomLoop l = p.loop();
        TransportFeedback feedback = p.feedback();
        if (l != null) {
            l.run(feedback::close);
        } else {
            feedback.close();
        }
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
        if (!muted) {
            for (Subscription s : t.subscriptionArray()) {
                s.resync(); // before the unmute lets packets through
            }
        }
        t.muted(muted);
        if (!muted) {
            requestKeyframe(t);
        }
    }

    /**
     * Asks the publisher of a video track for a keyframe (PLI), merged by the track's feedback throttle, on the
     * publisher's loop. Nothing for a publisher not placed yet (it is not connected: it could not receive one).
     */
    public void requestKeyframe(Track track) {
        RoomLoop l = track.publisher().loop();
        if (l == null) {
            return;
        }
        if (l.inLoop()) {
            l.forwarder.requestKeyframe(track, nanoClock.getAsLong());
        } else {
            l.run(() -> l.forwarder.requestKeyframe(track, nanoClock.getAsLong()));
        }
    }

    /** Runs work on a track's state on its publisher's loop, or here if the publisher is not placed (no packets). */
    private void onPublisherLoop(Track t, Runnable task) {
        RoomLoop l = t.publisher().loop();
        if (l == null) {
            task.run();
        } else {
            l.run(task);
        }
    }

    /**
     * A retransmission for {@code s} from its track's history (on the publisher's loop): rewritten and sent on the
     * subscriber's loop, copied there if that is another loop.
     */
    private void retransmit(Subscription s, byte[] buf, int off, int len) {
        RoomLoop l = s.subscriber().loop();
        if (l == null) {
            return;
        }
        if (l.inLoop()) {
            l.forwarder.retransmit(s, buf, off, len);
        } else {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            l.run(() -> l.forwarder.retransmit(s, copy, 0, copy.length));
        }
    }

    /** Called by a participant whose transport connected: its subscriptions need a keyframe to start decoding. */
    void onConnected(Participant p) {
        for (Subscription s : p.subscriptionArray()) {
            requestKeyframe(s.track());
        }
    }

    /**
     * Periodic work on the home loop (every ~20 ms): RTCP the feedback pieces of the inline loop's participants want
     * to send (each other loop has a timer of its own for its participants); the audio levels other loops read;
     * every {@value #SPEAKER_POLL_NANOS} ns the speaker detector, whose changes go to
     * {@link RoomListener#onActiveSpeakers}.
     */
    public void onTimer() {
        if (closed) {
            return;
        }
        long now = nanoClock.getAsLong();
        inlineLoop().forwarder.poll(now);
        for (Participant p : participantArray) {
            for (Track t : p.trackArray()) {
                if (t.audioLevelId() != 0) {
                    t.levels.drainTo(speakers, p.id());
                }
            }
        }
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
        for (RoomLoop l : loops) {
            if (l.timer != null) {
                l.timer.cancel(false);
            }
        }
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
