package dev.arena.rtc.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code a=fmtp:<format> <format specific parameters>} (RFC 8866 section 6.15), e.g.
 * {@code 111 minptime=10;useinbandfec=1} or {@code 97 apt=96} (RFC 4588).
 * {@link #parameters()} splits the usual {@code key=value;...} form; a part without '=' maps to "".
 */
public record Fmtp(String format, String params) {
    public static Fmtp parse(String v) throws SdpParseException {
        String s = Sdp.require(v, "fmtp").strip();
        int sp = 0;
        while (sp < s.length() && !Sdp.isSpace(s.charAt(sp))) {
            sp++;
        }
        return new Fmtp(s.substring(0, sp), s.substring(sp).strip());
    }

    public Map<String, String> parameters() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : params.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                m.put(p, "");
            } else {
                m.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** The payload type, or -1 when the format is not a number. */
    public int payloadType() {
        try {
            return Sdp.integer(format, 0, 127, "fmtp");
        } catch (SdpParseException e) {
            return -1;
        }
    }

    /** RTX associated payload type ({@code apt=}), or -1. */
    public int apt() {
        String a = parameters().get("apt");
        try {
            return a == null ? -1 : Sdp.integer(a, 0, 127, "apt");
        } catch (SdpParseException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return params.isEmpty() ? format : format + ' ' + params;
    }
}
