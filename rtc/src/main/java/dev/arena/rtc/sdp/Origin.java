package dev.arena.rtc.sdp;

import java.util.List;

/**
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>} (RFC 8866 section 5.2).
 * Ids are kept as text: browsers send up to 64-bit unsigned values.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {
    public static Origin parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(v);
        if (t.size() != 6) {
            throw new SdpParseException("o= needs '<username> <sess-id> <sess-version> <nettype> <addrtype> <address>'");
        }
        digits(t.get(1), "o= sess-id");
        digits(t.get(2), "o= sess-version");
        Origin o = new Origin(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5));
        if (!o.toString().equals(v)) {
            // Keeps round-trips exact: the writer emits single spaces.
            throw new SdpParseException("o= fields must be separated by single spaces");
        }
        return o;
    }

    private static void digits(String s, String what) throws SdpParseException {
        if (s.length() > 20) {
            throw new SdpParseException(what + " has more than 20 digits");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new SdpParseException(what + ": '" + Sdp.clip(s) + "' is not a number");
            }
        }
    }

    @Override
    public String toString() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType + ' ' + address;
    }
}
