package dev.arena.sfu.room;

import dev.arena.sfu.speaker.AudioLevel;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One published media source of one participant (audio or video): what its publisher negotiated
 * ({@link TrackSpec}) and the subscriptions that deliver it. The {@link Room} indexes track -> subscriptions here
 * and subscription -> track in {@link Subscription#track()}; closing a track closes its subscriptions.
 *
 * <p>Threads: changed on the room's home loop (subscribe, unsubscribe, mute, close); its packets and its feedback
 * run on the publisher's loop, which reads {@link #fanout()} (the subscriptions grouped by their subscriber's loop,
 * an immutable array published through a volatile field) without a lock. The counters are written by the
 * publisher's loop; read elsewhere they may lag.
 */
public final class Track implements AutoCloseable {
    private static final Subscription[] NONE = new Subscription[0];

    private final Room room;
    private final String id;
    private final Participant publisher;
    private final TrackSpec spec;
    private TrackFeedback feedback;
    /** Every subscription (the home loop's view). */
    private Subscription[] subscriptions = NONE;
    /** The subscriptions whose subscriber is placed on a loop, by loop (the packet path's view). */
    private volatile Fanout[] fanout = Fanout.NONE;
    private volatile boolean closed;
    private volatile boolean muted;
    /** Audio levels read on the publisher's loop for the room's speaker detector on the home loop. */
    final AudioLevelQueue levels = new AudioLevelQueue();
    private long packetsIn;
    private long bytesIn;
    /** The publisher's id for {@link AudioLevel#URI} on an audio track, else 0. */
    private final int audioLevelId;
    /** Packets by RFC 6464 level (0..127) read from this track; null for a track without the extension. */
    private final long[] audioLevelCounts;

    Track(Room room, String id, Participant publisher, TrackSpec spec) {
        this.room = Objects.requireNonNull(room);
        this.id = Objects.requireNonNull(id);
        this.publisher = Objects.requireNonNull(publisher);
        this.spec = Objects.requireNonNull(spec);
        Integer levelId = spec.kind() == MediaKind.AUDIO ? spec.extensionIds().get(AudioLevel.URI) : null;
        this.audioLevelId = levelId == null ? 0 : levelId;
        this.audioLevelCounts = audioLevelId == 0 ? null : new long[AudioLevel.SILENCE + 1];
    }

    void feedback(TrackFeedback f) {
        this.feedback = Objects.requireNonNull(f);
    }

    public String id() {
        return id;
    }

    public Participant publisher() {
        return publisher;
    }

    public TrackSpec spec() {
        return spec;
    }

    public MediaKind kind() {
        return spec.kind();
    }

    public int ssrc() {
        return spec.ssrc();
    }

    public TrackFeedback feedback() {
        return feedback;
    }

    /** The subscriptions delivering this track now (a copy). */
    public List<Subscription> subscriptions() {
        return List.of(subscriptions);
    }

    Subscription[] subscriptionArray() {
        return subscriptions;
    }

    Fanout[] fanout() {
        return fanout;
    }

    void fanout(Fanout[] f) {
        fanout = f;
    }

    void add(Subscription s) {
        Subscription[] next = Arrays.copyOf(subscriptions, subscriptions.length + 1);
        next[subscriptions.length] = s;
        subscriptions = next;
    }

    void remove(Subscription s) {
        for (int i = 0; i < subscriptions.length; i++) {
            if (subscriptions[i] == s) {
                Subscription[] next = new Subscription[subscriptions.length - 1];
                System.arraycopy(subscriptions, 0, next, 0, i);
                System.arraycopy(subscriptions, i + 1, next, i, subscriptions.length - i - 1);
                subscriptions = next;
                return;
            }
        }
    }

    void countIn(int len) {
        packetsIn++;
        bytesIn += len;
    }

    /**
     * The id under which the publisher sends the RFC 6464 audio level ({@link AudioLevel#URI}, RFC 8285
     * a=extmap), taken from {@link TrackSpec#extensionIds()}; 0 for video or when it was not negotiated.
     */
    public int audioLevelId() {
        return audioLevelId;
    }

    /** Counts a level read from one of the publisher's packets (no allocation). */
    void countAudioLevel(int level) {
        audioLevelCounts[level]++;
    }

    /**
     * How many packets carried each audio level (index 0..127, -dBov), a copy; empty for a track without the
     * audio-level extension. For diagnostics and tests.
     */
    public long[] audioLevelCounts() {
        return audioLevelCounts == null ? new long[0] : audioLevelCounts.clone();
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether the track is muted: not forwarded (see {@link Room#setMuted}). */
    public boolean isMuted() {
        return muted;
    }

    void muted(boolean m) {
        muted = m;
    }

    void markClosed() {
        closed = true;
    }

    /** Unpublishes the track: its subscriptions close first. */
    @Override
    public void close() {
        room.unpublish(this);
    }

    @Override
    public String toString() {
        return "Track[" + id + " " + spec.kind() + " ssrc=" + Integer.toUnsignedString(spec.ssrc()) + " subs="
                + subscriptions.length + "]";
    }
}
