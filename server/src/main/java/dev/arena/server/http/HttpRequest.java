package dev.arena.server.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * An HTTP request as the node's services see it, independent of the server library that read it.
 *
 * @param method   upper-case method
 * @param path     the decoded path, without the query
 * @param query    the raw query string, or "" when there is none
 * @param header   a header's value by name (case-insensitive), or null
 * @param body     the whole body, at most the route's limit (the server answers 413 to a larger one)
 * @param scheme   "http" or "https" as the client used it (forwarded headers from a trusted proxy honoured)
 * @param host     the host (and port) the client addressed (forwarded headers honoured)
 * @param remote   the client's address (forwarded headers honoured), or null when unknown
 */
public record HttpRequest(String method, String path, String query, Function<String, String> header, byte[] body,
                          String scheme, String host, InetSocketAddress remote) {
    public HttpRequest {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        query = query == null ? "" : query;
        Objects.requireNonNull(header);
        body = body == null ? new byte[0] : body;
        scheme = scheme == null ? "http" : scheme;
        host = host == null ? "localhost" : host;
    }

    /** A request with no query, scheme http, host localhost and no remote address (tests, internal calls). */
    public static HttpRequest of(String method, String path, Function<String, String> header, byte[] body) {
        return new HttpRequest(method, path, "", header, body, "http", "localhost", null);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The base URL the client used, e.g. {@code https://arena.example.com}, for absolute links. */
    public String origin() {
        return scheme + "://" + host;
    }
}
