package dev.arena.rtc.sdp;

/**
 * {@code a=ssrc:<ssrc-id> <attribute>[:<value>]} (RFC 5576 section 4.1), e.g. {@code 1064906863 cname:7W42JyKK}.
 * The SSRC is unsigned 32-bit, held in a long.
 */
public record Ssrc(long ssrc, String attribute, String value) {
    public static Ssrc parse(String v) throws SdpParseException {
        String s = Sdp.require(v, "ssrc").strip();
        int sp = indexOfSpace(s);
        if (sp < 0) {
            throw new SdpParseException("a=ssrc needs '<ssrc-id> <attribute>'");
        }
        long id = Sdp.number(s.substring(0, sp), 0, 0xFFFF_FFFFL, "a=ssrc id");
        String rest = s.substring(sp + 1).strip();
        if (rest.isEmpty()) {
            throw new SdpParseException("a=ssrc needs an attribute after the id");
        }
        int c = rest.indexOf(':');
        return c < 0 ? new Ssrc(id, rest, null) : new Ssrc(id, rest.substring(0, c), rest.substring(c + 1));
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Sdp.isSpace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }
}
