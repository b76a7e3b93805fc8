package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.List;

/** Attribute lookup and the validation of known attributes that the parser runs on every line. */
final class Attributes {
    private Attributes() {
    }

    @FunctionalInterface
    interface ValueParser<T> {
        T parse(String value) throws SdpParseException;
    }

    static String first(List<SdpLine> lines, String name) {
        for (SdpLine l : lines) {
            if (l.isAttribute(name)) {
                String v = l.attributeValue();
                return v == null ? "" : v;
            }
        }
        return null;
    }

    static List<String> all(List<SdpLine> lines, String name) {
        List<String> out = new ArrayList<>();
        for (SdpLine l : lines) {
            if (l.isAttribute(name)) {
                String v = l.attributeValue();
                out.add(v == null ? "" : v);
            }
        }
        return out;
    }

    /**
     * Typed values of all attributes of that name. Lines that came through the parser were validated already;
     * a malformed line added through the API gives an IllegalArgumentException here.
     */
    static <T> List<T> typed(List<SdpLine> lines, String name, ValueParser<T> parser) {
        List<T> out = new ArrayList<>();
        for (SdpLine l : lines) {
            if (l.isAttribute(name)) {
                try {
                    out.add(parser.parse(l.attributeValue()));
                } catch (SdpParseException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        }
        return out;
    }

    static List<String> iceOptions(List<SdpLine> lines) {
        List<String> out = new ArrayList<>();
        for (String v : all(lines, "ice-options")) {
            out.addAll(Sdp.tokens(v));
        }
        return out;
    }

    /** Checks the syntax of an attribute this package models; unknown attributes are accepted as they are. */
    static void validate(String name, String value) throws SdpParseException {
        switch (name) {
            case "candidate" -> Candidate.parse(value);
            case "fingerprint" -> Fingerprint.parse(value);
            case "setup" -> Setup.parse(Sdp.require(value, name));
            case "group" -> Group.parse(value);
            case "msid" -> Msid.parse(value);
            case "ssrc" -> Ssrc.parse(value);
            case "ssrc-group" -> SsrcGroup.parse(value);
            case "rid" -> Rid.parse(value);
            case "simulcast" -> Simulcast.parse(value);
            case "extmap" -> Extmap.parse(value);
            case "rtpmap" -> Rtpmap.parse(value);
            case "fmtp" -> Fmtp.parse(value);
            case "rtcp-fb" -> RtcpFb.parse(value);
            case "mid", "ice-ufrag", "ice-pwd" -> {
                String v = Sdp.require(value, name).strip();
                if (Sdp.tokens(v).size() != 1) {
                    throw new SdpParseException("a=" + name + " must be one token");
                }
            }
            case "ice-options" -> Sdp.require(value, name);
            case "sctp-port" -> Sdp.integer(Sdp.require(value, name).strip(), 0, 65535, "a=sctp-port");
            case "max-message-size" -> Sdp.number(Sdp.require(value, name).strip(), 0, Long.MAX_VALUE / 10, "a=max-message-size");
            case "rtcp" -> {
                List<String> t = Sdp.tokens(Sdp.require(value, name));
                Sdp.integer(t.get(0), 0, 65535, "a=rtcp port");
            }
            default -> {
                // kept verbatim
            }
        }
    }
}
