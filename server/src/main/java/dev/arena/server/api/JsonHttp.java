package dev.arena.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.server.http.HttpRequest;
import dev.arena.server.http.HttpResponse;
import dev.arena.server.signaling.Wire;

/** JSON bodies in and out of the node's HTTP APIs (REST API, demo endpoints), with errors as {@code {"error": {code, message}}}. */
public final class JsonHttp {
    /** Largest request body, in bytes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private JsonHttp() {
    }

    /** A request that cannot be answered as asked: its HTTP status, a code and a message. */
    public static final class Failure extends Exception {
        final int status;
        final String code;

        public Failure(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public HttpResponse response() {
            return error(status, code, getMessage());
        }
    }

    public static HttpResponse json(int status, JsonNode body) {
        return HttpResponse.json(status, Wire.text((ObjectNode) body)).withHeader("Cache-Control", "no-store");
    }

    public static HttpResponse error(int status, String code, String message) {
        ObjectNode body = Wire.object();
        body.putObject("error").put("code", code).put("message", message);
        return json(status, body);
    }

    /**
     * The request's body as a JSON object: {@code {}} when empty; 413 over {@link #MAX_BODY_BYTES}, 415 when it
     * is not declared {@code application/json}, 400 when it is not a JSON object.
     */
    public static ObjectNode body(HttpRequest req) throws Failure {
        if (req.body().length > MAX_BODY_BYTES) {
            throw new Failure(413, "payload_too_large", "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (req.body().length == 0) {
            return Wire.object();
        }
        String type = req.header().apply("Content-Type");
        if (type == null || !type.split(";", 2)[0].strip().equalsIgnoreCase("application/json")) {
            throw new Failure(415, "unsupported_media_type", "Content-Type must be application/json, got "
                    + (type == null ? "none" : "'" + type + "'"));
        }
        JsonNode n;
        try {
            n = Wire.JSON.readTree(req.body());
        } catch (JsonProcessingException e) {
            throw new Failure(400, "bad_request", "the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new Failure(400, "bad_request", "the body could not be read");
        }
        if (n == null || !n.isObject()) {
            throw new Failure(400, "bad_request", "the body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /** A string field: null when absent (unless required), 400 when of another type or empty. */
    public static String text(JsonNode body, String field, boolean required) throws Failure {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new Failure(400, "bad_request", field + " is required (a string)");
            }
            return null;
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            throw new Failure(400, "bad_request", field + " must be a non-empty string");
        }
        return n.textValue();
    }
}
