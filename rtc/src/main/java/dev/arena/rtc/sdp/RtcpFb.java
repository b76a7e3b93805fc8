package dev.arena.rtc.sdp;

/**
 * {@code a=rtcp-fb:<payload type or *> <type> [<parameters>]} (RFC 4585 section 4.2), e.g. {@code 96 nack pli},
 * {@code 96 transport-cc}. {@code parameter} is null when absent.
 */
public record RtcpFb(String payloadType, String type, String parameter) {
    public static RtcpFb parse(String v) throws SdpParseException {
        String s = Sdp.require(v, "rtcp-fb").strip();
        var t = Sdp.tokens(s);
        if (t.size() < 2) {
            throw new SdpParseException("a=rtcp-fb needs '<payload type> <type>'");
        }
        if (!"*".equals(t.get(0))) {
            Sdp.integer(t.get(0), 0, 127, "a=rtcp-fb payload type");
        }
        String param = t.size() > 2 ? String.join(" ", t.subList(2, t.size())) : null;
        return new RtcpFb(t.get(0), t.get(1), param);
    }

    /** "type" or "type parameter", e.g. "nack pli": what {@link AnswerOptions#rtcpFeedback()} lists. */
    public String feedback() {
        return parameter == null ? type : type + ' ' + parameter;
    }

    public boolean appliesTo(int pt) {
        return "*".equals(payloadType) || payloadType.equals(Integer.toString(pt));
    }

    @Override
    public String toString() {
        return payloadType + ' ' + feedback();
    }
}
