package dev.arena.bots.target;

/**
 * Why a bot could not join or act: counted per reason in the report, so {@link #reason()} is a short stable word
 * ({@code connection_refused}, {@code http_401}, {@code invalid_token}, {@code timeout}, {@code bad_sdp}...) and
 * the message has the detail.
 */
public final class TargetException extends Exception {
    private final String reason;

    public TargetException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TargetException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
