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
 * <p>Single-threaded: owned by the room's event loop (the transport's loop). Track and subscription arrays are
 * copy-on-write so the per-packet lookups by SSRC are allocation-free linear scans over a few entries.
 */
public final class Participant implements TransportListener, AutoCloseable {
    private static final Track[] NO_TRACKS = new Track[0];
    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];

    private final Room room;
    private final String id;
    private PacketSink sink = PacketSink.NONE;
    private TransportFeedback feedback;
    private Track[] tracks = NO_TRACKS;
    private Subscription[] subscriptions = NO_SUBSCRIPTIONS;
    private boolean connected;
    private boolean closed;

    Participant(Room room, String id) {
        this.room = Objects.requireNonNull(room);
        this.id = Objects.requireNonNull(id);
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

    /** Shorthand for {@code attach(PacketSink.of(transport))}. */
    public void attach(RtcTransport transport) {
        attach(PacketSink.of(transport));
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

    @Override
    public void onStateChange(RtcTransport transport, TransportState state) {
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
        if (!closed) {
            room.forwarder().onRtp(this, buf, off, len);
        }
    }

    @Override
    public void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {
        if (!closed) {
            room.forwarder().onRtcp(this, buf, off, len);
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
