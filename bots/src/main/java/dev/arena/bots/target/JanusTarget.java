package dev.arena.bots.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.bots.peer.SdpPeer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Janus VideoRoom over Janus's HTTP API (REST requests and one long-poll). All bots of a target share one Janus
 * session (one long-poll, one keep-alive every 25 s) and each bot attaches its own VideoRoom handle: a PUBLISHER
 * joins as publisher and publishes with its offer; a LISTENER subscribes (Janus 1.1 multistream) to every publisher
 * in the room, Janus offers and the bot answers. Leaving detaches the handle. The room is created when missing
 * ({@code createRooms}) with a 1 Mbps bitrate cap, else it must exist ({@code no_such_room}).
 *
 * <p>The bots are ICE controlling and never gather candidates: the Janus they load should run with
 * {@code ice_lite = true} (nat section of janus.jcfg).
 */
public final class JanusTarget implements Target {
    static final String PLUGIN = "janus.plugin.videoroom";
    /** Below Janus's default session_timeout of 60 s. */
    static final Duration KEEPALIVE = Duration.ofSeconds(25);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_EVENTS_PER_POLL = 100;
    /** Janus holds a long-poll for 30 s before it answers with a keepalive. */
    private static final Duration POLL_HOLD = Duration.ofSeconds(30);

    private final URI base;
    private final boolean createRooms;
    private final Duration timeout;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Map<Long, CompletableFuture<Void>> rooms = new ConcurrentHashMap<>();
    private CompletableFuture<JanusSession> session; // guarded by this
    private volatile boolean closed;

