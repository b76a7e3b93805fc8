package dev.arena.sfu.room;

import java.util.Objects;

/**
 * An offer that {@link RoomGateway#negotiate} refuses; nothing was changed. The codes match the signaling protocol's
 * error codes of the same names (docs/protocol.md).
 */
public final class NegotiationException extends Exception {
    public enum Code {
        /** The offer does not parse, or breaks a rule of offer/answer (no ICE credentials, a new DTLS fingerprint). */
        BAD_SDP,
        /** No audio or video section of the offer has a codec we forward. */
        NO_COMMON_CODEC,
        /** The offer sends media and the participant may not publish. */
        PUBLISH_NOT_ALLOWED,
        /** The offer would make the participant publish more tracks than allowed. */
        TOO_MANY_TRACKS
    }

    private final Code code;

    public NegotiationException(Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    public NegotiationException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    public Code code() {
        return code;
    }

    @Override
    public String toString() {
        return "NegotiationException[" + code + "]: " + getMessage();
    }
}
