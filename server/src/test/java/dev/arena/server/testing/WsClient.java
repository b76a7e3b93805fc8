package dev.arena.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A signaling client over a real WebSocket (java.net.http): sends JSON, and takes received messages by what they
 * are (a reply by id, an event by type) whatever their order; messages not taken yet stay for later takes.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** Hang guard for one wait (not a timing assertion). */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> unread = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;
    private int nextId = 1;

    public static WsClient connect(URI uri) throws Exception {
        WsClient c = new WsClient();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, c).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return c;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                inbox.add(JSON.readTree(text));
            } catch (Exception e) {
                inbox.add(JSON.createObjectNode().put("type", "NOT JSON").put("text", text));
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    public void sendText(String text) throws Exception {
        ws.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public static ObjectNode msg(String type, Object... fieldsAndValues) {
        ObjectNode m = JSON.createObjectNode().put("type", type);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.set((String) fieldsAndValues[i], JSON.valueToTree(fieldsAndValues[i + 1]));
        }
        return m;
    }

    public void send(ObjectNode message) throws Exception {
        sendText(JSON.writeValueAsString(message));
    }

    /** Sends {@code type} with a fresh id and returns the reply to it ({@code ok}, {@code error}, ...). */
    public JsonNode request(String type, Object... fieldsAndValues) throws Exception {
        int id = nextId++;
        send(msg(type, fieldsAndValues).put("id", id));
        return take(m -> m.path("id").isInt() && m.path("id").intValue() == id, "the reply to " + type + " #" + id);
    }

    /** Like {@link #request}, failing unless the reply is {@code expectedType}. */
    public JsonNode call(String expectedType, String type, Object... fieldsAndValues) throws Exception {
        JsonNode r = request(type, fieldsAndValues);
        if (!expectedType.equals(r.path("type").asText())) {
            throw new AssertionError(type + " answered " + r + ", not " + expectedType);
        }
        return r;
    }

    /** The first message (received or still to come) of {@code type}. */
    public JsonNode expect(String type) throws InterruptedException {
        return take(m -> type.equals(m.path("type").asText()), "a message of type " + type);
    }

    /** The first message of {@code type} about {@code participant}. */
    public JsonNode expect(String type, String participant) throws InterruptedException {
        return take(m -> type.equals(m.path("type").asText()) && participant.equals(m.path("participant").asText()),
                type + " about " + participant);
    }

    public synchronized JsonNode take(Predicate<JsonNode> what, String description) throws InterruptedException {
        for (Iterator<JsonNode> it = unread.iterator(); it.hasNext(); ) {
            JsonNode m = it.next();
            if (what.test(m)) {
                it.remove();
                return m;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no " + description + "; unread: " + unread);
            }
            if (what.test(m)) {
                return m;
            }
            unread.add(m);
        }
    }

    /** Every message received so far that nobody took, then forgets them. */
    public synchronized List<JsonNode> drain() {
        inbox.drainTo(unread);
        List<JsonNode> out = new ArrayList<>(unread);
        unread.clear();
        return out;
    }

    /** The close status the node sent (waits for it). */
    public int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the connection without a close handshake reason the node would see as leave. */
    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        ws.abort();
    }
}
