package dev.arena.bots.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.bots.media.MediaSource;
import dev.arena.bots.peer.PeerException;
import dev.arena.bots.peer.SdpPeer;
import java.io.IOException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One bot's WebSocket to an Arena node: requests by id, the node's events, one negotiation at a time. */
final class ArenaSession implements BotSession, WebSocket.Listener {
    private static final Logger log = LoggerFactory.getLogger(ArenaSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BotSpec bot;
    private final SdpPeer peer;
    private final Duration timeout;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> promoted = new CompletableFuture<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket ws;
    private volatile String identity;
    private volatile boolean leaving;
    /** The JDK WebSocket takes one send at a time: each waits for the one before. Guarded by this. */
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
    /** Done once the first answer is applied (or failed): an early offer_needed must not come before it. */
    private final CompletableFuture<Void> firstExchange = new CompletableFuture<>();
    /** One offer at a time (the node refuses a second with negotiation_in_progress). Guarded by this. */
    private CompletableFuture<?> negotiations = firstExchange;

    ArenaSession(BotSpec bot, SdpPeer peer, Duration timeout) {
        this.bot = bot;
        this.peer = peer;
        this.timeout = timeout;
        this.identity = bot.identity();
    }

    CompletableFuture<Void> join(String token) {
        ObjectNode join = JSON.createObjectNode().put("v", 1).put("token", token).put("room", bot.room());
        return request("join", join).thenAccept(joined -> {
            String you = joined.path("you").path("identity").asText(null);
            if (you != null) {
                identity = you; // a demo token's identity is the node's choice
            }
            String role = joined.path("you").path("role").asText("");
            if (role.equals("speaker") || role.equals("host")) {
                promoted.complete(null);
            }
        });
    }

    /** The first offer and answer, right after joined; re-offers queue behind it. */
    CompletableFuture<Void> firstNegotiation() {
        CompletableFuture<Void> done;
        try {
            done = exchange(peer::createOffer);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((v, e) -> firstExchange.complete(null));
    }

    /** A re-offer (made by {@code offer} when its turn comes), answer, applied; after every earlier negotiation. */
    synchronized CompletableFuture<Void> negotiate(Supplier<String> offer) {
        CompletableFuture<Void> next = negotiations.handle((v, e) -> null).thenCompose(v -> ended.isDone()
                ? CompletableFuture.failedFuture(new TargetException("ended", "the session has ended"))
                : exchange(offer));
        negotiations = next;
        return next;
    }

    private CompletableFuture<Void> exchange(Supplier<String> offer) {
        return request("offer", JSON.createObjectNode().put("sdp", offer.get()))
                .thenAccept(answer -> {
                    try {
                        peer.applyAnswer(answer.path("sdp").asText());
                    } catch (PeerException e) {
                        throw new CompletionException(new TargetException("bad_sdp",
                                "answer not usable: " + e.getMessage(), e));
                    }
                });
    }

    private CompletableFuture<JsonNode> request(String type, ObjectNode fields) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        fields.put("type", type).put("id", id);
        send(fields.toString()).whenComplete((v, e) -> {
            if (e != null) {
                reply.completeExceptionally(Failures.of(e, "send " + type));
            }
        });
        return Failures.step(reply, timeout, type).whenComplete((v, e) -> pending.remove(id));
    }

    private synchronized CompletableFuture<?> send(String text) {
        WebSocket socket = ws;
        if (socket == null) {
            return CompletableFuture.failedFuture(new TargetException("not_connected", "no WebSocket"));
        }
        sends = sends.handle((v, e) -> null).thenCompose(v -> socket.sendText(text, true));
        return sends;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                dispatch(JSON.readTree(text));
            } catch (IOException e) {
                log.debug("{}: not JSON from the node: {}", bot.identity(), Failures.excerpt(text));
            } catch (RuntimeException e) {
                log.warn("{}: handling a message failed", bot.identity(), e);
            }
        }
        webSocket.request(1);
        return null;
    }

    private void dispatch(JsonNode msg) {
        String type = msg.path("type").asText();
        JsonNode id = msg.get("id");
        if (id != null && id.canConvertToInt()) {
            CompletableFuture<JsonNode> reply = pending.remove(id.asInt());
            if (reply != null) {
                if (type.equals("error")) {
                    reply.completeExceptionally(nodeError(msg));
                } else {
                    reply.complete(msg);
                }
                return;
            }
        }
        switch (type) {
            case "offer_needed" -> {
                int audio = msg.path("recv").path("audio").asInt();
                int video = msg.path("recv").path("video").asInt();
                negotiate(() -> peer.offerMoreReceivers(audio, video)).whenComplete((v, e) -> {
                    if (e != null) {
                        // a bot that cannot follow the room is broken: end it (counted by the caller), not the run
                        TargetException te = Failures.of(e, "re-offer");
                        log.debug("{}: re-offer failed: {}", bot.identity(), te.getMessage());
                        end("renegotiation_failed:" + te.reason());
                        abort();
                    }
                });
            }
            case "role_changed" -> {
                String role = msg.path("role").asText();
                if (identity.equals(msg.path("participant").asText())) {
                    if (role.equals("speaker") || role.equals("host")) {
                        promoted.complete(null);
                    } else if (role.equals("listener") && promoted.isDone() && !promoted.isCompletedExceptionally()) {
                        // sent back to the audience (the node unpublished its tracks): stop sending, or the next
                        // re-offer, still sending, is refused with publish_not_allowed
                        negotiate(peer::offerToStopPublishing);
                    }
                }
            }
            case "removed" -> end(msg.path("reason").asText("removed"));
            case "error" -> log.debug("{}: node error {}", bot.identity(), msg);
            default -> {
                // room events the bots do not need
            }
        }
    }

    private static TargetException nodeError(JsonNode msg) {
        return new TargetException(msg.path("code").asText("error"), msg.path("message").asText(""));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(leaving ? "left" : "connection_closed");
        failPending(new TargetException("connection_closed",
                "the node closed the WebSocket: " + statusCode + (reason.isEmpty() ? "" : " " + reason)));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(leaving ? "left" : "connection_lost");
        failPending(Failures.of(error, "WebSocket"));
    }

    private void failPending(TargetException e) {
        pending.values().forEach(f -> f.completeExceptionally(e));
        pending.clear();
    }

    private void end(String reason) {
        ended.complete(reason);
        promoted.completeExceptionally(new TargetException("ended", "the session ended before a promotion: " + reason));
    }

    /** Drops the connection at once (a failed join, a broken bot). */
    void abort() {
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
        end(leaving ? "left" : "aborted");
        failPending(new TargetException("aborted", "the session was aborted"));
    }

    @Override
    public CompletableFuture<Void> raiseHand() {
        return request("raise_hand", JSON.createObjectNode()).thenApply(v -> null);
    }

    @Override
    public CompletableFuture<Void> promote(String participant) {
        return setRole(participant, "speaker");
    }

    @Override
    public CompletableFuture<Void> demote(String participant) {
        return setRole(participant, "listener");
    }

    private CompletableFuture<Void> setRole(String participant, String role) {
        return request("set_role", JSON.createObjectNode().put("participant", participant).put("role", role))
                .thenApply(v -> null);
    }

    @Override
    public CompletableFuture<Void> promoted() {
        return promoted;
    }

    @Override
    public CompletableFuture<Void> publish(MediaSource audio, MediaSource video) {
        return negotiate(() -> peer.offerToPublish(audio, video));
    }

    @Override
    public CompletableFuture<Void> leave() {
        leaving = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        ended.whenComplete((r, e) -> done.complete(null));
        // the node closes the connection after leave; if it does not in time, drop it
        send(JSON.createObjectNode().put("type", "leave").toString()).whenComplete((v, e) -> {
            if (e != null) {
                done.complete(null);
            }
        });
        return done.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> abort());
    }

    @Override
    public CompletableFuture<String> ended() {
        return ended;
    }

    String identity() {
        return identity;
    }
}
