package dev.arena.rtc.udp;

import java.util.Objects;

/**
 * A group of event loops that many endpoints share, each endpoint on one loop (round robin). The client side of a
 * load test runs thousands of sockets this way on one loop per core, instead of a thread per socket.
 */
public final class UdpLoops implements AutoCloseable {
    private final UdpEndpoint.Loops loops;
    private boolean closed;

    private UdpLoops(UdpEndpoint.Loops loops) {
        this.loops = loops;
    }

    /** Starts {@code threads} event loops (epoll when available, as {@code transport} says). */
    public static UdpLoops start(int threads, UdpEndpoint.Transport transport) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        UdpEndpoint.Loops loops = new UdpEndpoint.Loops(threads, Objects.requireNonNull(transport, "transport"));
        loops.refs.set(1); // the owner's hold; each endpoint adds one
        return new UdpLoops(loops);
    }

    public boolean isEpoll() {
        return loops.epoll;
    }

    /** The loops themselves, for timers and tasks that belong with the endpoints. */
    public io.netty.channel.EventLoopGroup group() {
        return loops.group;
    }

    synchronized UdpEndpoint.Loops acquire() {
        if (closed) {
            throw new IllegalStateException("UdpLoops closed");
        }
        loops.refs.incrementAndGet();
        return loops;
    }

    /** Lets go of the group: its loops stop once every endpoint on them is closed too. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            loops.release(!loops.onOwnThread());
        }
    }
}
