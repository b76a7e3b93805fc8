package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=ssrc-group:<semantics> *(SP <ssrc-id>)} (RFC 5576 section 4.2): FID pairs a media SSRC with its
 * RTX SSRC (RFC 4588), SIM lists simulcast layers (plan-b style).
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }

    public static SsrcGroup parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(Sdp.require(v, "ssrc-group"));
        if (t.size() < 2) {
            throw new SdpParseException("a=ssrc-group needs '<semantics> <ssrc-id>...'");
        }
        List<Long> ids = new ArrayList<>(t.size() - 1);
        for (int i = 1; i < t.size(); i++) {
            ids.add(Sdp.number(t.get(i), 0, 0xFFFF_FFFFL, "a=ssrc-group ssrc"));
        }
        return new SsrcGroup(t.get(0), ids);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(semantics);
        for (long s : ssrcs) {
            b.append(' ').append(s);
        }
        return b.toString();
    }
}
