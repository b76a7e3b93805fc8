package dev.arena.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.peers.AiortcPeer;
import dev.arena.rtc.peers.ChromiumPeer;
import dev.arena.server.auth.Role;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * WHIP then WHEP over real HTTP: aiortc publishes synthetic VP8 with WHIP (its offer posted with
 * java.net.http, the 201's answer given back to it), real headless Chromium watches with WHEP and decodes frames;
 * DELETE on each Location makes the participant leave, and the empty room closes with its transports.
 */
class WhipWhepTest {

    @Test
    void aiortcPublishesWithWhipAndChromiumWatchesWithWhep() throws Exception {
        try (WhipNode node = new WhipNode();
             AiortcPeer aiortc = AiortcPeer.start();
             ChromiumPeer chromium = ChromiumPeer.start()) {
            String speaker = node.token("stage", "obs", Role.SPEAKER);
            HttpResponse<String> published = node.post("/whip/stage", speaker, aiortc.offer());
            assertEquals(201, published.statusCode(), published.body());
            assertEquals("application/sdp", published.headers().firstValue("Content-Type").orElse(null));
            assertEquals("*", published.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertNotNull(published.headers().firstValue("ETag").orElse(null));
            String whipLocation = published.headers().firstValue("Location").orElseThrow();
            assertTrue(whipLocation.matches("/whip/stage/[A-Za-z0-9_-]{22}"), whipLocation);
            aiortc.answer(published.body());
            aiortc.awaitState("connected", Duration.ofSeconds(30));
            assertEquals(1, node.rooms.count());
            assertEquals(1, node.rooms.participantCount());

            String listener = node.token("stage", "viewer", Role.LISTENER);
            HttpResponse<String> watched = node.post("/whep/stage", listener, chromium.createOffer(true, true));
            assertEquals(201, watched.statusCode(), watched.body());
            String whepLocation = watched.headers().firstValue("Location").orElseThrow();
            assertTrue(whepLocation.startsWith("/whep/stage/"), whepLocation);
            chromium.setAnswer(watched.body());
            chromium.awaitState(ChromiumPeer.State::connected, Duration.ofSeconds(30));

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            ChromiumPeer.Stats stats = chromium.stats();
            while (stats.framesDecoded("video") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                stats = chromium.stats();
            }
            assertTrue(stats.framesDecoded("video") > 0, "Chromium decoded aiortc's VP8 through the room: " + stats
                    + "; aiortc " + aiortc.stats() + "; " + chromium.events());
            assertEquals(2, node.rooms.participantCount());
            assertEquals(2, node.whip.resourceCount());

            HttpResponse<String> left = node.send("DELETE", whepLocation, listener, null, null);
            assertEquals(200, left.statusCode(), left.body());
            assertEquals(1, node.rooms.participantCount());
            assertEquals(1, node.rooms.count(), "the publisher is still in the room");
            HttpResponse<String> again = node.send("DELETE", whepLocation, listener, null, null);
            assertEquals(404, again.statusCode(), "a resource ends once: " + again.body());

            HttpResponse<String> ended = node.send("DELETE", whipLocation, speaker, null, null);
            assertEquals(200, ended.statusCode(), ended.body());
            assertEquals("*", ended.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(WhipNode.await(() -> node.rooms.count() == 0, Duration.ofSeconds(10)),
                    "the empty room closed: " + node.rooms.count());
            assertEquals(0, node.rooms.participantCount());
            assertEquals(0, node.whip.resourceCount());
            assertTrue(WhipNode.await(() -> node.transports.transportCount() == 0, Duration.ofSeconds(10)),
                    "transports closed: " + node.transports.transportCount());
        }
    }
}
