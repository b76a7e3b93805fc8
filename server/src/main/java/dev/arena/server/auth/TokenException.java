package dev.arena.server.auth;

/** A token that was refused, with a code a client can act on and a message a person can read. */
public final class TokenException extends Exception {
    /** Why a token was refused. */
    public enum Code {
        /** not a compact JWS, too large, bad base64 or JSON, or a required claim missing or of the wrong type */
        MALFORMED,
        /** the signature does not match, or the token is not signed with HS256 (alg none included) */
        BAD_SIGNATURE,
        /** signed with a key id this node does not hold */
        UNKNOWN_KEY,
        /** past its {@code exp} (beyond the clock skew allowance) */
        EXPIRED,
        /** before its {@code nbf} (beyond the clock skew allowance) */
        NOT_YET_VALID,
        /** valid, but for another room */
        WRONG_ROOM,
        /** valid, but without a grant the action needs */
        MISSING_GRANT
    }

    private final Code code;

    public TokenException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public TokenException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
