package dev.arena.rtc.rtp;

import java.util.HexFormat;

/** Helpers for writing packets as hex in tests. */
final class RtpTestBytes {
    private RtpTestBytes() {}

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }
}
