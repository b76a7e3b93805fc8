package dev.arena.server.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response: status, headers (in order), body (maybe empty). */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {
    public HttpResponse {
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
        body = body == null ? new byte[0] : body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A response with {@code Content-Type: contentType} and a UTF-8 body. */
    public static HttpResponse of(int status, String contentType, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        return new HttpResponse(status, h, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON body (already serialised). */
    public static HttpResponse json(int status, String json) {
        return of(status, "application/json", json);
    }

    /** A plain-text body; a newline is added when missing. */
    public static HttpResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.endsWith("\n") ? text : text + "\n");
    }

    /** This response with one more header (or a header replaced). */
    public HttpResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpResponse(status, h, body);
    }
}
