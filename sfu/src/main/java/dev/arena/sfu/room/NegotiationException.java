package dev.arena.sfu.room;

/** TEMPORARY stub of the sfu helper's API (signaling branch only; replaced when branch sfu is merged). */
public final class NegotiationException extends Exception {
    public enum Code { BAD_SDP, NO_COMMON_CODEC, PUBLISH_NOT_ALLOWED, TOO_MANY_TRACKS }

    private final Code code;

    public NegotiationException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
