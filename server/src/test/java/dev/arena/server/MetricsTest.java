package dev.arena.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.peers.AiortcPeer;
import dev.arena.server.auth.Role;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics}, {@code /health} and {@code /ready} over real HTTP on a node wired as Main wires it: the
 * Prometheus text parses and holds the documented metrics with sane values; an aiortc WHIP publish makes the
 * room, participant and transport gauges and the packets-in counters rise; readiness turns 503 once shutdown
 * begins or the UDP port closes, while /health stays 200.
 */
class MetricsTest {
    static final List<String> GAUGES = List.of("arena_rooms", "arena_participants", "arena_stage_participants",
            "arena_tracks",
            "arena_transports", "arena_upstream_packets_lost");
    static final List<String> COUNTERS = List.of("arena_udp_datagrams", "arena_udp_bytes", "arena_rtp_packets",
            "arena_rtcp_packets", "arena_transport_bytes", "arena_nack_requests_received",
            "arena_nack_requests_sent", "arena_retransmissions", "arena_plis_sent");

    /** The samples of one scrape by {@code name{labels}} as written, and the TYPE of each family. */
    record Scrape(Map<String, Double> samples, Map<String, String> types, String text) {
        double get(String series) {
            Double v = samples.get(series);
            assertNotNull(v, series + " is in the scrape:\n" + text);
            return v;
        }
    }

    static Scrape scrape(WhipNode node) throws Exception {
        HttpResponse<String> r = node.send("GET", "/metrics", null, null, null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        Map<String, Double> samples = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                types.put(p[2], p[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                double v = Double.parseDouble(line.substring(space + 1));
                assertTrue(v >= 0 && !Double.isNaN(v), "sane value: " + line);
                samples.put(line.substring(0, space), v);
            }
        }
        return new Scrape(samples, types, r.body());
    }

    @Test
    void idleNodeExposesEveryMetricAndAnswersHealthAndReady() throws Exception {
        try (WhipNode node = new WhipNode()) {
            Scrape s = scrape(node);
            for (String g : GAUGES) {
                assertEquals("gauge", s.types().get(g), g + "\n" + s.text());
            }
            for (String c : COUNTERS) {
                assertEquals("counter", s.types().get(c + "_total"), c + "\n" + s.text());
            }
            // arena_drops_total has a series per stage and reason once one was counted (none on an idle node)
            assertTrue(s.types().get("arena_drops_total") == null
                    || s.types().get("arena_drops_total").equals("counter"), s.text());
            assertEquals(0, s.get("arena_rooms"));
            assertEquals(0, s.get("arena_participants{role=\"publisher\"}"));
            assertEquals(0, s.get("arena_participants{role=\"viewer\"}"));
            for (String role : List.of("host", "speaker", "listener")) {
                assertEquals(0, s.get("arena_stage_participants{role=\"" + role + "\"}"));
            }
            assertEquals(0, s.get("arena_tracks"));
            for (String state : List.of("new", "connecting", "connected", "disconnected", "failed", "closed")) {
                assertEquals(0, s.get("arena_transports{state=\"" + state + "\"}"));
            }
            for (String dir : List.of("in", "out")) {
                s.get("arena_udp_datagrams_total{direction=\"" + dir + "\"}");
                s.get("arena_udp_bytes_total{direction=\"" + dir + "\"}");
                assertEquals(0, s.get("arena_rtp_packets_total{direction=\"" + dir + "\"}"));
                assertEquals(0, s.get("arena_rtcp_packets_total{direction=\"" + dir + "\"}"));
            }
            assertEquals(0, s.get("arena_nack_requests_received_total"));
            assertEquals(0, s.get("arena_retransmissions_total"));
            assertEquals(0, s.get("arena_plis_sent_total"));

            HttpResponse<String> health = node.send("GET", "/health", null, null, null);
            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());
            assertEquals("no-store", health.headers().firstValue("Cache-Control").orElse(null));
            HttpResponse<String> ready = node.send("GET", "/ready", null, null, null);
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("no-store", ready.headers().firstValue("Cache-Control").orElse(null));
            assertEquals(405, node.send("POST", "/metrics", null, "text/plain", "x").statusCode());
            assertEquals(404, node.send("GET", "/health/x", null, null, null).statusCode());

            node.health.beginShutdown();
            HttpResponse<String> notReady = node.send("GET", "/ready", null, null, null);
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(notReady.body().contains("shutting down"), notReady.body());
            assertEquals("no-store", notReady.headers().firstValue("Cache-Control").orElse(null));
            assertEquals(200, node.send("GET", "/health", null, null, null).statusCode(), "still live");
        }
    }

