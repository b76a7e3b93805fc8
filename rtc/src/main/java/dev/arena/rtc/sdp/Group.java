package dev.arena.rtc.sdp;

import java.util.List;

/** {@code a=group:<semantics> *(SP <mid>)} (RFC 5888 section 5), e.g. {@code BUNDLE 0 1} (RFC 9143). */
public record Group(String semantics, List<String> mids) {
    public Group {
        mids = List.copyOf(mids);
    }

    public static Group parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(Sdp.require(v, "group"));
        return new Group(t.get(0), t.subList(1, t.size()));
    }

    public boolean isBundle() {
        return "BUNDLE".equals(semantics);
    }

    @Override
    public String toString() {
        return mids.isEmpty() ? semantics : semantics + ' ' + String.join(" ", mids);
    }
}
