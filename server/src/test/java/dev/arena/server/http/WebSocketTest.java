package dev.arena.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WebSocket endpoints of {@link WebServer} with the JDK's java.net.http.WebSocket client (and one raw socket). */
class WebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<WebServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(WebServer::close);
    }

    /** Echoes every message back, and records what happened to it, in order. */
    static final class EchoHandler implements WebSocketHandler {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile WebSocketSession session;

        @Override
        public void onOpen(WebSocketSession s) {
            session = s;
            threads.add(Thread.currentThread().isVirtual() ? "virtual" : Thread.currentThread().getName());
            events.add("open " + s.remoteAddress().getAddress().getHostAddress());
        }

        @Override
        public void onText(WebSocketSession s, String text) {
            threads.add(Thread.currentThread().isVirtual() ? "virtual" : Thread.currentThread().getName());
            if (text.equals("close-me")) {
                s.close(4000, "asked to");
                return;
            }
            s.send(text);
        }

        @Override
        public void onClose(WebSocketSession s, int status, String reason) {
            events.add("close " + status + " " + reason);
        }

        String next() throws InterruptedException {
            String e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(e, "an event within " + WAIT);
            return e;
        }
    }

    /** A client listener that collects whole messages and the close. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete("error " + error);
        }

        String next() throws InterruptedException {
            String m = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(m, "a message within " + WAIT);
            return m;
        }

        String awaitClose() throws Exception {
            return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private WebServer start(EchoHandler handler, boolean trustProxy) throws Exception {
        WebServer web = new WebServer(new InetSocketAddress("127.0.0.1", 0), null, trustProxy)
                .webSocket("/ws", handler);
        servers.add(web);
        return web.start();
    }

    private WebSocket connect(WebServer web, Client listener, String... headers) throws Exception {
        WebSocket.Builder b = client.newWebSocketBuilder();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.buildAsync(URI.create("ws://127.0.0.1:" + web.port() + "/ws"), listener)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void messagesComeBackInOrderAndCallbacksRunOffTheEventLoop() throws Exception {
        EchoHandler handler = new EchoHandler();
        WebServer web = start(handler, false);
        Client listener = new Client();
        WebSocket ws = connect(web, listener);
        assertEquals("open 127.0.0.1", handler.next());
        int n = 2000;
        for (int i = 0; i < n; i++) {
            ws.sendText("message " + i + " " + "x".repeat(i % 300), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        for (int i = 0; i < n; i++) {
            assertEquals("message " + i + " " + "x".repeat(i % 300), listener.next());
        }
        // a message in fragments is delivered whole
        ws.sendText("frag", false).get();
        ws.sendText("ment", false).get();
        ws.sendText("ed ✓", true).get();
        assertEquals("fragmented ✓", listener.next());
        assertTrue(handler.threads.stream().allMatch("virtual"::equals), handler.threads.toString());

        ws.sendClose(1000, "bye").get();
        assertEquals("1000 ", listener.awaitClose(), "the server echoes the close");
        assertEquals("close 1000 bye", handler.next());
        assertEquals(null, handler.events.poll(300, TimeUnit.MILLISECONDS), "onClose comes once");
        assertFalse(handler.session.isOpen());
        handler.session.send("too late"); // dropped, no exception
    }

    @Test
    void sendIsSafeFromManyThreadsAndKeepsEachThreadsOrder() throws Exception {
        EchoHandler handler = new EchoHandler();
        WebServer web = start(handler, false);
        Client listener = new Client();
        connect(web, listener);
        handler.next();
        int threads = 4;
        int each = 500;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    handler.session.send(id + ":" + i);
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        int[] next = new int[threads];
        for (int i = 0; i < threads * each; i++) {
            String[] m = listener.next().split(":");
            int id = Integer.parseInt(m[0]);
            assertEquals(next[id]++, Integer.parseInt(m[1]), "thread " + id + "'s messages in order");
        }
    }

    @Test
    void aMessageOverOneMebibyteClosesWith1009() throws Exception {
        EchoHandler handler = new EchoHandler();
        WebServer web = start(handler, false);

        Client whole = new Client();
        WebSocket ws = connect(web, whole);
        handler.next();
        ws.sendText("y".repeat(WebServer.MAX_WEBSOCKET_MESSAGE_BYTES), true).get();
        assertEquals(WebServer.MAX_WEBSOCKET_MESSAGE_BYTES, whole.next().length(), "exactly the limit is fine");
        ws.sendText("y".repeat(WebServer.MAX_WEBSOCKET_MESSAGE_BYTES + 1), true);
        assertTrue(whole.awaitClose().startsWith("1009"), whole.closed.get());
        assertTrue(handler.next().startsWith("close 1009"));

        Client fragmented = new Client();
        ws = connect(web, fragmented);
        handler.next();
        ws.sendText("z".repeat(600 * 1024), false).get();
        ws.sendText("z".repeat(600 * 1024), true);
        assertTrue(fragmented.awaitClose().startsWith("1009"), fragmented.closed.get());
        assertTrue(handler.next().startsWith("close 1009"));
        assertEquals(null, handler.events.poll(300, TimeUnit.MILLISECONDS), "onClose comes once");
    }

    @Test
    void binaryClosesWith1003AndTheServerMayClose() throws Exception {
        EchoHandler handler = new EchoHandler();
        WebServer web = start(handler, false);
        Client binary = new Client();
        WebSocket ws = connect(web, binary);
        handler.next();
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true);
        assertTrue(binary.awaitClose().startsWith("1003"), binary.closed.get());
        assertTrue(handler.next().startsWith("close 1003"));

        Client closing = new Client();
        ws = connect(web, closing);
        handler.next();
        ws.sendText("close-me", true);
        assertEquals("4000 asked to", closing.awaitClose());
        assertEquals("close 4000 asked to", handler.next());
    }

    @Test
    void closingTheServerClosesSessionsWith1001() throws Exception {
        EchoHandler handler = new EchoHandler();
        WebServer web = start(handler, false);
        Client listener = new Client();
        connect(web, listener);
        handler.next();
        web.close();
        assertTrue(listener.awaitClose().startsWith("1001"), listener.closed.get());
        assertTrue(handler.next().startsWith("close 1001"));
    }

    @Test
    void theRemoteAddressHonoursForwardedHeadersOnlyWhenTrusted() throws Exception {
        EchoHandler direct = new EchoHandler();
        connect(start(direct, false), new Client(), "X-Forwarded-For", "203.0.113.9");
        assertEquals("open 127.0.0.1", direct.next());
        EchoHandler proxied = new EchoHandler();
        connect(start(proxied, true), new Client(), "X-Forwarded-For", "203.0.113.9");
        assertEquals("open 203.0.113.9", proxied.next());
    }

    @Test
    void aClientThatNeverAnswersPingsIsClosed() throws Exception {
        EchoHandler handler = new EchoHandler();
        WebServer web = new WebServer(new InetSocketAddress("127.0.0.1", 0), null, false)
                .webSocket("/ws", handler).pings(Duration.ofMillis(100), Duration.ofMillis(500));
        servers.add(web.start());
        // a raw client: it does the handshake, then reads frames and never answers
        try (Socket s = new Socket("127.0.0.1", web.port())) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertEquals("open 127.0.0.1", handler.next());
            boolean pinged = false;
            int closeStatus = -1;
            while (closeStatus < 0) {
                int b0 = in.read();
                int len = in.read() & 0x7f; // server frames are unmasked; ours are short
                byte[] payload = in.readNBytes(len);
                int opcode = b0 & 0x0f;
                if (opcode == 0x9) {
                    pinged = true;
                } else if (opcode == 0x8) {
                    closeStatus = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                }
            }
            assertTrue(pinged, "the server pinged first");
            assertEquals(1001, closeStatus);
            assertEquals(-1, in.read(), "and ended the connection");
        }
        assertTrue(handler.next().startsWith("close 1001 no answer to ping"));
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void closeReasonsAreCutToFitAControlFrame() {
        assertEquals("short", NettyWebSocketSession.truncate("short"));
        for (String long_ : List.of("a".repeat(200), "é".repeat(100), "😀".repeat(50))) {
            String cut = NettyWebSocketSession.truncate(long_);
            assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= 123, cut);
            assertTrue(long_.startsWith(cut) && cut.length() > 50, cut);
            assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)), "no half character");
        }
    }

    @Test
    void aPlainRequestToTheEndpointIs426() throws Exception {
        WebServer web = start(new EchoHandler(), false);
        var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/ws"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(426, r.statusCode());
        assertTrue(r.body().contains("WebSocket"), r.body());
    }
}
