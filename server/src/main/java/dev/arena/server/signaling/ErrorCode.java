package dev.arena.server.signaling;

import java.util.Locale;

/** The error codes of docs/protocol.md ("Errors"); the wire name is the lower-case name. */
public enum ErrorCode {
    BAD_MESSAGE, UNKNOWN_TYPE, MESSAGE_TOO_LARGE, UNSUPPORTED_VERSION, NOT_JOINED, ALREADY_JOINED,
    INVALID_TOKEN, TOKEN_EXPIRED, WRONG_ROOM, MISSING_GRANT, RESUME_FAILED,
    ROOM_FULL, SPEAKERS_FULL, TOO_MANY_TRACKS, PUBLISH_NOT_ALLOWED, BAD_SDP, NO_COMMON_CODEC,
    NEGOTIATION_IN_PROGRESS, NOT_ALLOWED, NOT_FOUND, BAD_REQUEST, INTERNAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The token errors, after which the node closes the connection. */
    public boolean closes() {
        return this == INVALID_TOKEN || this == TOKEN_EXPIRED || this == WRONG_ROOM || this == MISSING_GRANT;
    }
}
