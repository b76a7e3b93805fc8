package dev.arena.server.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arena.rtc.peers.AiortcPeer;
import dev.arena.server.auth.Role;
import dev.arena.server.testing.TestNode;
import dev.arena.server.testing.TestNode.Joined;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * WHIP publishers show on the stage as speakers with their tracks, WHEP viewers not at all (hidden listeners): a
 * signaling participant sees aiortc's WHIP session come and go, and is asked to re-offer for its track.
 */
class WhipStageTest {

    @Test
    void aWhipPublisherIsASpeakerOnTheStage() throws Exception {
        try (TestNode node = TestNode.start();
             AiortcPeer aiortc = AiortcPeer.start();
             Joined ann = node.join(node.token("mixed", "ann", Role.HOST))) {
            HttpResponse<String> published = node.http("POST", "/whip/mixed", node.token("mixed", "obs", Role.SPEAKER),
                    "application/sdp", aiortc.offer());
            assertEquals(201, published.statusCode(), published.body());
            aiortc.answer(published.body());

            JsonNode joined = ann.ws().expect("participant_joined").path("participant");
            assertEquals("obs", joined.path("identity").asText());
            assertEquals("speaker", joined.path("role").asText());
            assertEquals("video", joined.path("tracks").get(0).path("kind").asText(), joined.toString());
            assertEquals("camera", joined.path("tracks").get(0).path("source").asText());

            try (Joined bob = node.join(node.token("mixed", "bob", Role.LISTENER))) {
                JsonNode obs = bob.joined().path("participants").get(1);
                assertEquals("obs", obs.path("identity").asText(), bob.joined().toString());
                assertFalse(obs.path("tracks").isEmpty());
            }

            HttpResponse<String> ended = node.http("DELETE", published.headers().firstValue("Location").orElseThrow(),
                    node.token("mixed", "obs", Role.SPEAKER), null, null);
            assertEquals(200, ended.statusCode(), ended.body());
            ann.ws().expect("track_unpublished", "obs");
            assertEquals("left", ann.ws().expect("participant_left", "obs").path("reason").asText());
        }
    }
}
