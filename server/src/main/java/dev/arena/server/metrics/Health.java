package dev.arena.server.metrics;

import dev.arena.rtc.transport.TransportServer;
import java.util.Objects;

/**
 * Liveness and readiness of a node. Live while the process serves HTTP; ready when the UDP media port is open,
 * the HTTP server has started and the node is not shutting down. Thread-safe.
 */
public final class Health {
    private final TransportServer transports;
    private volatile boolean httpUp;
    private volatile boolean shuttingDown;

    public Health(TransportServer transports) {
        this.transports = Objects.requireNonNull(transports);
    }

    /** The HTTP server is accepting requests. */
    public void httpStarted() {
        httpUp = true;
    }

    /** Shutdown has begun: the node stops being ready at once (load balancers take it out), before it closes. */
    public void beginShutdown() {
        shuttingDown = true;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Null when ready, else why not (for the 503 body). */
    public String notReadyReason() {
        if (shuttingDown) {
            return "shutting down";
        }
        if (!httpUp) {
            return "HTTP not started";
        }
        if (transports.isClosed()) {
            return "UDP media port closed";
        }
        return null;
    }

    public boolean isReady() {
        return notReadyReason() == null;
    }
}
