package dev.arena.server.http;

/**
 * What a WebSocket endpoint does with its connections. Callbacks of one session come one at a time and in order,
 * on a thread that may block briefly (not a network event loop); {@link #onClose} comes exactly once.
 */
public interface WebSocketHandler {
    void onOpen(WebSocketSession session);

    /** One whole text message (fragments joined), at most the endpoint's frame limit. */
    void onText(WebSocketSession session, String text);

    /** The socket is closed, by either side or because the network went away. */
    void onClose(WebSocketSession session, int status, String reason);
}
