package dev.arena.server.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.Grants;
import dev.arena.server.auth.Role;
import dev.arena.server.testing.CapturedOffers;
import dev.arena.server.testing.TestNode;
import dev.arena.server.testing.TestNode.Joined;
import dev.arena.sfu.room.RoomGateway;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offers and answers over real WebSockets with a captured Chromium offer (the transports never connect: this is
 * about what signaling and the room's media agree on): who may publish, what the answer's mids say, the events
 * that follow, demotion, mute and the track limit.
 */
class NegotiationTest {
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A listener's token that may publish once approved (as the demo gives). */
    private static String audience(String room, String identity) {
        return node.issuer.issue(AccessToken.of(room, identity, Role.LISTENER)
                .withGrants(new Grants(true, true, true, false, false)));
    }

    private static boolean inMedia(String room, String identity) {
        return node.node.rooms().withGateway(room, g -> g.contains(identity), false);
    }

    private static List<String> mediaTracks(String room) throws Exception {
        RoomGateway g = node.node.rooms().gateway(room);
        return g == null ? List.of() : g.onLoop(() -> g.room().tracks().stream().map(t -> t.id()).toList());
    }

    @Test
    void aHostPublishesAndAListenerSubscribes() throws Exception {
        try (Joined ann = node.join(node.token("pub", "ann", Role.HOST));
             Joined bob = node.join(node.token("pub", "bob", Role.LISTENER))) {
            JsonNode answer = ann.ws().call("answer", "offer", "sdp", CapturedOffers.sending(),
                    "tracks", java.util.Map.of("1", java.util.Map.of("source", "screen")));
            assertTrue(answer.path("sdp").asText().startsWith("v=0"), answer.toString());
            assertEquals("send", answer.path("mids").path("0").path("direction").asText(), answer.toString());
            assertEquals("ann/0", answer.path("mids").path("0").path("trackId").asText());
            assertEquals("ann/1", answer.path("mids").path("1").path("trackId").asText());

            JsonNode audio = bob.ws().take(m -> m.path("type").asText().equals("track_published")
                    && m.path("track").path("kind").asText().equals("audio"), "audio published");
            assertEquals("ann", audio.path("participant").asText());
            assertEquals("microphone", audio.path("track").path("source").asText());
            assertFalse(audio.path("track").path("muted").asBoolean());
            JsonNode video = bob.ws().take(m -> m.path("type").asText().equals("track_published")
                    && m.path("track").path("kind").asText().equals("video"), "video published");
            assertEquals("screen", video.path("track").path("source").asText(), "the offer's tracks say so");
            assertEquals(List.of("ann/0", "ann/1"), mediaTracks("pub"));

            try (Joined cat = node.join(node.token("pub", "cat", Role.LISTENER))) {
                JsonNode host = cat.joined().path("participants").get(0);
                assertEquals(2, host.path("tracks").size(), cat.joined().toString());
            }

            JsonNode sub = bob.ws().call("answer", "offer", "sdp", CapturedOffers.receiving());
            JsonNode mid0 = sub.path("mids").path("0");
            assertEquals("recv", mid0.path("direction").asText(), sub.toString());
            assertEquals("ann", mid0.path("participant").asText());
            assertEquals("audio", mid0.path("kind").asText());
            assertEquals("ann/1", sub.path("mids").path("1").path("trackId").asText());

            // the host mutes its camera; a listener may not touch it
            assertEquals("ok", ann.ws().request("mute", "trackId", "ann/1", "muted", true).path("type").asText());
            JsonNode muted = bob.ws().expect("track_muted");
            assertEquals("ann/1", muted.path("trackId").asText());
            assertTrue(muted.path("muted").asBoolean());
            assertEquals("ann", muted.path("by").asText());
            assertEquals("not_allowed", bob.ws().request("mute", "trackId", "ann/0", "muted", true).path("code")
                    .asText());
        }
    }

    @Test
    void aListenerMayNotPublishUntilApprovedAndDemotionUnpublishes() throws Exception {
        try (Joined ann = node.join(node.token("stage", "ann", Role.HOST));
             Joined bob = node.join(audience("stage", "bob"))) {
            JsonNode refused = bob.ws().request("offer", "sdp", CapturedOffers.sending());
            assertEquals("publish_not_allowed", refused.path("code").asText(), refused.toString());
            assertFalse(inMedia("stage", "bob"), "nothing created");
            assertEquals(List.of(), mediaTracks("stage"));

            bob.ws().request("raise_hand");
            assertEquals("ok", ann.ws().request("set_role", "participant", "bob", "role", "speaker")
                    .path("type").asText());
            bob.ws().expect("role_changed");
            JsonNode answer = bob.ws().call("answer", "offer", "sdp", CapturedOffers.sending());
            assertEquals("bob/0", answer.path("mids").path("0").path("trackId").asText(), answer.toString());
            ann.ws().expect("track_published", "bob");
            ann.ws().expect("track_published", "bob");
            assertEquals(List.of("bob/0", "bob/1"), mediaTracks("stage"));

            // an admin mutes someone else's track, but only the publisher unmutes it
            assertEquals("ok", ann.ws().request("mute", "trackId", "bob/0", "muted", true).path("type").asText());
            assertEquals("ann", bob.ws().expect("track_muted").path("by").asText());
            JsonNode unmute = ann.ws().request("mute", "trackId", "bob/0", "muted", false);
            assertEquals("not_allowed", unmute.path("code").asText(), unmute.toString());
            assertEquals("ok", bob.ws().request("mute", "trackId", "bob/0", "muted", false).path("type").asText());
            JsonNode unmuted = ann.ws().take(m -> m.path("type").asText().equals("track_muted")
                    && !m.path("muted").asBoolean(), "unmuted");
            assertEquals("bob", unmuted.path("by").asText());

            assertEquals("ok", ann.ws().request("set_role", "participant", "bob", "role", "listener")
                    .path("type").asText());
            assertEquals(List.of(), mediaTracks("stage"), "forwarding stopped before the ok");
            ann.ws().expect("track_unpublished", "bob");
            ann.ws().expect("track_unpublished", "bob");
            assertEquals("listener", bob.ws().take(m -> m.path("type").asText().equals("role_changed")
                    && m.path("role").asText().equals("listener"), "demotion").path("role").asText());
            JsonNode again = bob.ws().request("offer", "sdp", CapturedOffers.sending());
            assertEquals("publish_not_allowed", again.path("code").asText(), again.toString());
            assertTrue(inMedia("stage", "bob"), "still receiving on its transport");
        }
    }

    @Test
    void subscribersAreAskedToReofferWhenTheStageChanges() throws Exception {
        try (Joined ann = node.join(node.token("renego", "ann", Role.HOST));
             Joined bob = node.join(node.token("renego", "bob", Role.SPEAKER));
             Joined cat = node.join(node.token("renego", "cat", Role.LISTENER))) {
            ann.ws().call("answer", "offer", "sdp", CapturedOffers.sending());
            cat.ws().call("answer", "offer", "sdp", CapturedOffers.receiving());
            bob.ws().call("answer", "offer", "sdp", CapturedOffers.sending());
            JsonNode needed = cat.ws().expect("offer_needed");
            assertEquals(1, needed.path("recv").path("audio").asInt(), needed.toString());
            assertEquals(1, needed.path("recv").path("video").asInt(), needed.toString());
        }
    }

    @Test
    void theRoomsTrackLimitHolds() throws Exception {
        assertEquals(201, node.api("POST", "/api/v1/rooms",
                "{\"id\": \"one-track\", \"limits\": {\"tracksPerParticipant\": 1}}").statusCode());
        try (Joined ann = node.join(node.token("one-track", "ann", Role.HOST))) {
            JsonNode r = ann.ws().request("offer", "sdp", CapturedOffers.sending());
            assertEquals("too_many_tracks", r.path("code").asText(), r.toString());
            assertFalse(inMedia("one-track", "ann"));
        } finally {
            node.api("DELETE", "/api/v1/rooms/one-track", null);
        }
    }

    @Test
    void aTokenWithoutSubscribeReceivesNothing() throws Exception {
        try (Joined ann = node.join(node.token("nosub", "ann", Role.HOST));
             Joined rec = node.join(node.issuer.issue(AccessToken.of("nosub", "rec", Role.LISTENER)
                     .withGrants(new Grants(true, false, false, false, false))))) {
            ann.ws().call("answer", "offer", "sdp", CapturedOffers.sending());
            JsonNode answer = rec.ws().call("answer", "offer", "sdp", CapturedOffers.receiving());
            assertEquals("inactive", answer.path("mids").path("0").path("direction").asText(), answer.toString());
            assertEquals("inactive", answer.path("mids").path("1").path("direction").asText(), answer.toString());
            RoomGateway g = node.node.rooms().gateway("nosub");
            assertEquals(0, (int) g.onLoop(() -> g.room().participant("rec").subscriptions().size()));
        }
    }
}
