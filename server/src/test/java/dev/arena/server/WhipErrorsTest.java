package dev.arena.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.peers.AiortcPeer;
import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.auth.Grants;
import dev.arena.server.auth.Role;
import dev.arena.server.auth.TokenIssuer;
import dev.arena.server.whip.WhipService;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every refusal of WHIP/WHEP over real HTTP, with real offers from aiortc: the status, a readable body, the CORS
 * headers, and that nothing was created (no room, participant, transport or session).
 */
class WhipErrorsTest {
    private static final String MALFORMED_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nthis is not sdp\r\n";

    @Test
    void everyRefusalHasAStatusAReadableBodyAndCreatesNothing() throws Exception {
        try (WhipNode node = new WhipNode(); AiortcPeer aiortc = AiortcPeer.start()) {
            String offer = aiortc.offer();
            String speaker = node.token("stage", "obs", Role.SPEAKER);
            String listener = node.token("stage", "viewer", Role.LISTENER);
            Check c = new Check(node);

            // 401: no token, not Bearer, garbage, another node's key, expired
            c.refused(401, "MALFORMED", node.post("/whip/stage", null, offer));
            c.refused(401, "MALFORMED", node.send("POST", "/whip/stage", null, "application/sdp", offer));
            c.refused(401, "MALFORMED", node.post("/whip/stage", "not-a-jwt", offer));
            String foreign = TokenIssuer.forKeys(ApiKeys.generate()).issue(AccessToken.of("stage", "obs", Role.SPEAKER));
            c.refused(401, "UNKNOWN_KEY", node.post("/whip/stage", foreign, offer));
            Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
            String expired = new TokenIssuer(node.keys.primary(), past)
                    .issue(AccessToken.of("stage", "obs", Role.SPEAKER).withTtl(Duration.ofMinutes(5)));
            c.refused(401, "EXPIRED", node.post("/whip/stage", expired, offer));
            HttpResponse<String> noToken = node.post("/whep/stage", null, offer);
            assertTrue(noToken.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                    noToken.headers().map().toString());

            // 403: another room's token, a listener publishing, a token without subscribe watching
            c.refused(403, "WRONG_ROOM", node.post("/whip/stage", node.token("other", "obs", Role.SPEAKER), offer));
            c.refused(403, "MISSING_GRANT", node.post("/whip/stage", listener, offer));
            String deaf = node.issuer.issue(AccessToken.of("stage", "deaf", Role.SPEAKER)
                    .withGrants(Grants.forRole(Role.SPEAKER).with(dev.arena.server.auth.Grant.SUBSCRIBE, false)));
            c.refused(403, "MISSING_GRANT", node.post("/whep/stage", deaf, offer));

            // 413, 415, 400
            c.refused(413, "larger than 65536 bytes", node.post("/whip/stage", speaker,
                    offer + "a=x:" + "y".repeat(WhipService.MAX_BODY_BYTES) + "\r\n"));
            c.refused(415, "Content-Type must be application/sdp",
                    node.send("POST", "/whip/stage", speaker, "text/plain", offer));
            c.refused(415, "got none", node.send("POST", "/whip/stage", speaker, null, offer));
            SdpParseException parse = assertThrows(SdpParseException.class, () -> SessionDescription.parse(MALFORMED_SDP));
            c.refused(400, "malformed SDP offer: " + parse.getMessage(), node.post("/whip/stage", speaker, MALFORMED_SDP));
            c.refused(400, "bad room name", node.post("/whip/no.dots", speaker, offer));
            c.refused(400, "bad room name", node.post("/whip/" + "r".repeat(65), speaker, offer));

            // 422: aiortc's offer without its a=ssrc lines has nothing we can publish
            String noSsrc = offer.lines().filter(l -> !l.startsWith("a=ssrc")).collect(Collectors.joining("\r\n", "", "\r\n"));
            c.refused(422, "nothing to publish", node.post("/whip/stage", speaker, noSsrc));
            // ... and so has an offer with no codec in common (VP8 renamed to a codec we do not know)
            assertTrue(offer.contains("VP8/90000"), offer);
            c.refused(422, "nothing to publish", node.post("/whip/stage", speaker, offer.replace("VP8/90000", "XV9/90000")));
            // WHEP into a room where nothing is published: 404, and no room is made for it
            c.refused(404, "nothing is published in room 'stage'", node.post("/whep/stage", listener, offer));

            // 404 unknown resource and unknown paths; 405 wrong methods, with Allow
            c.refused(404, "no such session", node.send("DELETE", "/whip/stage/nope", speaker, null, null));
            c.refused(404, "not found", node.send("POST", "/whip/stage/x/y", speaker, "application/sdp", offer));
            HttpResponse<String> get = node.send("GET", "/whip/stage", speaker, null, null);
            c.refused(405, "GET is not allowed", get);
            assertEquals("POST, OPTIONS", get.headers().firstValue("Allow").orElse(null));
            HttpResponse<String> patch = node.send("PATCH", "/whip/stage/abc", speaker,
                    "application/trickle-ice-sdpfrag", "a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n");
            c.refused(405, "ICE-lite", patch);
            assertEquals("DELETE, OPTIONS", patch.headers().firstValue("Allow").orElse(null));

            // the CORS preflight
            HttpResponse<String> preflight = node.send("OPTIONS", "/whip/stage", null, null, null);
            assertEquals(204, preflight.statusCode());
            assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
            String allowHeaders = preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("");
            assertTrue(allowHeaders.contains("Authorization") && allowHeaders.contains("Content-Type"), allowHeaders);
            assertTrue(preflight.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Location"));
            assertTrue(preflight.headers().firstValue("Access-Control-Max-Age").isPresent());
            assertTrue(node.send("OPTIONS", "/whip/stage/abc", null, null, null).headers()
                    .firstValue("Access-Control-Allow-Methods").orElse("").contains("DELETE"));
            c.nothingCreated("after the refusals");

            // with a publisher in the room: WHEP with an offer that receives nothing (422), a second session of
            // the same identity (409), a DELETE by someone else (403); none of them changes the room
            HttpResponse<String> published = node.post("/whip/stage", speaker, offer);
            assertEquals(201, published.statusCode(), published.body());
            aiortc.answer(published.body());
            aiortc.awaitState("connected", Duration.ofSeconds(30));
            String location = published.headers().firstValue("Location").orElseThrow();
            c.refusedWithRoom(422, "no audio or video section that receives", node.post("/whep/stage", listener, offer));
            c.refusedWithRoom(409, "'obs' is already in room 'stage'", node.post("/whip/stage", speaker, offer));
            c.refusedWithRoom(403, "belongs to 'obs'", node.send("DELETE", location,
                    node.token("stage", "intruder", Role.SPEAKER), null, null));
            c.refusedWithRoom(403, "MISSING_GRANT", node.send("DELETE", location, listener, null, null));
            c.refusedWithRoom(404, "no such session", node.send("DELETE",
                    location.replace("/whip/", "/whep/"), listener, null, null));
            c.refusedWithRoom(401, "MALFORMED", node.send("DELETE", location, null, null, null));

            assertEquals(200, node.send("DELETE", location, speaker, null, null).statusCode());
            assertTrue(WhipNode.await(() -> node.rooms.count() == 0 && node.transports.transportCount() == 0,
                    Duration.ofSeconds(10)), "room and transport closed");
            c.nothingCreated("after the publisher left");
        }
    }

    /** Asserts a refusal and what it left behind. */
    private record Check(WhipNode node) {
        void refused(int status, String bodyPart, HttpResponse<String> r) {
            assertResponse(status, bodyPart, r);
            nothingCreated(r.request().method() + " " + r.uri().getPath() + " -> " + status);
        }

        void refusedWithRoom(int status, String bodyPart, HttpResponse<String> r) {
            assertResponse(status, bodyPart, r);
            String what = r.request().method() + " " + r.uri().getPath() + " -> " + status;
            assertEquals(1, node.rooms.count(), what);
            assertEquals(1, node.rooms.participantCount(), what);
            assertEquals(1, node.transports.transportCount(), what);
            assertEquals(1, node.whip.resourceCount(), what);
        }

        void assertResponse(int status, String bodyPart, HttpResponse<String> r) {
            String what = r.request().method() + " " + r.uri().getPath();
            assertEquals(status, r.statusCode(), what + ": " + r.body());
            assertTrue(r.body().contains(bodyPart), what + ": body '" + r.body() + "' should contain '" + bodyPart + "'");
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), what);
            assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null), what);
            if (status == 401) {
                assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), what);
            }
        }

        void nothingCreated(String what) {
            assertEquals(0, node.rooms.count(), "rooms " + what);
            assertEquals(0, node.rooms.participantCount(), "participants " + what);
            assertEquals(0, node.transports.transportCount(), "transports " + what);
            assertEquals(0, node.whip.resourceCount(), "sessions " + what);
        }
    }
}
