package dev.arena.rtc.sdp;

import java.util.List;

/**
 * {@code a=extmap:<id>[/<direction>] <URI> [<extension attributes>]} (RFC 8285 section 5), e.g.
 * {@code 3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01}.
 * {@code direction} and {@code attributes} are null when absent.
 */
public record Extmap(int id, Direction direction, String uri, String attributes) {
    public static Extmap parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(Sdp.require(v, "extmap"));
        if (t.size() < 2) {
            throw new SdpParseException("a=extmap needs '<id> <URI>'");
        }
        String idPart = t.get(0);
        Direction dir = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            dir = Direction.fromAttribute(idPart.substring(slash + 1));
            if (dir == null) {
                throw new SdpParseException("a=extmap: unknown direction '" + Sdp.clip(idPart.substring(slash + 1)) + "'");
            }
            idPart = idPart.substring(0, slash);
        }
        int id = Sdp.integer(idPart, 1, 4351, "a=extmap id");
        String attrs = t.size() > 2 ? String.join(" ", t.subList(2, t.size())) : null;
        return new Extmap(id, dir, t.get(1), attrs);
    }

    /** The same mapping seen from the other side (direction reversed, if any). */
    public Extmap reversed() {
        return new Extmap(id, direction == null ? null : direction.reverse(), uri, attributes);
    }

    @Override
    public String toString() {
        return id + (direction == null ? "" : "/" + direction) + ' ' + uri + (attributes == null ? "" : " " + attributes);
    }
}
