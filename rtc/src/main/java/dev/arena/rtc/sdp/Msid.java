package dev.arena.rtc.sdp;

import java.util.List;

/** {@code a=msid:<stream-id> [<track-id>]} (RFC 8830 section 2); stream id "-" means no stream. */
public record Msid(String streamId, String trackId) {
    public static Msid parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(Sdp.require(v, "msid"));
        if (t.size() > 2) {
            throw new SdpParseException("a=msid has more than two ids");
        }
        return new Msid(t.get(0), t.size() > 1 ? t.get(1) : null);
    }

    @Override
    public String toString() {
        return trackId == null ? streamId : streamId + ' ' + trackId;
    }
}