    @Test
    void readyIs503OnceTheUdpPortCloses() throws Exception {
        try (WhipNode node = new WhipNode()) {
            assertEquals(200, node.send("GET", "/ready", null, null, null).statusCode());
            node.transports.close();
            HttpResponse<String> r = node.send("GET", "/ready", null, null, null);
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("UDP"), r.body());
        }
    }

    @Test
    void aWhipPublishByAiortcRaisesTheGaugesAndCounters() throws Exception {
        try (WhipNode node = new WhipNode(); AiortcPeer aiortc = AiortcPeer.start()) {
            Scrape before = scrape(node);
            String speaker = node.token("stage", "obs", Role.SPEAKER);
            HttpResponse<String> published = node.post("/whip/stage", speaker, aiortc.offer());
            assertEquals(201, published.statusCode(), published.body());
            aiortc.answer(published.body());
            aiortc.awaitState("connected", Duration.ofSeconds(30));

            Scrape[] last = new Scrape[1];
            assertTrue(WhipNode.await(() -> {
                try {
                    last[0] = scrape(node);
                    return last[0].get("arena_rtp_packets_total{direction=\"in\"}") > 50
                            && last[0].get("arena_transports{state=\"connected\"}") == 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofSeconds(20)), () -> "RTP flows in: " + last[0].text());
            Scrape s = last[0];
            assertEquals(1, s.get("arena_rooms"));
            assertEquals(1, s.get("arena_participants{role=\"publisher\"}"));
            assertEquals(0, s.get("arena_participants{role=\"viewer\"}"));
            assertTrue(s.get("arena_tracks") >= 1, s.text());
            assertTrue(s.get("arena_udp_datagrams_total{direction=\"in\"}")
                    > before.get("arena_udp_datagrams_total{direction=\"in\"}") + 50, s.text());
            assertTrue(s.get("arena_udp_bytes_total{direction=\"in\"}")
                    > before.get("arena_udp_bytes_total{direction=\"in\"}"), s.text());
            assertTrue(s.get("arena_udp_datagrams_total{direction=\"out\"}") > 0, "STUN, DTLS and RTCP answers");
            assertTrue(s.get("arena_transport_bytes_total{direction=\"in\"}") > 0, s.text());
            assertTrue(WhipNode.await(() -> {
                try {
                    return scrape(node).get("arena_rtcp_packets_total{direction=\"out\"}") > 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofSeconds(10)), "receiver reports go upstream");

            String location = published.headers().firstValue("Location").orElseThrow();
            assertEquals(200, node.send("DELETE", location, speaker, null, null).statusCode());
            assertTrue(WhipNode.await(() -> node.rooms.count() == 0 && node.transports.transportCount() == 0,
                    Duration.ofSeconds(10)), "the room and its transport closed");
            Scrape after = scrape(node);
            assertEquals(0, after.get("arena_rooms"));
            assertEquals(0, after.get("arena_participants{role=\"publisher\"}"));
            assertEquals(0, after.get("arena_tracks"));
            assertEquals(0, after.get("arena_transports{state=\"connected\"}"));
            for (String c : List.of("arena_rtp_packets_total{direction=\"in\"}", "arena_transport_bytes_total{"
                    + "direction=\"in\"}", "arena_udp_datagrams_total{direction=\"in\"}", "arena_plis_sent_total")) {
                assertTrue(after.get(c) >= s.get(c), c + " never goes down when its transport or room closes: "
                        + after.text());
            }
        }
    }
}
