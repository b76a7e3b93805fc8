package dev.arena.sfu.room;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One published media source of one participant (audio or video): what its publisher negotiated
 * ({@link TrackSpec}) and the subscriptions that deliver it. The {@link Room} indexes track -> subscriptions here
 * and subscription -> track in {@link Subscription#track()}; closing a track closes its subscriptions.
 *
 * <p>Single-threaded: owned by the room's event loop. The subscription array is replaced (copy on write) on
 * subscribe/unsubscribe so the forwarding path iterates it without allocation.
 */
public final class Track implements AutoCloseable {
    private static final Subscription[] NONE = new Subscription[0];

    private final Room room;
    private final String id;
    private final Participant publisher;
    private final TrackSpec spec;
    private TrackFeedback feedback;
    private Subscription[] subscriptions = NONE;
    private boolean closed;
    private long packetsIn;
    private long bytesIn;

    Track(Room room, String id, Participant publisher, TrackSpec spec) {
        this.room = Objects.requireNonNull(room);
        this.id = Objects.requireNonNull(id);
        this.publisher = Objects.requireNonNull(publisher);
        this.spec = Objects.requireNonNull(spec);
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

    public long packetsIn() {
        return packetsIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public boolean isClosed() {
        return closed;
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
