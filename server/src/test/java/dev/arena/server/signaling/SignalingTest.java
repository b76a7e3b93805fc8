package dev.arena.server.signaling;

import static dev.arena.server.testing.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.Grants;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenIssuer;
import dev.arena.server.testing.TestNode;
import dev.arena.server.testing.TestNode.Joined;
import dev.arena.server.testing.WsClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signaling protocol (docs/protocol.md) without media, over real WebSockets against a real node: joining,
 * every refusal of the error table, hands and roles, chat, removal, replacement, leave, hidden participants.
 * Each test uses rooms of its own on one shared node.
 */
class SignalingTest {
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String host(String room, String identity) {
        return node.token(room, identity, Role.HOST);
    }

    private static String listener(String room, String identity) {
        return node.token(room, identity, Role.LISTENER);
    }

    private static void assertError(JsonNode reply, String code) {
        assertEquals("error", reply.path("type").asText(), reply.toString());
        assertEquals(code, reply.path("code").asText(), reply.toString());
        assertFalse(reply.path("message").asText().isBlank(), "a readable message: " + reply);
    }

    @Test
    void joinGivesTheRoomStateAndAnnouncesTheNewcomer() throws Exception {
        try (Joined ann = node.join(node.issuer.issue(AccessToken.of("town-hall", "ann", Role.HOST).withName("Ann")))) {
            JsonNode j = ann.joined();
            assertEquals(1, j.path("v").asInt());
            assertEquals("town-hall", j.path("room").path("id").asText());
            assertEquals(16, j.path("room").path("limits").path("speakers").asInt());
            assertEquals(4, j.path("room").path("limits").path("tracksPerParticipant").asInt());
            assertEquals("ann", j.path("you").path("identity").asText());
            assertEquals("Ann", j.path("you").path("name").asText());
            assertEquals("host", j.path("you").path("role").asText());
            assertTrue(j.path("you").path("permissions").path("admin").asBoolean());
            assertEquals(0, j.path("participants").size());
            assertEquals(0, j.path("hands").size());
            assertTrue(j.path("resumeToken").asText().startsWith("r_"), j.toString());
            assertEquals(20000, j.path("resumeWindowMs").asLong());
            assertFalse(j.path("resumed").asBoolean());

            try (Joined bob = node.join(listener("town-hall", "bob"))) {
                JsonNode others = bob.joined().path("participants");
                assertEquals(1, others.size());
                assertEquals("ann", others.get(0).path("identity").asText());
                assertEquals("host", others.get(0).path("role").asText());
                assertFalse(bob.joined().path("you").path("permissions").path("publish").asBoolean());
                JsonNode announced = ann.ws().expect("participant_joined");
                assertEquals("bob", announced.path("participant").path("identity").asText());
                assertEquals("listener", announced.path("participant").path("role").asText());
                assertEquals(0, announced.path("participant").path("tracks").size());

                JsonNode pong = bob.ws().request("ping");
                assertEquals("pong", pong.path("type").asText());
            }
            JsonNode left = ann.ws().expect("participant_left");
            assertEquals("bob", left.path("participant").asText());
        }
    }

    @Test
    void badTokensAreRefusedAndTheConnectionClosed() throws Exception {
        ApiKey key = new ApiKey(TestNode.KEY, TestNode.SECRET);
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
        String expired = new TokenIssuer(key, past).issue(AccessToken.of("t", "x", Role.HOST).withTtl(Duration.ofHours(1)));
        String unknownKey = new TokenIssuer(new ApiKey("other", TestNode.SECRET)).issue(AccessToken.of("t", "x", Role.HOST));
        String noJoin = node.issuer.issue(AccessToken.of("t", "x", Role.HOST).withGrants(
                new Grants(false, true, true, true, false)));
        record Case(String token, String room, String code) {}
        List<Case> cases = List.of(
                new Case("not-a-token", null, "invalid_token"),
                new Case(unknownKey, null, "invalid_token"),
                new Case(expired, null, "token_expired"),
                new Case(host("t", "x"), "elsewhere", "wrong_room"),
                new Case(noJoin, null, "missing_grant"),
                new Case(node.issuer.issue(AccessToken.of("bad room!", "x", Role.HOST)), null, "invalid_token"));
        for (Case c : cases) {
            try (WsClient ws = node.connect()) {
                List<Object> fields = new ArrayList<>(List.of("v", 1, "token", c.token()));
                if (c.room() != null) {
                    fields.addAll(List.of("room", c.room()));
                }
                assertError(ws.request("join", fields.toArray()), c.code());
                assertEquals(1008, ws.awaitClose(), c.code());
            }
        }
        assertTrue(node.node.stage().rooms().stream().noneMatch(r -> r.id().equals("t")), "nothing created");
    }

