package dev.arena.bots.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.bots.peer.PeerException;
import dev.arena.bots.peer.SdpPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** One bot's VideoRoom handle on the shared Janus session. */
final class JanusBot extends StagelessSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often a subscriber looks again for a publisher to watch, until its timeout. */
    private static final Duration PUBLISHER_RETRY = Duration.ofMillis(500);

    private final JanusTarget.JanusSession session;
    private final long handle;
    private final long room;
    private final BotSpec bot;
    private final SdpPeer peer;
    private final Duration timeout;
    private final CompletableFuture<String> ended = new CompletableFuture<>();

    JanusBot(JanusTarget.JanusSession session, long handle, long room, BotSpec bot, SdpPeer peer, Duration timeout) {
        super("the Janus target");
        this.session = session;
        this.handle = handle;
        this.room = room;
        this.bot = bot;
        this.peer = peer;
        this.timeout = timeout;
        session.register(handle, this);
    }

    /** Join as publisher, publish with the peer's offer, apply Janus's answer. */
    CompletableFuture<Void> publish() {
        ObjectNode join = JSON.createObjectNode().put("request", "join").put("ptype", "publisher").put("room", room)
                .put("display", bot.identity());
        return session.message(handle, join, null)
                .thenCompose(joined -> session.message(handle, JSON.createObjectNode().put("request", "publish"),
                        jsep("offer", peer.createOffer())))
                .thenAccept(reply -> {
                    try {
                        peer.applyAnswer(sdpOf(reply, "answer"));
                    } catch (PeerException e) {
                        throw new CompletionException(new TargetException("bad_sdp",
                                "Janus answer not usable: " + e.getMessage(), e));
                    }
                })
                .thenCompose(v -> session.trickleCompleted(handle));
    }

    /** Subscribe to every publisher of the room: Janus offers, the peer answers, start. */
    CompletableFuture<Void> subscribe() {
        long deadline = System.nanoTime() + timeout.toNanos();
        return publishers(deadline).thenCompose(feeds -> {
            ObjectNode join = JSON.createObjectNode().put("request", "join").put("ptype", "subscriber")
                    .put("room", room);
            var streams = join.putArray("streams");
            feeds.forEach(f -> streams.addObject().put("feed", f));
            return session.message(handle, join, null);
        }).thenCompose(attached -> {
            String answer;
            try {
                answer = peer.answerOffer(sdpOf(attached, "offer"));
            } catch (PeerException e) {
                throw new CompletionException(new TargetException("bad_sdp",
                        "Janus offer not usable: " + e.getMessage(), e));
            }
            return session.message(handle, JSON.createObjectNode().put("request", "start"), jsep("answer", answer));
        }).thenCompose(started -> session.trickleCompleted(handle));
    }

    /** The room's publishers' feed ids, looked for again until some publish or the deadline passes. */
    private CompletableFuture<List<Long>> publishers(long deadline) {
        ObjectNode list = JSON.createObjectNode().put("request", "listparticipants").put("room", room);
        return session.message(handle, list, null).thenCompose(reply -> {
            List<Long> feeds = new ArrayList<>();
            for (JsonNode p : reply.path("plugindata").path("data").path("participants")) {
                if (p.path("publisher").asBoolean()) {
                    feeds.add(p.path("id").asLong());
                }
            }
            if (!feeds.isEmpty()) {
                return CompletableFuture.completedFuture(feeds);
            }
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(new TargetException("no_publisher",
                        "nobody publishes in Janus room " + room + " to subscribe to"));
            }
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(PUBLISHER_RETRY.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(v -> publishers(deadline));
        });
    }

    private static ObjectNode jsep(String type, String sdp) {
        return JSON.createObjectNode().put("type", type).put("sdp", sdp);
    }

    private static String sdpOf(JsonNode reply, String type) {
        JsonNode jsep = reply.path("jsep");
        if (!jsep.path("type").asText().equals(type) || !jsep.hasNonNull("sdp")) {
            throw new CompletionException(new TargetException("bad_response",
                    "Janus sent no " + type + ": " + reply.path("plugindata").path("data")));
        }
        return jsep.path("sdp").asText();
    }

    void end(String reason) {
        ended.complete(reason);
    }







    /** Detaching the handle hangs up its PeerConnection and leaves the room. */
    @Override
    public CompletableFuture<Void> leave() {
        return session.detach(handle).whenComplete((v, e) -> end("left"));
    }

    @Override
    public CompletableFuture<String> ended() {
        return ended;
    }
}