    /**
     * @param janusUrl     the HTTP API, e.g. {@code http://127.0.0.1:8088/janus}
     * @param createRooms  create a missing room (else a join into it fails with {@code no_such_room})
     */
    public JanusTarget(URI janusUrl, boolean createRooms, Duration timeout) {
        this.base = URI.create(Objects.requireNonNull(janusUrl, "janusUrl").toString().replaceAll("/+$", ""));
        this.createRooms = createRooms;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "janus-keepalive");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "janus";
    }

    @Override
    public boolean supportsStage() {
        return false;
    }

    @Override
    public CompletableFuture<BotSession> join(BotSpec bot, SdpPeer peer) {
        long room;
        try {
            room = Long.parseLong(bot.room());
        } catch (NumberFormatException e) {
            return CompletableFuture.failedFuture(new TargetException("bad_room",
                    "a Janus VideoRoom is a number, got '" + bot.room() + "'"));
        }
        return session().thenCompose(s -> room(s, room).thenCompose(v -> s.attach())
                .thenCompose(handle -> {
                    JanusBot b = new JanusBot(s, handle, room, bot, peer, timeout);
                    CompletableFuture<Void> joined = bot.role() == BotRole.PUBLISHER ? b.publish() : b.subscribe();
                    return joined.handle((v, e) -> {
                        if (e != null) {
                            b.leave(); // detach: nothing stays open in Janus
                            throw Failures.wrap(e, null);
                        }
                        return (BotSession) b;
                    });
                }))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(Failures.of(e, "join")));
    }

    /** The shared Janus session, made on first use and again after one was lost. */
    private synchronized CompletableFuture<JanusSession> session() {
        if (closed) {
            return CompletableFuture.failedFuture(new TargetException("closed", "the Janus target is closed"));
        }
        if (session == null || session.isCompletedExceptionally()
                || (session.isDone() && session.join().lost())) {
            CompletableFuture<JanusSession> made = post(base, JSON.createObjectNode().put("janus", "create"))
                    .thenApply(r -> {
                        JanusSession s = new JanusSession(r.path("data").path("id").asLong());
                        s.poll();
                        s.keepAlive = timer.scheduleAtFixedRate(s::keepAlive, KEEPALIVE.toMillis(),
                                KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS);
                        return s;
                    });
            session = made;
        }
        return session;
    }

    /** Completes once the room exists (created here if missing and allowed). */
    private CompletableFuture<Void> room(JanusSession s, long room) {
        if (!createRooms) {
            return CompletableFuture.completedFuture(null); // the join says no_such_room if it is missing
        }
        CompletableFuture<Void> known = rooms.computeIfAbsent(room, r -> s.attach().thenCompose(handle -> {
            ObjectNode exists = JSON.createObjectNode().put("request", "exists").put("room", room);
            return s.message(handle, exists, null).thenCompose(reply -> {
                if (reply.path("plugindata").path("data").path("exists").asBoolean()) {
                    return CompletableFuture.completedFuture((Void) null);
                }
                ObjectNode create = JSON.createObjectNode().put("request", "create").put("room", room)
                        .put("publishers", 1000).put("bitrate", 1_024_000).put("fir_freq", 10)
                        .put("videocodec", "vp8").put("audiocodec", "opus").put("description", "arena bots");
                return s.message(handle, create, null).handle((v, e) -> {
                    // 427: created meanwhile by another target
                    if (e != null && !(Failures.of(e, null).reason().equals("janus_427"))) {
                        throw Failures.wrap(e, "create room " + room);
                    }
                    return (Void) null;
                });
            }).whenComplete((v, e) -> s.detach(handle));
        }));
        return known.whenComplete((v, e) -> {
            if (e != null) {
                rooms.remove(room, known); // the next bot tries again
            }
        });
    }

    /** POST a Janus request (a transaction added); a Janus error becomes a TargetException. */
    private CompletableFuture<JsonNode> post(URI uri, ObjectNode body) {
        if (!body.has("transaction")) {
            body.put("transaction", transaction());
        }
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        String what = body.path("janus").asText() + " " + body.path("body").path("request").asText("");
        return Failures.step(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()), timeout, what.strip())
                .thenApply(r -> parse(r, uri));
    }

    private static JsonNode parse(HttpResponse<String> r, URI uri) {
        if (r.statusCode() / 100 != 2) {
            throw new CompletionException(Failures.http(r.statusCode(), r.body(), uri));
        }
        JsonNode n;
        try {
            n = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new CompletionException(new TargetException("bad_response",
                    uri + " sent no JSON: " + Failures.excerpt(r.body())));
        }
        if (n.path("janus").asText().equals("error")) {
            throw new CompletionException(janusError(n.path("error").path("code").asInt(),
                    n.path("error").path("reason").asText()));
        }
        return n;
    }

    /** Janus error codes as reasons; the common ones by name. */
    static TargetException janusError(int code, String message) {
        String reason = switch (code) {
            case 426 -> "no_such_room";
            case 428 -> "no_such_feed";
            case 458 -> "no_such_session";
            default -> "janus_" + code;
        };
        return new TargetException(reason, "Janus error " + code + ": " + message);
    }

    private static String transaction() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        CompletableFuture<JanusSession> s;
        synchronized (this) {
            closed = true;
            s = session;
        }
        if (s != null && s.isDone() && !s.isCompletedExceptionally()) {
            s.join().destroy();
        }
        timer.shutdownNow();
        http.shutdownNow(); // close() would wait for open long-polls and WebSockets
    }

    /** The shared Janus session: its long-poll dispatches events to requests (by transaction) and bots (by handle). */
    final class JanusSession {
        final long id;
        final URI uri;
        private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final Map<Long, JanusBot> bots = new ConcurrentHashMap<>();
        private volatile boolean lost;
        volatile java.util.concurrent.ScheduledFuture<?> keepAlive;

        JanusSession(long id) {
            this.id = id;
            this.uri = URI.create(base + "/" + id);
        }

        boolean lost() {
            return lost;
        }

        CompletableFuture<Long> attach() {
            return post(uri, JSON.createObjectNode().put("janus", "attach").put("plugin", PLUGIN))
                    .thenApply(r -> r.path("data").path("id").asLong());
        }

        void register(long handle, JanusBot bot) {
            bots.put(handle, bot);
        }

        CompletableFuture<Void> detach(long handle) {
            bots.remove(handle);
            return post(URI.create(uri + "/" + handle), JSON.createObjectNode().put("janus", "detach"))
                    .handle((r, e) -> null);
        }

        /** No remote candidates will follow: the bot's offer or answer has all it gives (none, it never gathers). */
        CompletableFuture<Void> trickleCompleted(long handle) {
            ObjectNode trickle = JSON.createObjectNode().put("janus", "trickle");
            trickle.putObject("candidate").put("completed", true);
            return post(URI.create(uri + "/" + handle), trickle).thenApply(r -> null);
        }

        /**
         * A plugin request: the synchronous reply, or the event that answers it (by transaction). A plugin error
         * ({@code error_code}) fails it.
         */
        CompletableFuture<JsonNode> message(long handle, ObjectNode body, ObjectNode jsep) {
            String tx = transaction();
            ObjectNode msg = JSON.createObjectNode().put("janus", "message").put("transaction", tx);
            msg.set("body", body);
            if (jsep != null) {
                msg.set("jsep", jsep);
            }
            CompletableFuture<JsonNode> event = new CompletableFuture<>();
            pending.put(tx, event); // before the POST: the event can come back before its ack
            String what = body.path("request").asText();
            return post(URI.create(uri + "/" + handle), msg)
                    .thenCompose(r -> {
                        if (r.path("janus").asText().equals("ack")) {
                            return Failures.step(event, timeout, what);
                        }
                        return CompletableFuture.completedFuture(r);
                    })
                    .whenComplete((r, e) -> pending.remove(tx))
                    .thenApply(r -> {
                        JsonNode data = r.path("plugindata").path("data");
                        if (data.has("error_code")) {
                            throw new CompletionException(janusError(data.path("error_code").asInt(),
                                    data.path("error").asText()));
                        }
                        return r;
                    });
        }

        void poll() {
            if (lost || closed) {
                return;
            }
            URI pollUri = URI.create(uri + "?maxev=" + MAX_EVENTS_PER_POLL + "&rid=" + System.nanoTime());
            HttpRequest req = HttpRequest.newBuilder(pollUri).timeout(POLL_HOLD.plus(timeout)).GET().build();
            http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                try {
                    JsonNode events = e == null ? parse(r, uri) : null;
                    if (events != null) {
                        if (events.isArray()) {
                            events.forEach(this::dispatch);
                        } else {
                            dispatch(events);
                        }
                    }
                    if (e != null) {
                        lose(Failures.of(e, "Janus long-poll"));
                        return;
                    }
                } catch (RuntimeException ex) {
                    lose(Failures.of(ex, "Janus long-poll"));
                    return;
                }
                poll();
            });
        }

        private void dispatch(JsonNode ev) {
            String type = ev.path("janus").asText();
            String tx = ev.path("transaction").asText(null);
            if (tx != null && type.equals("event")) {
                CompletableFuture<JsonNode> f = pending.remove(tx);
                if (f != null) {
                    f.complete(ev);
                    return;
                }
            }
            JanusBot bot = bots.get(ev.path("sender").asLong());
            if (bot != null && (type.equals("hangup") || type.equals("detached"))) {
                bot.end(type.equals("hangup") ? "hangup:" + ev.path("reason").asText() : "detached");
            }
        }

        /** The session is gone (Janus down, or it timed the session out): every bot on it ends. */
        private void lose(TargetException why) {
            if (closed) {
                return;
            }
            lost = true;
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            pending.values().forEach(f -> f.completeExceptionally(why));
            pending.clear();
            bots.values().forEach(b -> b.end("connection_lost:" + why.reason()));
            bots.clear();
        }

        void keepAlive() {
            post(uri, JSON.createObjectNode().put("janus", "keepalive")).exceptionally(e -> null);
        }

        void destroy() {
            lost = true;
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            try {
                post(uri, JSON.createObjectNode().put("janus", "destroy")).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Janus times the session out anyway
            }
        }
    }
}
