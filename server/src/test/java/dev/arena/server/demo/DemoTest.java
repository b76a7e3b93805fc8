package dev.arena.server.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arena.server.auth.AccessClaims;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenVerifier;
import dev.arena.server.testing.TestNode;
import dev.arena.server.testing.TestNode.Joined;
import dev.arena.server.testing.WsClient;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.config.RoomLimits;
import dev.arena.server.http.HttpRequest;
import dev.arena.server.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo app's endpoints over real HTTP: an event with its host's token, audience tokens, and the demo off. */
class DemoTest {

    private static java.net.http.HttpResponse<String> post(TestNode node, String path, String json) throws Exception {
        return node.http("POST", path, null, "application/json", json);
    }

    @Test
    void anEventGivesAHostTokenAndTheAudienceGetsTokens() throws Exception {
        try (TestNode node = TestNode.start()) {
            java.net.http.HttpResponse<String> created = post(node, "/demo/events", "{\"hostName\": \"Ann\", \"title\": \"Launch\"}");
            assertEquals(201, created.statusCode(), created.body());
            JsonNode event = TestNode.json(created);
            String room = event.path("room").asText();
            assertTrue(event.path("audienceUrl").asText().endsWith("/?room=" + room), event.toString());
            assertTrue(event.path("audienceUrl").asText().startsWith("http://127.0.0.1:" + node.node.httpPort()));
            TokenVerifier verifier = new TokenVerifier(node.node.apiKeys());
            AccessClaims host = verifier.verify(event.path("hostToken").asText(), room);
            assertEquals(Role.HOST, host.role());
            assertEquals("Ann", host.name());
            assertEquals(event.path("identity").asText(), host.identity());
            assertTrue(host.grants().roomAdmin() && host.grants().publish() && host.grants().subscribe());
            assertTrue(Duration.between(host.issuedAt(), host.expiresAt()).toHours() >= 2);

            java.net.http.HttpResponse<String> t1 = post(node, "/demo/tokens", "{\"room\": \"" + room + "\", \"name\": \"Bob\"}");
            assertEquals(201, t1.statusCode(), t1.body());
            JsonNode bob = TestNode.json(t1);
            AccessClaims claims = verifier.verify(bob.path("token").asText(), room);
            assertEquals(Role.LISTENER, claims.role());
            assertTrue(claims.grants().publish() && claims.grants().subscribe() && !claims.grants().roomAdmin());
            assertEquals(bob.path("identity").asText(), claims.identity());
            JsonNode again = TestNode.json(post(node, "/demo/tokens", "{\"room\": \"" + room + "\", \"name\": \"Bob\"}"));
            assertNotEquals(bob.path("identity").asText(), again.path("identity").asText(), "identities are unique");

            try (Joined h = node.join(event.path("hostToken").asText());
                 Joined b = node.join(bob.path("token").asText())) {
                assertEquals("Launch", h.joined().path("room").path("title").asText());
                assertEquals("host", h.joined().path("you").path("role").asText());
                assertEquals("listener", b.joined().path("you").path("role").asText());
            }

            assertEquals(404, post(node, "/demo/tokens", "{\"room\": \"no-such\", \"name\": \"Bob\"}").statusCode());
            assertEquals(400, post(node, "/demo/tokens", "{\"room\": \"" + room + "\"}").statusCode());
            assertEquals(400, post(node, "/demo/events", "{}").statusCode());
            assertEquals(400, post(node, "/demo/events", "{\"hostName\": \"" + "x".repeat(65) + "\"}").statusCode());
            assertEquals(405, node.http("GET", "/demo/events", null, null, null).statusCode());
        }
    }

    @Test
    void eventsAreBoundedAndCloseWhenTheirTokensExpire() throws Exception {
        try (TestNode node = TestNode.start()) {
            AtomicLong now = new AtomicLong(1_000_000);
            DemoService demo = new DemoService(true, node.node.roomService(), RoomLimits.DEFAULTS,
                    node.issuer, now::get, 2);
            String first = WsClient.JSON.readTree(event(demo)).path("room").asText();
            event(demo);
            HttpResponse full = demo.handle(HttpRequest.of("POST", "/demo/events", h -> "application/json",
                    "{\"hostName\": \"Cy\"}".getBytes(StandardCharsets.UTF_8)));
            assertEquals(503, full.status(), full.bodyText());
            assertTrue(node.node.stage().exists(first));

            try (Joined host = node.join(node.issuer.issue(AccessToken.of(first, "ann", Role.HOST)))) {
                now.addAndGet(DemoService.TOKEN_TTL.toMillis() + 1);
                assertEquals(201, demo.handle(HttpRequest.of("POST", "/demo/events", h -> "application/json",
                        "{\"hostName\": \"Di\"}".getBytes(StandardCharsets.UTF_8))).status());
                assertEquals("room_closed", host.ws().expect("removed").path("reason").asText());
                assertFalse(node.node.stage().exists(first));
            }
        }
    }

    private static String event(DemoService demo) {
        HttpResponse r = demo.handle(HttpRequest.of("POST", "/demo/events", h -> "application/json",
                "{\"hostName\": \"Ann\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, r.status(), r.bodyText());
        return r.bodyText();
    }

    @Test
    void theDemoCanBeTurnedOff() throws Exception {
        try (TestNode node = TestNode.start("--demo=false")) {
            assertEquals(404, post(node, "/demo/events", "{\"hostName\": \"Ann\"}").statusCode());
            assertEquals(404, post(node, "/demo/tokens", "{\"room\": \"r\", \"name\": \"Bob\"}").statusCode());
        }
    }
}
