package dev.arena.bots.peer;

import dev.arena.bots.media.MediaSources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.bots.media.MediaKind;
import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import dev.arena.server.auth.Role;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Re-offers on one transport against a real Arena node over its WebSocket signaling (docs/protocol.md): a speaker
 * bot joins receiving a WHIP publisher's tracks, then publishes on the same connection (offerToPublish), adds
 * receivers (offerMoreReceivers) and stops publishing (offerToStopPublishing); a WHEP listener sees its media.
 */
class BotPeerRenegotiationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A minimal signaling client: messages in a queue, requests answered by id. */
    private static final class Signaling implements WebSocket.Listener {
        final BlockingQueue<JsonNode> in = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final AtomicInteger ids = new AtomicInteger();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    in.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonNode call(ObjectNode request, String replyType) throws Exception {
            int id = ids.incrementAndGet();
            request.put("id", id);
            ws.sendText(request.toString(), true).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                JsonNode m = in.poll(1, TimeUnit.SECONDS);
                if (m != null && m.path("id").asInt(-1) == id) {
                    assertEquals(replyType, m.path("type").asText(), m.toString());
                    return m;
                }
            }
            throw new AssertionError("no " + replyType + " to " + request.path("type").asText());
        }

        JsonNode offer(String sdp) throws Exception {
            return call(JSON.createObjectNode().put("type", "offer").put("sdp", sdp), "answer");
        }
    }

    @Test
    void aSpeakerBotPublishesAddsReceiversAndStopsOnOneTransport() throws Exception {
        try (ArenaNode arena = new ArenaNode(); UdpLoops loops = UdpLoops.start(1, UdpEndpoint.Transport.AUTO)) {
            BotContext context = new BotContext(loops, DtlsCertificate.shared(), InetAddress.getLoopbackAddress(),
                    v -> { });
            try (BotPeer first = new BotPeer(context, PeerPlan.publisher(MediaSources.synthetic(MediaKind.AUDIO, 32_000), MediaSources.synthetic(MediaKind.VIDEO, 300_000)));
                 BotPeer speaker = new BotPeer(context, PeerPlan.listener(1, 1));
                 BotPeer watcher = new BotPeer(context, PeerPlan.listener(2, 2))) {
                HttpResponse<String> r = arena.post("whip", "live", arena.token("live", "first", Role.SPEAKER),
                        first.createOffer());
                assertEquals(201, r.statusCode(), r.body());
                first.applyAnswer(r.body());
                first.connected().get(20, TimeUnit.SECONDS);

                Signaling sig = new Signaling();
                sig.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + arena.node.httpPort() + "/ws"), sig)
                        .get(10, TimeUnit.SECONDS);
                sig.call(JSON.createObjectNode().put("type", "join").put("v", 1)
                        .put("token", arena.token("live", "bot-speaker", Role.SPEAKER)), "joined");
                JsonNode answer = sig.offer(speaker.createOffer());
                assertEquals("recv", answer.path("mids").path("1").path("direction").asText(), answer.toString());
                speaker.applyAnswer(answer.path("sdp").asText());
                speaker.firstMedia().get(20, TimeUnit.SECONDS);

                JsonNode published = sig.offer(speaker.offerToPublish(MediaSources.synthetic(MediaKind.AUDIO, 32_000), MediaSources.synthetic(MediaKind.VIDEO, 300_000)));
                assertEquals("send", published.path("mids").path("2").path("direction").asText(), published.toString());
                assertEquals("send", published.path("mids").path("3").path("direction").asText(), published.toString());
                speaker.applyAnswer(published.path("sdp").asText());

                HttpResponse<String> w = arena.post("whep", "live", arena.token("live", "watcher", Role.LISTENER),
                        watcher.createOffer());
                assertEquals(201, w.statusCode(), w.body());
                watcher.applyAnswer(w.body());
                watcher.firstMedia().get(20, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (watcher.session().receivingStreams() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(4, watcher.session().receivingStreams(), "both publishers' audio and video arrive: "
                        + watcher.stats());
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // the watcher may see its streams first
                while (speaker.stats().packetsSent() <= 20 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(speaker.stats().packetsSent() > 20, "the speaker bot publishes: " + speaker.stats());

                JsonNode more = sig.offer(speaker.offerMoreReceivers(0, 1));
                assertEquals("inactive", more.path("mids").path("4").path("direction").asText(), more.toString());
                speaker.applyAnswer(more.path("sdp").asText());

                JsonNode stopped = sig.offer(speaker.offerToStopPublishing());
                speaker.applyAnswer(stopped.path("sdp").asText());
                long sentAtStop = speaker.stats().packetsSent();
                Thread.sleep(500);
                assertEquals(sentAtStop, speaker.stats().packetsSent(), "sending stopped at once");
                assertTrue(speaker.session().receivedPackets(MediaKind.VIDEO) > 0, "still receiving");
                assertEquals(0, speaker.stats().authFailures());
                sig.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }
    }
}
