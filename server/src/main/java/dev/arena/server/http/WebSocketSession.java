package dev.arena.server.http;

import java.net.InetSocketAddress;

/** One open WebSocket, as a handler sees it. Thread-safe: sends may come from any thread and keep their order. */
public interface WebSocketSession {
    /**
     * Queues one text message; dropped (and logged) when the socket is already closed. A client that leaves too much
     * unread (4 MiB) is closed with 1008 instead.
     */
    void send(String text);

    /** Closes with a status code (RFC 6455 section 7.4) and a short reason (cut to 123 bytes). Idempotent. */
    void close(int status, String reason);

    boolean isOpen();

    /** The client's address (forwarded headers from a trusted proxy honoured). */
    InetSocketAddress remoteAddress();
}
