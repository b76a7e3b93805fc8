package dev.arena.rtc.sdp;

import java.util.List;
import java.util.Locale;

/**
 * {@code a=fingerprint:<hash-func> <fingerprint>} (RFC 8122 section 5), e.g.
 * {@code sha-256 7B:D1:...:BA}.
 */
public record Fingerprint(String algorithm, String value) {
    public static Fingerprint parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(Sdp.require(v, "fingerprint"));
        if (t.size() != 2) {
            throw new SdpParseException("a=fingerprint needs '<hash-func> <fingerprint>'");
        }
        String fp = t.get(1);
        for (int i = 0; i < fp.length(); i++) {
            char c = fp.charAt(i);
            if (!(c == ':' || Character.digit(c, 16) >= 0)) {
                throw new SdpParseException("a=fingerprint: '" + Sdp.clip(fp) + "' is not colon-separated hex");
            }
        }
        return new Fingerprint(t.get(0), fp);
    }

    /** Same algorithm and same bytes, case-insensitive (RFC 8122 says upper case, some send lower). */
    public boolean matches(String otherAlgorithm, String otherValue) {
        return algorithm.equalsIgnoreCase(otherAlgorithm) && value.equalsIgnoreCase(otherValue);
    }

    @Override
    public String toString() {
        return algorithm.toLowerCase(Locale.ROOT) + ' ' + value;
    }
}
