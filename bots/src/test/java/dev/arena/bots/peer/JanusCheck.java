package dev.arena.bots.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: a manual check that a real Janus 1.1 VideoRoom (HTTP API at {@code args[0]}, default
 * http://127.0.0.1:8088/janus, room 1234) takes a publisher bot's offer and a subscriber bot's answer, and that
 * media flows. Run Janus and this inside the peers' network namespace (see /work/shared/peers/netns-run.sh).
 */
public final class JanusCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicLong TX = new AtomicLong();

    private JanusCheck() {
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8088/janus";
        try (UdpLoops loops = UdpLoops.start(1, UdpEndpoint.Transport.AUTO)) {
            BotContext context = new BotContext(loops, DtlsCertificate.shared(), InetAddress.getByName(args.length > 1 ? args[1] : "127.0.0.1"),
                    v -> { });
            long session = post(base, obj("janus", "create")).path("data").path("id").asLong();
            String s = base + "/" + session;
            long pubHandle = post(s, obj("janus", "attach").put("plugin", "janus.plugin.videoroom"))
                    .path("data").path("id").asLong();
            BotPeer publisher = new BotPeer(context, PeerPlan.publisher(TestSource.audio(), TestSource.video(500_000)));
            ObjectNode join = obj("request", "joinandconfigure").put("ptype", "publisher").put("room", 1234)
                    .put("display", "bot").put("audio", true).put("video", true);
            ObjectNode msg = obj("janus", "message");
            msg.set("body", join);
            msg.set("jsep", obj("type", "offer").put("sdp", publisher.createOffer()));
            post(s + "/" + pubHandle, msg);
            JsonNode joined = awaitEvent(s, "jsep");
            long feed = joined.path("plugindata").path("data").path("id").asLong();
            System.out.println("publisher joined as feed " + feed + "; answer:\n" + joined.path("jsep").path("sdp").asText());
            publisher.applyAnswer(joined.path("jsep").path("sdp").asText());
            publisher.connected().get(20, TimeUnit.SECONDS);
            System.out.println("publisher connected: " + publisher.stats());

            long subHandle = post(s, obj("janus", "attach").put("plugin", "janus.plugin.videoroom"))
                    .path("data").path("id").asLong();
            ObjectNode sub = obj("request", "join").put("ptype", "subscriber").put("room", 1234);
            sub.putArray("streams").addObject().put("feed", feed);
            ObjectNode subMsg = obj("janus", "message");
            subMsg.set("body", sub);
            post(s + "/" + subHandle, subMsg);
            JsonNode attached = awaitEvent(s, "jsep");
            String offer = attached.path("jsep").path("sdp").asText();
            System.out.println("Janus offers the subscriber:\n" + offer);
            BotPeer subscriber = new BotPeer(context, PeerPlan.listener(0, 0));
            String answer = subscriber.answerOffer(offer);
            ObjectNode start = obj("janus", "message");
            start.set("body", obj("request", "start"));
            start.set("jsep", obj("type", "answer").put("sdp", answer));
            post(s + "/" + subHandle, start);
            subscriber.connected().get(20, TimeUnit.SECONDS);
            subscriber.firstMedia().get(20, TimeUnit.SECONDS);
            Thread.sleep(5000);
            System.out.println("subscriber: " + subscriber.stats() + ", latency samples "
                    + subscriber.session().latencySamples());
            System.out.println("publisher: " + publisher.stats() + ", keyframe requests "
                    + publisher.session().keyframeRequestsReceived() + ", retransmissions "
                    + publisher.session().retransmissionsSent());
            subscriber.close();
            publisher.close();
            post(s, obj("janus", "destroy"));
        }
    }

    private static ObjectNode obj(String key, String value) {
        ObjectNode o = JSON.createObjectNode().put(key, value);
        if (key.equals("janus")) {
            o.put("transaction", "t" + TX.incrementAndGet());
        }
        return o;
    }

    private static JsonNode post(String url, JsonNode body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = JSON.readTree(r.body());
        if ("error".equals(j.path("janus").asText())) {
            throw new IllegalStateException("Janus: " + r.body());
        }
        return j;
    }

    /** Long-polls the session until an event with {@code field} comes. */
    private static JsonNode awaitEvent(String session, String field) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(session + "?maxev=1"))
                    .timeout(Duration.ofSeconds(40)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode j = JSON.readTree(r.body());
            if (j.has(field)) {
                return j;
            }
            if (j.path("plugindata").path("data").has("error")) {
                throw new IllegalStateException("Janus: " + r.body());
            }
            System.out.println("event: " + r.body().replace('\n', ' '));
        }
        throw new IllegalStateException("no event with " + field);
    }
}