    @Test
    void malformedRequestsAreRefusedAndTheSessionGoesOn() throws Exception {
        try (WsClient ws = node.connect()) {
            ws.sendText("{not json");
            assertError(ws.expect("error"), "bad_message");
            ws.sendText("[1, 2]");
            assertError(ws.expect("error"), "bad_message");
            ws.sendText("{\"id\": 5}");
            assertError(ws.expect("error"), "bad_message");
            assertError(ws.request("dance"), "unknown_type");
            ws.sendText("{\"type\": \"chat\", \"text\": \"" + "x".repeat(64 * 1024) + "\"}");
            assertError(ws.expect("error"), "message_too_large");
            assertError(ws.request("chat", "text", "hi"), "not_joined");
            assertError(ws.request("join", "v", 2, "token", host("m", "ann")), "unsupported_version");
            assertError(ws.request("join", "token", host("m", "ann")), "bad_message");
            assertError(ws.request("join", "v", 1), "bad_message");
            assertFalse(ws.isClosed());

            JsonNode joined = ws.call("joined", "join", "v", 1, "token", host("m", "ann"));
            assertEquals("m", joined.path("room").path("id").asText());
            assertError(ws.request("join", "v", 1, "token", host("m", "ann")), "already_joined");
            assertError(ws.request("chat", "text", ""), "bad_request");
            assertError(ws.request("chat", "text", "y".repeat(4097)), "bad_request");
            assertError(ws.request("chat"), "bad_message");
            assertError(ws.request("set_role", "participant", "ann", "role", "king"), "bad_request");
            assertError(ws.request("set_role", "participant", "nobody", "role", "speaker"), "not_found");
            assertError(ws.request("mute", "trackId", "ann/9", "muted", true), "not_found");
            assertError(ws.request("mute", "trackId", "ann/9", "muted", "yes"), "bad_message");
            assertError(ws.request("remove", "participant", "nobody"), "not_found");
            assertError(ws.request("offer", "sdp", "v=0 and then nonsense"), "bad_sdp");
            assertError(ws.request("offer", "sdp", 5), "bad_message");
            assertEquals("ok", ws.request("chat", "text", "still here").path("type").asText());
            assertEquals("still here", ws.expect("chat").path("text").asText());
            assertFalse(ws.isClosed());
        }
    }

    @Test
    void handsQueueUpAndApprovalPutsAListenerOnStage() throws Exception {
        try (Joined ann = node.join(host("hands", "ann"));
             Joined bob = node.join(listener("hands", "bob"));
             Joined cat = node.join(listener("hands", "cat"))) {
            assertEquals("ok", bob.ws().request("raise_hand").path("type").asText());
            assertEquals(List.of("bob"), strings(ann.ws().expect("hand_raised").path("hands")));
            assertEquals("ok", cat.ws().request("raise_hand").path("type").asText());
            JsonNode raised = ann.ws().expect("hand_raised", "cat");
            assertEquals(List.of("bob", "cat"), strings(raised.path("hands")));
            assertEquals("ok", bob.ws().request("raise_hand").path("type").asText(), "raising twice is fine");
            try (Joined late = node.join(listener("hands", "dan"))) {
                assertEquals(List.of("bob", "cat"), strings(late.joined().path("hands")));
                assertTrue(late.joined().path("participants").get(1).path("handRaised").asBoolean());
            }

            assertError(cat.ws().request("lower_hand", "participant", "bob"), "not_allowed");
            assertError(bob.ws().request("set_role", "participant", "bob", "role", "speaker"), "not_allowed");

            assertEquals("ok", ann.ws().request("set_role", "participant", "bob", "role", "speaker")
                    .path("type").asText());
            JsonNode changed = bob.ws().expect("role_changed");
            assertEquals("bob", changed.path("participant").asText());
            assertEquals("speaker", changed.path("role").asText());
            assertEquals("ann", changed.path("by").asText());
            JsonNode lowered = cat.ws().expect("hand_lowered", "bob");
            assertEquals("approved", lowered.path("reason").asText());
            assertEquals(List.of("cat"), strings(lowered.path("hands")));
            assertError(bob.ws().request("raise_hand"), "not_allowed");

            assertEquals("ok", cat.ws().request("lower_hand").path("type").asText());
            JsonNode own = ann.ws().expect("hand_lowered", "cat");
            assertEquals("lowered", own.path("reason").asText());
            assertEquals(0, own.path("hands").size());
        }
    }

