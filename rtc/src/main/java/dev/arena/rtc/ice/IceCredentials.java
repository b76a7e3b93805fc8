package dev.arena.rtc.ice;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * ICE username fragment and password (RFC 8445 section 5.3, SDP syntax in RFC 8839 section 5.4:
 * ice-char = ALPHA / DIGIT / "+" / "/"). Remote values are taken as given (printable ASCII without ':'),
 * since peers differ in lengths; {@link #random()} makes RFC-sized local ones.
 */
public record IceCredentials(String ufrag, String pwd) {
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        if (ufrag.isEmpty() || ufrag.length() > 256 || !printable(ufrag) || ufrag.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad ice-ufrag: " + ufrag);
        }
        if (pwd.isEmpty() || pwd.length() > 256 || !printable(pwd)) {
            throw new IllegalArgumentException("bad ice-pwd");
        }
    }

    /** A fresh local ufrag (8 ice-chars, 48 bits) and password (24 ice-chars, 144 bits). */
    public static IceCredentials random() {
        return new IceCredentials(randomString(8), randomString(24));
    }

    private static String randomString(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        }
        return new String(c);
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=***]";
    }
}
