package dev.arena.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.peers.ChromiumPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page that {@code ./arena} serves works in a real browser, and bad requests get clear errors. */
class DemoPageTest {

    @Test
    void demoPageEchoesTheCameraBack() throws Exception {
        try (WhipNode node = new WhipNode(); ChromiumPeer chromium = ChromiumPeer.start()) {
            chromium.open(node.node.httpUrl() + "/echo.html");
            chromium.evaluate("window.startEcho()");
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            Map<?, ?> stats = (Map<?, ?>) chromium.evaluate("window.echoStats()");
            while (((Number) stats.get("framesDecoded")).longValue() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                stats = (Map<?, ?>) chromium.evaluate("window.echoStats()");
            }
            assertEquals("connected", stats.get("state"), stats.toString());
            assertTrue(((Number) stats.get("framesDecoded")).longValue() > 0, "video came back: " + stats);
            assertTrue(((Number) stats.get("audioPacketsReceived")).longValue() > 0, "audio came back: " + stats);
        }
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        try (WhipNode node = new WhipNode()) {
            HttpClient client = HttpClient.newHttpClient();
            URI echo = node.uri("/api/echo");
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(echo)
                    .POST(HttpRequest.BodyPublishers.ofString("v=0\r\nnot sdp")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode());
            assertTrue(r.body().startsWith("bad offer: SDP line 2"), r.body());

            r = client.send(HttpRequest.newBuilder(echo).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode());

            r = client.send(HttpRequest.newBuilder(echo).POST(HttpRequest.BodyPublishers.ofString("x".repeat(70_000))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode());

            r = client.send(HttpRequest.newBuilder(URI.create(node.node.httpUrl() + "/../etc/passwd")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode());
            assertEquals(0, node.transports.transportCount(), "no transport was created by bad requests");
        }
    }
}
