package dev.arena.server.signaling;

import java.util.Objects;

/** A request that was refused with one of the protocol's error codes and a message a person can read. */
public final class SignalingException extends Exception {
    private final ErrorCode code;

    public SignalingException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }
}