    @Test
    void stageAndRoomLimits() throws Exception {
        assertEquals(201, node.api("POST", "/api/v1/rooms",
                "{\"id\": \"small\", \"limits\": {\"participants\": 3, \"speakers\": 2}}").statusCode());
        try (Joined ann = node.join(host("small", "ann"));
             Joined bob = node.join(listener("small", "bob"));
             Joined cat = node.join(listener("small", "cat"))) {
            assertEquals(3, ann.joined().path("room").path("limits").path("participants").asInt());
            try (WsClient dan = node.connect()) {
                assertError(dan.request("join", "v", 1, "token", listener("small", "dan")), "room_full");
                assertFalse(dan.isClosed(), "not a token error");
            }
            assertEquals("ok", ann.ws().request("set_role", "participant", "bob", "role", "speaker")
                    .path("type").asText());
            assertError(ann.ws().request("set_role", "participant", "cat", "role", "speaker"), "speakers_full");
            assertEquals("listener", participant("small", "cat").path("role").asText(), "nothing changed");
        } finally {
            node.api("DELETE", "/api/v1/rooms/small", null);
        }
    }

    @Test
    void chatRemoveAndLeave() throws Exception {
        try (Joined ann = node.join(host("chat", "ann"));
             Joined bob = node.join(node.issuer.issue(AccessToken.of("chat", "bob", Role.LISTENER).withName("Bob")));
             Joined cat = node.join(listener("chat", "cat"))) {
            assertEquals("ok", bob.ws().request("chat", "text", "hello, stage").path("type").asText());
            for (Joined j : List.of(ann, bob, cat)) {
                JsonNode chat = j.ws().expect("chat");
                assertEquals("bob", chat.path("from").asText());
                assertEquals("Bob", chat.path("name").asText());
                assertEquals("hello, stage", chat.path("text").asText());
                assertTrue(chat.path("ts").asLong() > 0);
            }
            assertError(bob.ws().request("remove", "participant", "cat"), "not_allowed");

            assertEquals("ok", ann.ws().request("remove", "participant", "bob").path("type").asText());
            assertEquals("removed", bob.ws().expect("removed").path("reason").asText());
            assertEquals(1000, bob.ws().awaitClose());
            JsonNode left = cat.ws().expect("participant_left", "bob");
            assertEquals("removed", left.path("reason").asText());

            cat.ws().send(msg("leave"));
            assertEquals(1000, cat.ws().awaitClose());
            assertEquals("left", ann.ws().expect("participant_left", "cat").path("reason").asText());
            assertEquals(1, node.node.stage().room("chat").orElseThrow().participants().size());
        }
    }

    @Test
    void aSecondSessionOfAnIdentityReplacesTheFirst() throws Exception {
        try (Joined ann = node.join(host("dup", "ann"));
             Joined first = node.join(listener("dup", "bob"))) {
            first.ws().request("raise_hand");
            ann.ws().expect("hand_raised");
            try (Joined second = node.join(listener("dup", "bob"))) {
                assertEquals("replaced", first.ws().expect("removed").path("reason").asText());
                assertEquals(1000, first.ws().awaitClose());
                JsonNode left = ann.ws().expect("participant_left", "bob");
                assertEquals("replaced", left.path("reason").asText());
                assertEquals(0, ann.ws().expect("hand_lowered", "bob").path("hands").size());
                assertEquals("bob", ann.ws().expect("participant_joined").path("participant").path("identity").asText());
                assertEquals(0, second.joined().path("hands").size());
                assertEquals(2, node.node.stage().room("dup").orElseThrow().participants().size());
            }
        }
    }

    @Test
    void hiddenParticipantsAreNotAnnounced() throws Exception {
        try (Joined ann = node.join(host("hidden", "ann"));
             Joined rec = node.join(node.issuer.issue(AccessToken.of("hidden", "recorder", Role.LISTENER)
                     .withGrants(new Grants(true, false, true, false, true))))) {
            assertEquals(1, rec.joined().path("participants").size(), "a hidden participant sees the others");
            ann.ws().request("chat", "text", "after the recorder joined");
            ann.ws().expect("chat");
            for (JsonNode m : ann.ws().drain()) {
                assertFalse(m.path("type").asText().startsWith("participant_"), "announced: " + m);
            }
            try (Joined bob = node.join(listener("hidden", "bob"))) {
                assertEquals(1, bob.joined().path("participants").size(), "only ann: " + bob.joined());
            }
        }
    }

    @Test
    void aConnectionThatDoesNotJoinIsClosed() throws Exception {
        try (WsClient ws = node.connect()) {
            assertEquals(1008, ws.awaitClose());
        }
    }

    private static JsonNode participant(String room, String identity) throws Exception {
        for (JsonNode p : TestNode.json(node.api("GET", "/api/v1/rooms/" + room + "/participants", null))
                .path("participants")) {
            if (p.path("identity").asText().equals(identity)) {
                return p;
            }
        }
        throw new AssertionError(identity + " is not in " + room);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
