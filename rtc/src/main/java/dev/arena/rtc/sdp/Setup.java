package dev.arena.rtc.sdp;

/**
 * {@code a=setup} (RFC 4145 section 4, RFC 8842 section 5): which side starts DTLS. active = DTLS client,
 * passive = DTLS server, actpass = the offerer lets the answerer choose.
 */
public enum Setup {
    ACTIVE("active"), PASSIVE("passive"), ACTPASS("actpass"), HOLDCONN("holdconn");

    private final String token;

    Setup(String token) {
        this.token = token;
    }

    public static Setup parse(String value) throws SdpParseException {
        String v = value.strip();
        for (Setup s : values()) {
            if (s.token.equalsIgnoreCase(v)) {
                return s;
            }
        }
        throw new SdpParseException("a=setup: unknown role '" + Sdp.clip(v) + "'");
    }

    @Override
    public String toString() {
        return token;
    }
}
