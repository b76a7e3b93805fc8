package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Line-oriented SDP reader (RFC 8866 section 5): {@code <type>=<value>} lines, CRLF or LF, in the order
 * {@code v=}, {@code o=}, {@code s=}, session lines, then {@code m=} sections. Known attributes are checked
 * (see {@link Attributes#validate}); the text of every line is kept as it is.
 */
final class SdpParser {
    private SdpParser() {
    }

    static SessionDescription parse(String sdp, SdpLimits limits) throws SdpParseException {
        if (sdp == null) {
            throw new SdpParseException("SDP is null");
        }
        if (sdp.length() > limits.maxChars()) {
            throw new SdpParseException("SDP is " + sdp.length() + " chars, more than the limit of " + limits.maxChars());
        }
        // Trailing blank lines (a final CRLF, or several) are tolerated; blank lines elsewhere are not.
        int end = sdp.length();
        while (end > 0 && (sdp.charAt(end - 1) == '\n' || sdp.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            throw new SdpParseException("SDP is empty");
        }
        SessionDescription sd = null;
        MediaDescription current = null;
        String version = null;
        Origin origin = null;
        int lineNo = 0;
        int pos = 0;
        while (pos < end) {
            int nl = sdp.indexOf('\n', pos);
            int lineEnd = nl < 0 || nl > end ? end : nl;
            int next = lineEnd + 1;
            if (lineEnd > pos && sdp.charAt(lineEnd - 1) == '\r') {
                lineEnd--;
            }
            lineNo++;
            if (lineNo > limits.maxLines()) {
                throw new SdpParseException(lineNo, "more than " + limits.maxLines() + " lines");
            }
            if (lineEnd - pos > limits.maxLineLength()) {
                throw new SdpParseException(lineNo, "line is longer than " + limits.maxLineLength() + " chars");
            }
            String line = sdp.substring(pos, lineEnd);
            pos = next;
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpParseException(lineNo, line.isEmpty() ? "empty line" : "expected '<type>=<value>', got '" + Sdp.clip(line) + "'");
            }
            char type = line.charAt(0);
            if (type < 'a' || type > 'z') {
                throw new SdpParseException(lineNo, "type must be a lower-case letter, got '" + Sdp.clip(String.valueOf(type)) + "'");
            }
            String value = line.substring(2);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new SdpParseException(lineNo, "control character 0x" + Integer.toHexString(c) + " in the value");
                }
            }
            try {
                switch (lineNo) {
                    case 1 -> {
                        if (type != 'v') {
                            throw new SdpParseException("the first line must be v=, got '" + Sdp.clip(line) + "'");
                        }
                        if (!"0".equals(value)) {
                            throw new SdpParseException("v=" + Sdp.clip(value) + " is not supported, only v=0");
                        }
                        version = value;
                        continue;
                    }
                    case 2 -> {
                        if (type != 'o') {
                            throw new SdpParseException("the second line must be o=, got '" + Sdp.clip(line) + "'");
                        }
                        origin = Origin.parse(value);
                        continue;
                    }
                    case 3 -> {
                        if (type != 's') {
                            throw new SdpParseException("the third line must be s=, got '" + Sdp.clip(line) + "'");
                        }
                        if (value.isEmpty()) {
                            throw new SdpParseException("s= must not be empty (use s=-)");
                        }
                        sd = new SessionDescription(origin);
                        sd.setVersion(version);
                        sd.setSessionName(value);
                        continue;
                    }
                    default -> {
                    }
                }
                switch (type) {
                    case 'v', 'o', 's' -> throw new SdpParseException(type + "= may appear only once, at the start");
                    case 'm' -> {
                        if (sd.media().size() >= limits.maxMediaSections()) {
                            throw new SdpParseException("more than " + limits.maxMediaSections() + " m= sections");
                        }
                        current = mediaLine(value);
                        sd.media().add(current);
                    }
                    case 'a' -> {
                        SdpLine l = new SdpLine(type, value);
                        String name = l.name();
                        if (name.isEmpty()) {
                            throw new SdpParseException("attribute without a name");
                        }
                        Attributes.validate(name, l.attributeValue());
                        (current == null ? sd.lines() : current.lines()).add(l);
                    }
                    default -> {
                        if (current == null && (type == 'i' || type == 'u' || type == 'e' || type == 'p' || type == 't'
                                || type == 'r' || type == 'z' || type == 'k' || type == 'c' || type == 'b')) {
                            sd.lines().add(new SdpLine(type, value));
                        } else if (current != null && (type == 'i' || type == 'c' || type == 'b' || type == 'k')) {
                            current.lines().add(new SdpLine(type, value));
                        } else if (current != null) {
                            throw new SdpParseException(type + "= is not allowed in a media section");
                        } else {
                            throw new SdpParseException("unknown line type " + type + "=");
                        }
                    }
                }
            } catch (SdpParseException e) {
                throw new SdpParseException(lineNo, e.getMessage());
            }
        }
        if (sd == null) {
            throw new SdpParseException(lineNo, "SDP ends before v=, o= and s=");
        }
        return sd;
    }

    /** {@code <media> <port>[/<number of ports>] <proto> 1*(SP <fmt>)}. */
    private static MediaDescription mediaLine(String value) throws SdpParseException {
        List<String> t = Sdp.tokens(value);
        if (t.size() < 4) {
            throw new SdpParseException("m= needs '<media> <port> <proto> <fmt> ...'");
        }
        if (!Sdp.isToken(t.get(0))) {
            throw new SdpParseException("m= media '" + Sdp.clip(t.get(0)) + "' is not a token");
        }
        String portPart = t.get(1);
        int count = -1;
        int slash = portPart.indexOf('/');
        if (slash >= 0) {
            count = Sdp.integer(portPart.substring(slash + 1), 1, 65535, "m= number of ports");
            portPart = portPart.substring(0, slash);
        }
        int port = Sdp.integer(portPart, 0, 65535, "m= port");
        MediaDescription m = new MediaDescription(t.get(0), port, count, t.get(2), new ArrayList<>(t.subList(3, t.size())));
        if (!m.mediaLine().equals(value)) {
            // Keeps round-trips exact: the writer emits single spaces.
            throw new SdpParseException("m= fields must be separated by single spaces");
        }
        return m;
    }
}
