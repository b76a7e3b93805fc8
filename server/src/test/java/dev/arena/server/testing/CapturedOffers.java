package dev.arena.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Offers made from a real Chromium offer (rtc's test resource chromium-av.sdp: audio mid 0, video mid 1). */
public final class CapturedOffers {
    private static final String SDP;

    static {
        try (InputStream in = CapturedOffers.class.getResourceAsStream("/dev/arena/rtc/sdp/chromium-av.sdp")) {
            SDP = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CapturedOffers() {
    }

    /** Sends (and receives) audio and video, as Chromium offered it. */
    public static String sending() {
        return SDP.replace("\n", "\r\n");
    }

    /** Receives audio and video only: recvonly, without the sender's a=ssrc and a=msid lines. */
    public static String receiving() {
        StringBuilder b = new StringBuilder();
        for (String line : SDP.split("\n")) {
            if (line.startsWith("a=ssrc") || line.startsWith("a=msid:")) {
                continue;
            }
            b.append(line.equals("a=sendrecv") ? "a=recvonly" : line).append("\r\n");
        }
        return b.toString();
    }
}
