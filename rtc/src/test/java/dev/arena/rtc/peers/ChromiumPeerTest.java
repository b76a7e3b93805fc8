package dev.arena.rtc.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The harness alone: headless Chromium offers audio and video with host candidates on 127.0.0.1. The test suite
 * runs inside a loopback-only network namespace (scripts/test.sh), where every candidate must be loopback.
 */
class ChromiumPeerTest {
    static boolean onlyLoopbackInterfaces() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
                return true;
            }
        }).findAny().isEmpty();
    }

    @Test
    void offersAudioAndVideoWithLoopbackCandidates() throws Exception {
        try (ChromiumPeer chrome = ChromiumPeer.start()) {
            String offer = chrome.createOffer(true, true);
            assertTrue(offer.contains("\nm=audio "), offer);
            assertTrue(offer.contains("\nm=video "), offer);
            assertTrue(Pattern.compile("a=rtpmap:\\d+ VP8/90000").matcher(offer).find(), offer);
            assertTrue(offer.contains("a=fingerprint:sha-256 "), offer);
            assertEquals(2, offer.lines().filter(l -> l.equals("a=sendrecv")).count(), offer);
            List<String> addrs = offer.lines().filter(l -> l.startsWith("a=candidate:"))
                    .map(l -> l.split(" ")[4]).toList();
            assertTrue(addrs.contains("127.0.0.1"), "a host candidate on 127.0.0.1: " + offer);
            if (onlyLoopbackInterfaces()) {
                addrs.forEach(a -> assertTrue(a.equals("127.0.0.1") || a.equals("::1"), offer));
            }
            ChromiumPeer.State s = chrome.state();
            assertEquals("have-local-offer", s.signaling());
            assertFalse(s.connected());
        }
    }
}
