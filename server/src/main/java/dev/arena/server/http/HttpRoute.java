package dev.arena.server.http;

/**
 * Answers the requests under one path prefix. Runs on a virtual thread, never on a network event loop, so it
 * may block (an SDP negotiation waits for the media loop).
 */
@FunctionalInterface
public interface HttpRoute {
    HttpResponse handle(HttpRequest request) throws Exception;
}
