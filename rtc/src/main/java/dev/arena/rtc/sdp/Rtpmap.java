package dev.arena.rtc.sdp;

import java.util.List;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]} (RFC 8866 section 6.6),
 * e.g. {@code 111 opus/48000/2}. {@code channels} is 0 when absent (which means 1 for audio).
 */
public record Rtpmap(int payloadType, String encoding, int clockRate, int channels) {
    public static Rtpmap parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(Sdp.require(v, "rtpmap"));
        if (t.size() != 2) {
            throw new SdpParseException("a=rtpmap needs '<payload type> <encoding>/<clock rate>'");
        }
        int pt = Sdp.integer(t.get(0), 0, 127, "a=rtpmap payload type");
        String[] p = t.get(1).split("/", -1);
        if (p.length < 2 || p.length > 3 || p[0].isEmpty()) {
            throw new SdpParseException("a=rtpmap: '" + Sdp.clip(t.get(1)) + "' is not <encoding>/<clock rate>[/<channels>]");
        }
        int rate = Sdp.integer(p[1], 1, Integer.MAX_VALUE, "a=rtpmap clock rate");
        int ch = p.length == 3 ? Sdp.integer(p[2], 1, 255, "a=rtpmap channels") : 0;
        return new Rtpmap(pt, p[0], rate, ch);
    }

    /** Channels, 1 when not given. */
    public int channelsOrOne() {
        return channels == 0 ? 1 : channels;
    }

    public boolean isRtx() {
        return "rtx".equalsIgnoreCase(encoding);
    }

    @Override
    public String toString() {
        return payloadType + " " + encoding + '/' + clockRate + (channels == 0 ? "" : "/" + channels);
    }
}
