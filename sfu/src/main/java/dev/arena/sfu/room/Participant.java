package dev.arena.sfu.room;

import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.TransportListener;
import dev.arena.rtc.transport.TransportState;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One connected user of a room with one transport: the tracks it publishes and the subscriptions it receives. It
 * is its transport's listener: media goes to the room's {@link Forwarder}; a connected transport triggers keyframe
 * requests for its subscriptions; a failed or closed transport makes it leave the room. Closing a participant
 * closes its tracks (and their subscriptions), its subscriptions and its transport.
 *
 * <p>Threads: changed on the room's home loop. Its transport's callbacks come on the transport's loop: media goes to
 * the room's part on that loop ({@link #loop()}); state changes go to the home loop, the first of them placing the
 * participant on the transport's loop. Until then (a transport that is not connected) its media is dropped
 * ({@link ForwardDrop#NOT_PLACED}). A participant that is not on a transport ({@link #attach(PacketSink)} only) is on
 * the room's inline loop: everything on the caller's thread. The track and subscription arrays are copy-on-write,
 * published through volatile fields, so the per-packet lookups by SSRC are lock- and allocation-free linear scans.
 */
public final class Participant implements TransportListener, AutoCloseable {
    private static final Track[] NO_TRACKS = new Track[0];
    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];

    private final Room room;
    private final String id;
    private volatile PacketSink sink = PacketSink.NONE;
    private TransportFeedback feedback;
    private volatile Track[] tracks = NO_TRACKS;
    private volatile Subscription[] subscriptions = NO_SUBSCRIPTIONS;
    /** Where its packets run: the inline loop until attached to a transport, then null until placed on its loop. */
    private volatile RoomLoop loop;
    /** Whether a placement on the transport's loop was already asked for (the transport's loop only). */
    private boolean placing;
    private boolean connected;
    private volatile boolean closed;

    Participant(Room room, String id) {
        this.room = Objects.requireNonNull(room);
        this.id = Objects.requireNonNull(id);
        this.loop = room.inlineLoop();
    }

    void feedback(TransportFeedback f) {
        this.feedback = Objects.requireNonNull(f);
    }

    public String id() {
        return id;
    }

    public Room room() {
        return room;
    }

    /** Sets where this participant's packets go (its transport); sends before that are dropped and counted. */
    public void attach(PacketSink sink) {
        this.sink = Objects.requireNonNull(sink);
    }

    /**
     * Attaches the participant's transport: its packets then run on the transport's loop, once its first callback
     * placed the participant there (see the class comment). Call on the room's home loop.
     */
    public void attach(RtcTransport transport) {
        attach(PacketSink.of(transport));
        if (loop != null && loop.isInline()) {
            loop = null;
        }
    }

    /** The room's part on this participant's loop, or null while not placed yet. */
    RoomLoop loop() {
        return loop;
    }

    void loop(RoomLoop l) {
        loop = l;
    }

    PacketSink sink() {
        return sink;
    }

    public TransportFeedback feedback() {
        return feedback;
    }

    public boolean isClosed() {
        return closed;
    }

    public List<Track> tracks() {
        return List.of(tracks);
    }

    public List<Subscription> subscriptions() {
        return List.of(subscriptions);
    }

    /** The published track with this SSRC, or null; allocation-free. */
    Track trackBySsrc(int ssrc) {
        for (Track t : tracks) {
            if (t.ssrc() == ssrc) {
                return t;
            }
        }
        return null;
    }

    /** The subscription we send to this participant on {@code ssrc}, or null; allocation-free. */
    Subscription subscriptionBySsrc(int ssrc) {
        for (Subscription s : subscriptions) {
            if (s.ssrc() == ssrc) {
                return s;
            }
        }
        return null;
    }

    Track trackByMid(String mid) {
        for (Track t : tracks) {
            if (t.spec().mid().equals(mid)) {
                return t;
            }
        }
        return null;
    }

    void add(Track t) {
        tracks = append(tracks, t);
    }

    void remove(Track t) {
        tracks = without(tracks, t, NO_TRACKS);
    }

    void add(Subscription s) {
        subscriptions = append(subscriptions, s);
    }

    void remove(Subscription s) {
        subscriptions = without(subscriptions, s, NO_SUBSCRIPTIONS);
    }

    Track[] trackArray() {
        return tracks;
    }

    Subscription[] subscriptionArray() {
        return subscriptions;
    }

    boolean isConnected() {
        return connected;
    }

    void markClosed() {
        closed = true;
    }

    private static <T> T[] append(T[] a, T x) {
        T[] next = Arrays.copyOf(a, a.length + 1);
        next[a.length] = x;
        return next;
    }

    private static <T> T[] without(T[] a, T x, T[] empty) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == x) {
                if (a.length == 1) {
                    return empty;
                }
                T[] next = Arrays.copyOf(a, a.length - 1);
                System.arraycopy(a, i + 1, next, i, a.length - i - 1);
                return next;
            }
        }
        return a;
    }

    // ---- TransportListener, on the transport's loop ----

    /**
     * The first callback (the transport's ICE connecting, before any media can flow) asks the home loop to place the
     * participant on this loop; the state change itself is control work, done on the home loop after that.
     */
    @Override
    public void onStateChange(RtcTransport transport, TransportState state) {
        // a terminal state may come from a close() elsewhere (a transport never homed): not a placement
        boolean place = !placing && transport != null && !state.isTerminal();
        placing |= place;
        java.util.concurrent.Executor here = place ? transport.executor() : null;
        Thread thread = Thread.currentThread();
        room.onHome(() -> {
            if (place) {
                room.place(this, here, thread);
            }
            onState(state);
        });
    }

    /** On the home loop. */
    private void onState(TransportState state) {
        if (state == TransportState.CONNECTED) {
            connected = true;
            room.onConnected(this);
        } else if (state.isTerminal()) {
            connected = false;
            room.leave(this);
        }
    }

    @Override
    public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
        RoomLoop l = loop;
        if (l == null || !l.inLoop()) {
            room.drops().count(ForwardDrop.NOT_PLACED);
        } else if (!closed) {
            l.forwarder.onRtp(this, buf, off, len);
        }
    }

    @Override
    public void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {
        RoomLoop l = loop;
        if (l == null || !l.inLoop()) {
            room.drops().count(ForwardDrop.NOT_PLACED);
        } else if (!closed) {
            l.forwarder.onRtcp(this, buf, off, len);
        }
    }

    /** Leaves the room: closes its tracks, its subscriptions and its transport. */
    @Override
    public void close() {
        room.leave(this);
    }

    @Override
    public String toString() {
        return "Participant[" + id + " tracks=" + tracks.length + " subscriptions=" + subscriptions.length + "]";
    }
}
