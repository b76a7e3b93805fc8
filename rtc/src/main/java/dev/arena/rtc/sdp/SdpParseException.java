package dev.arena.rtc.sdp;

/**
 * Malformed or oversized SDP (RFC 8866). The message names the 1-based line number when it is known
 * ({@link #line()} is 0 otherwise, e.g. for a lone trickle candidate).
 */
public final class SdpParseException extends Exception {
    private final int line;

    public SdpParseException(String message) {
        this(0, message);
    }

    public SdpParseException(int line, String message) {
        super(line > 0 ? "SDP line " + line + ": " + message : message);
        this.line = line;
    }

    /** 1-based line number, 0 when not known. */
    public int line() {
        return line;
    }
}
