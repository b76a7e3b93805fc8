package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code a=rid:<rid-id> <send|recv> [pt=<fmt>,...;<restriction>=<value>;...]} (RFC 8851 section 10), e.g.
 * {@code q send} or {@code 1 send pt=96;max-width=1280}.
 *
 * @param payloadTypes the {@code pt=} list, empty when absent
 * @param restrictions other parameters in order ({@code max-width}, {@code depend}, ...); "" for a bare name
 */
public record Rid(String id, boolean send, List<Integer> payloadTypes, Map<String, String> restrictions) {
    public Rid {
        payloadTypes = List.copyOf(payloadTypes);
        restrictions = Collections.unmodifiableMap(new LinkedHashMap<>(restrictions));
    }

    public static Rid parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(Sdp.require(v, "rid"));
        if (t.size() < 2 || t.size() > 3) {
            throw new SdpParseException("a=rid needs '<rid-id> <send|recv> [<params>]'");
        }
        String id = t.get(0);
        if (!isRidId(id)) {
            throw new SdpParseException("a=rid: '" + Sdp.clip(id) + "' is not a rid-id (alphanumeric, '-', '_')");
        }
        boolean send;
        switch (t.get(1)) {
            case "send" -> send = true;
            case "recv" -> send = false;
            default -> throw new SdpParseException("a=rid: direction must be send or recv, not '" + Sdp.clip(t.get(1)) + "'");
        }
        List<Integer> pts = new ArrayList<>();
        Map<String, String> restr = new LinkedHashMap<>();
        if (t.size() == 3) {
            for (String part : t.get(2).split(";")) {
                if (part.isEmpty()) {
                    throw new SdpParseException("a=rid: empty parameter");
                }
                int eq = part.indexOf('=');
                String key = eq < 0 ? part : part.substring(0, eq);
                String val = eq < 0 ? "" : part.substring(eq + 1);
                if ("pt".equals(key)) {
                    for (String pt : val.split(",", -1)) {
                        pts.add(Sdp.integer(pt, 0, 127, "a=rid pt"));
                    }
                } else {
                    restr.put(key, val);
                }
            }
        }
        return new Rid(id, send, pts, restr);
    }

    static boolean isRidId(String s) {
        if (s.isEmpty() || s.length() > 255) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '-' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    /** The same rid with the direction flipped (an answer's {@code recv} for an offer's {@code send}). */
    public Rid reversed() {
        return new Rid(id, !send, payloadTypes, restrictions);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(id).append(send ? " send" : " recv");
        List<String> params = new ArrayList<>();
        if (!payloadTypes.isEmpty()) {
            StringBuilder p = new StringBuilder("pt=");
            for (int i = 0; i < payloadTypes.size(); i++) {
                p.append(i == 0 ? "" : ",").append(payloadTypes.get(i));
            }
            params.add(p.toString());
        }
        restrictions.forEach((k, val) -> params.add(val.isEmpty() ? k : k + '=' + val));
        if (!params.isEmpty()) {
            b.append(' ').append(String.join(";", params));
        }
        return b.toString();
    }
}
