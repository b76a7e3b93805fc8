package dev.arena.server.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arena.rtc.peers.ChromiumPeer;
import dev.arena.server.auth.AccessToken;
import dev.arena.server.auth.Grants;
import dev.arena.server.auth.Role;
import dev.arena.server.testing.TestNode;
import dev.arena.server.testing.TestNode.Joined;
import dev.arena.server.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The stage with real media, all over the signaling WebSocket: a listener raises a hand, the host approves, the
 * new speaker's real Chromium offer is answered and connects, a listener's receive-only peer connection (a second
 * one in the same Chromium page) decodes the speaker's video; demoted, the speaker's tracks are unpublished and
 * stop reaching the listener. The room's active speakers (from the speaker's audio levels) reach the host; when the
 * speaker's peer connection closes, it leaves the room with reason {@code failed}.
 */
class StageChromiumTest {

    /** The listener's peer connection in the harness page: recvonly transceivers added on demand. */
    private static final String LISTENER_JS = """
            (() => {
              const pc = new RTCPeerConnection({iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
              pc.ontrack = (ev) => {
                const el = document.createElement(ev.track.kind);
                el.autoplay = true; el.muted = true; el.playsInline = true;
                el.srcObject = new MediaStream([ev.track]);
                document.body.appendChild(el);
                el.play().catch(() => {});
              };
              const gathered = () => new Promise((resolve) => {
                const check = () => { if (pc.iceGatheringState === 'complete') resolve(); else setTimeout(check, 50); };
                check();
              });
              window.sub = {
                add: (audio, video) => {
                  for (let i = 0; i < audio; i++) pc.addTransceiver('audio', {direction: 'recvonly'});
                  for (let i = 0; i < video; i++) pc.addTransceiver('video', {direction: 'recvonly'});
                },
                offer: async () => {
                  await pc.setLocalDescription(await pc.createOffer());
                  await gathered();
                  return pc.localDescription.sdp;
                },
                answer: async (sdp) => { await pc.setRemoteDescription({type: 'answer', sdp}); return pc.connectionState; },
                state: () => pc.connectionState,
                stats: async () => {
                  const out = [];
                  (await pc.getStats()).forEach((s) => {
                    if (s.type === 'inbound-rtp') {
                      out.push({kind: s.kind, packetsReceived: s.packetsReceived || 0, framesDecoded: s.framesDecoded || 0});
                    }
                  });
                  return out;
                },
              };
              return true;
            })()""";

    @Test
    void anApprovedListenerSpeaksAndDemotionStopsItsMedia() throws Exception {
        try (TestNode node = TestNode.start();
             ChromiumPeer chromium = ChromiumPeer.start();
             Joined ann = node.join(node.token("live", "ann", Role.HOST));
             Joined bob = node.join(node.issuer.issue(AccessToken.of("live", "bob", Role.LISTENER)
                     .withGrants(new Grants(true, true, true, false, false))));
             Joined cat = node.join(node.token("live", "cat", Role.LISTENER))) {
            bob.ws().call("ok", "raise_hand");
            ann.ws().call("ok", "set_role", "participant", "bob", "role", "speaker");
            bob.ws().expect("role_changed");

            JsonNode answer = bob.ws().call("answer", "offer", "sdp", chromium.createOffer(true, true),
                    "tracks", Map.of("0", Map.of("source", "microphone"), "1", Map.of("source", "camera")));
            chromium.setAnswer(answer.path("sdp").asText());
            chromium.awaitState(ChromiumPeer.State::connected, Duration.ofSeconds(30));
            cat.ws().expect("track_published", "bob");
            cat.ws().expect("track_published", "bob");

            chromium.evaluate(LISTENER_JS);
            chromium.evaluate("window.sub.add(1, 1)");
            JsonNode sub = cat.ws().call("answer", "offer", "sdp", chromium.evaluate("window.sub.offer()"));
            for (JsonNode mid : sub.path("mids")) {
                assertEquals("recv", mid.path("direction").asText(), sub.path("mids").toString());
                assertEquals("bob", mid.path("participant").asText());
            }
            chromium.evaluate("window.sub.answer(" + WsClient.JSON.writeValueAsString(sub.path("sdp").asText()) + ")");
            await(chromium, s -> framesDecoded(s, "video") > 0, "the listener decodes the speaker's video");
            JsonNode speakers = ann.ws().take(m -> m.path("type").asText().equals("active_speakers")
                    && m.path("speakers").toString().contains("\"bob\""), "bob among the active speakers");
            assertEquals("bob", speakers.path("speakers").get(0).asText(), speakers.toString());

            ann.ws().call("ok", "set_role", "participant", "bob", "role", "listener");
            cat.ws().expect("track_unpublished", "bob");
            cat.ws().expect("track_unpublished", "bob");
            cat.ws().expect("offer_needed");
            awaitStable(chromium);

            // the speaker's peer connection goes away (DTLS close_notify): its transport closes, it leaves as failed
            chromium.evaluate("window.arena.close()");
            assertEquals("failed", cat.ws().expect("participant_left", "bob").path("reason").asText());
            assertEquals(1011, bob.ws().awaitClose());
        }
    }

    private static long framesDecoded(List<?> stats, String kind) {
        long n = 0;
        for (Object o : stats) {
            Map<?, ?> m = (Map<?, ?>) o;
            if (kind.equals(m.get("kind"))) {
                n += ((Number) m.get("framesDecoded")).longValue();
            }
        }
        return n;
    }

    private static long packets(ChromiumPeer chromium) {
        long n = 0;
        for (Object o : (List<?>) chromium.evaluate("window.sub.stats()")) {
            n += ((Number) ((Map<?, ?>) o).get("packetsReceived")).longValue();
        }
        return n;
    }

    /** Polls the listener's inbound stats until {@code done} (hang guard 30 s). */
    private static void await(ChromiumPeer chromium, Predicate<List<?>> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<?> s = (List<?>) chromium.evaluate("window.sub.stats()");
        while (!done.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + s + "; state " + chromium.evaluate("window.sub.state()"));
            }
            Thread.sleep(200);
            s = (List<?>) chromium.evaluate("window.sub.stats()");
        }
    }

    /** Waits until the listener's packet count stays the same over a second (hang guard 30 s). */
    private static void awaitStable(ChromiumPeer chromium) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long last = packets(chromium);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = packets(chromium);
            if (now == last) {
                return;
            }
            last = now;
        }
        throw new AssertionError("packets kept arriving after the demotion: " + last);
    }
}
