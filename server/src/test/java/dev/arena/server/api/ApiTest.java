package dev.arena.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenIssuer;
import dev.arena.server.testing.TestNode;
import dev.arena.server.testing.TestNode.Joined;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API over real HTTP against a real node, with participants on real WebSockets. */
class ApiTest {
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = TestNode.json(r).path("error");
        assertEquals(code, e.path("code").asText(), r.body());
        assertFalse(e.path("message").asText().isBlank(), r.body());
    }

    @Test
    void credentialsAreRequired() throws Exception {
        assertError(node.http("GET", "/api/v1/rooms", null, null, null), 401, "unauthorized");
        assertError(node.http("GET", "/api/v1/rooms", "garbage", null, null), 401, "unauthorized");
        String expired = new TokenIssuer(new ApiKey(TestNode.KEY, TestNode.SECRET),
                Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC)).issueServer("x", Duration.ofMinutes(5));
        assertError(node.http("GET", "/api/v1/rooms", expired, null, null), 401, "unauthorized");
        String otherKey = new TokenIssuer(new ApiKey("other", TestNode.SECRET)).issueServer("x", Duration.ofMinutes(5));
        assertError(node.http("GET", "/api/v1/rooms", otherKey, null, null), 401, "unauthorized");
        String roomToken = node.token("r", "ann", Role.HOST);
        assertError(node.http("DELETE", "/api/v1/rooms/r", roomToken, null, null), 403, "forbidden");
        assertEquals(200, node.http("GET", "/api/v1/rooms", node.serverToken(), null, null).statusCode());
    }

    @Test
    void theOpenApiDescriptionListsExactlyTheServedRoutes() throws Exception {
        HttpResponse<String> r = node.http("GET", "/api/v1/openapi.json", null, null, null);
        assertEquals(200, r.statusCode());
        JsonNode doc = TestNode.json(r);
        assertTrue(doc.path("openapi").asText().startsWith("3.1"), "OpenAPI 3.1");
        Set<String> described = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> m = path.getValue().fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                    described.add(method.toUpperCase() + " " + path.getKey());
                }
            }
        }
        assertEquals(new TreeSet<>(node.node.api().operations()), described);
        // and the node answers each of them (401 without credentials, not 404 or 405)
        for (String op : described) {
            String[] parts = op.split(" ");
            String path = "/api/v1" + parts[1].replace("{room}", "some-room").replace("{identity}", "someone");
            int status = node.http(parts[0], path, null, null, null).statusCode();
            assertEquals(path.endsWith("openapi.json") ? 200 : 401, status, op);
        }
    }

    @Test
    void roomsAreCreatedListedReadAndClosed() throws Exception {
        HttpResponse<String> created = node.api("POST", "/api/v1/rooms",
                "{\"id\": \"launch\", \"title\": \"Launch\", \"limits\": {\"speakers\": 4}}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("/api/v1/rooms/launch", created.headers().firstValue("Location").orElse(null));
        JsonNode room = TestNode.json(created);
        assertEquals("launch", room.path("id").asText());
        assertEquals("Launch", room.path("title").asText());
        assertEquals(4, room.path("limits").path("speakers").asInt());
        assertEquals(10_000, room.path("limits").path("participants").asInt());
        assertError(node.api("POST", "/api/v1/rooms", "{\"id\": \"launch\"}"), 409, "room_exists");
        assertError(node.api("POST", "/api/v1/rooms", "{\"id\": \"no spaces\"}"), 400, "bad_request");
        assertError(node.api("POST", "/api/v1/rooms", "{\"limits\": {\"speakers\": 17}}"), 400, "bad_request");
        assertError(node.api("POST", "/api/v1/rooms", "{\"limits\": {\"speakers\": 0}}"), 400, "bad_request");
        assertError(node.api("POST", "/api/v1/rooms", "{not json"), 400, "bad_request");
        assertError(node.api("POST", "/api/v1/rooms", "[]"), 400, "bad_request");
        assertError(node.http("POST", "/api/v1/rooms", node.serverToken(), "text/plain", "{}"), 415,
                "unsupported_media_type");
        assertEquals(413, node.http("POST", "/api/v1/rooms", node.serverToken(), "application/json",
                "{\"title\": \"" + "x".repeat(70_000) + "\"}").statusCode());
        JsonNode generated = TestNode.json(node.api("POST", "/api/v1/rooms", null));
        assertTrue(generated.path("id").asText().matches("[a-z0-9]{12}"), generated.toString());

        JsonNode list = TestNode.json(node.api("GET", "/api/v1/rooms", null));
        Set<String> ids = new TreeSet<>();
        list.path("rooms").forEach(r -> ids.add(r.path("id").asText()));
        assertTrue(ids.containsAll(Set.of("launch", generated.path("id").asText())), list.toString());
        assertEquals("Launch", TestNode.json(node.api("GET", "/api/v1/rooms/launch", null)).path("title").asText());
        assertError(node.api("GET", "/api/v1/rooms/nowhere", null), 404, "not_found");
        assertError(node.api("PUT", "/api/v1/rooms/launch", "{}"), 405, "method_not_allowed");
        assertError(node.api("GET", "/api/v1/nothing", null), 404, "not_found");

        try (Joined ann = node.join(node.token("launch", "ann", Role.HOST))) {
            assertEquals(204, node.api("DELETE", "/api/v1/rooms/launch", null).statusCode());
            assertEquals("room_closed", ann.ws().expect("removed").path("reason").asText());
            assertEquals(1000, ann.ws().awaitClose());
        }
        assertError(node.api("GET", "/api/v1/rooms/launch", null), 404, "not_found");
        assertError(node.api("DELETE", "/api/v1/rooms/launch", null), 404, "not_found");
        node.api("DELETE", "/api/v1/rooms/" + generated.path("id").asText(), null);
    }

    @Test
    void participantsAreListedChangedMessagedAndRemoved() throws Exception {
        try (Joined ann = node.join(node.token("studio", "ann", Role.HOST));
             Joined bob = node.join(node.token("studio", "bob", Role.LISTENER))) {
            JsonNode list = TestNode.json(node.api("GET", "/api/v1/rooms/studio/participants", null));
            assertEquals(2, list.path("participants").size(), list.toString());
            JsonNode first = list.path("participants").get(0);
            assertEquals("ann", first.path("identity").asText());
            assertTrue(first.path("permissions").path("admin").asBoolean());
            assertFalse(first.path("hidden").asBoolean());

            bob.ws().request("raise_hand");
            ann.ws().expect("hand_raised");
            assertEquals(1, TestNode.json(node.api("GET", "/api/v1/rooms/studio", null)).path("hands").size());

            HttpResponse<String> promoted = node.api("PATCH", "/api/v1/rooms/studio/participants/bob",
                    "{\"role\": \"speaker\"}");
            assertEquals(200, promoted.statusCode(), promoted.body());
            assertEquals("speaker", TestNode.json(promoted).path("role").asText());
            JsonNode changed = bob.ws().expect("role_changed");
            assertEquals("api", changed.path("by").asText());
            assertEquals("approved", ann.ws().expect("hand_lowered").path("reason").asText());

            HttpResponse<String> granted = node.api("PATCH", "/api/v1/rooms/studio/participants/bob",
                    "{\"permissions\": {\"publish\": true, \"admin\": true}}");
            assertEquals(200, granted.statusCode(), granted.body());
            JsonNode perms = bob.ws().expect("permissions_changed").path("permissions");
            assertTrue(perms.path("publish").asBoolean());
            assertTrue(perms.path("admin").asBoolean());
            assertTrue(perms.path("subscribe").asBoolean(), "fields left out keep their value");
            assertEquals("ok", bob.ws().request("lower_hand", "participant", "ann").path("type").asText(),
                    "bob administers the room now");

            assertError(node.api("PATCH", "/api/v1/rooms/studio/participants/bob", "{\"role\": \"king\"}"), 400,
                    "bad_request");
            assertError(node.api("PATCH", "/api/v1/rooms/studio/participants/bob", "{}"), 400, "bad_request");
            assertError(node.api("PATCH", "/api/v1/rooms/studio/participants/bob",
                    "{\"permissions\": {\"publish\": 1}}"), 400, "bad_request");
            assertError(node.api("PATCH", "/api/v1/rooms/studio/participants/zed", "{\"role\": \"speaker\"}"), 404,
                    "not_found");

            assertEquals(204, node.api("POST", "/api/v1/rooms/studio/messages", "{\"text\": \"doors open\"}")
                    .statusCode());
            JsonNode chat = ann.ws().expect("chat");
            assertEquals("api", chat.path("from").asText());
            assertEquals("doors open", chat.path("text").asText());
            assertError(node.api("POST", "/api/v1/rooms/studio/messages", "{\"text\": \"\"}"), 400, "bad_request");
            assertError(node.api("POST", "/api/v1/rooms/studio/messages", "{}"), 400, "bad_request");
            assertError(node.api("POST", "/api/v1/rooms/elsewhere/messages", "{\"text\": \"hi\"}"), 404, "not_found");

            assertEquals(204, node.api("DELETE", "/api/v1/rooms/studio/participants/bob", null).statusCode());
            assertEquals("removed", bob.ws().expect("removed").path("reason").asText());
            assertEquals("removed", ann.ws().expect("participant_left", "bob").path("reason").asText());
            assertError(node.api("DELETE", "/api/v1/rooms/studio/participants/bob", null), 404, "not_found");
        }
    }

    @Test
    void corsIsOn() throws Exception {
        HttpResponse<String> r = node.api("GET", "/api/v1/rooms", null);
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null), r.headers().toString());
        HttpResponse<String> preflight = node.http("OPTIONS", "/api/v1/rooms", null, null, null);
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("PATCH"));
    }
}
