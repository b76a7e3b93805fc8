package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the attribute parsers. */
final class Sdp {
    private Sdp() {
    }

    /** Shortens untrusted text for an exception message. */
    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 40));
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > 40) {
            b.append("...");
        }
        return b.toString();
    }

    /** Splits on runs of spaces and tabs; no empty tokens. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Decimal integer in [min, max]; at most 10 digits so nothing overflows. */
    static long number(String s, long min, long max, String what) throws SdpParseException {
        if (s == null || s.isEmpty() || s.length() > 19) {
            throw new SdpParseException(what + ": '" + clip(s) + "' is not a number");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpParseException(what + ": '" + clip(s) + "' is not a number");
            }
            v = v * 10 + (c - '0');
            if (v > max) {
                throw new SdpParseException(what + ": " + clip(s) + " is out of range " + min + ".." + max);
            }
        }
        if (v < min) {
            throw new SdpParseException(what + ": " + clip(s) + " is out of range " + min + ".." + max);
        }
        return v;
    }

    static int integer(String s, int min, int max, String what) throws SdpParseException {
        return (int) number(s, min, max, what);
    }

    static String require(String value, String attribute) throws SdpParseException {
        if (value == null || value.isBlank()) {
            throw new SdpParseException("a=" + attribute + " needs a value");
        }
        return value;
    }

    /** A token of RFC 8866 token-chars. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b || c == 0x2d || c == 0x2e
                    || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
