package dev.arena.rtc.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the SDP fixtures under src/test/resources/dev/arena/rtc/sdp. */
final class Fixtures {
    static final List<String> ALL = List.of("chromium-av.sdp", "chromium-simulcast.sdp", "chromium-datachannel.sdp",
            "aiortc-video-vp8.sdp", "aiortc-audio-video.sdp", "firefox-style-handwritten.sdp");

    private Fixtures() {
    }

    static String load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String name) {
        try {
            return SessionDescription.parse(load(name));
        } catch (SdpParseException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }
}
