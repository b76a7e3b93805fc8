package dev.arena.rtc.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The harness alone: aiortc starts, offers VP8 with a fingerprint on 127.0.0.1, and dies with close(). */
class AiortcPeerTest {
    static List<String> candidateAddresses(String sdp) {
        return sdp.lines().filter(l -> l.startsWith("a=candidate:")).map(l -> l.split(" ")[4]).toList();
    }

    @Test
    void offersVp8VideoWithFingerprintAndLoopbackCandidatesOnly() {
        AiortcPeer peer = AiortcPeer.start();
        try (peer) {
            String offer = peer.offer();
            assertTrue(offer.contains("\nm=video "), offer);
            assertTrue(Pattern.compile("a=rtpmap:\\d+ VP8/90000").matcher(offer).find(), offer);
            assertTrue(offer.contains("a=fingerprint:sha-256 "), offer);
            assertTrue(offer.contains("a=setup:actpass"), offer);
            assertFalse(offer.contains("\nm=audio "), offer);
            List<String> addrs = candidateAddresses(offer);
            assertFalse(addrs.isEmpty(), offer);
            addrs.forEach(a -> assertEquals("127.0.0.1", a, offer));
            assertEquals("new", peer.connectionState());
            assertTrue(peer.isAlive());
        }
        assertFalse(peer.isAlive(), "close() ends the process");
        assertTrue(ProcessHandle.of(peer.pid()).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void audioAndVideoOfferGivesEachHeaderExtensionItsOwnId() {
        try (AiortcPeer peer = AiortcPeer.start(AiortcPeer.Options.defaults().withAudio(true))) {
            String offer = peer.offer();
            assertTrue(offer.contains("\nm=audio "), offer);
            assertTrue(offer.contains("\nm=video "), offer);
            Map<String, String> uriById = new HashMap<>();
            Matcher m = Pattern.compile("a=extmap:(\\d+) (\\S+)").matcher(offer);
            while (m.find()) {
                String before = uriById.putIfAbsent(m.group(1), m.group(2));
                assertTrue(before == null || before.equals(m.group(2)), "extmap id " + m.group(1) + " reused: " + offer);
            }
        }
    }
}
