package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.peers.ChromiumPeer;
import dev.arena.rtc.transport.TransportServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real Chromium publishing a 1280x720 fake camera into a room with one listener: how fast its sending ramps up
 * in the first 10 s after connecting, on the room's feedback only (transport-cc from {@code TwccFeedbackGenerator},
 * receiver reports; no REMB). {@code TwccChromiumTest} shows the estimate climbing on a bare transport; this is the
 * same through {@link RoomGateway}, with the encoder's output measured. It prints the best 1 s window of the
 * publisher's outbound-rtp video bytesSent and the nominated candidate pair's availableOutgoingBitrate, per second.
 * The camera track has {@code contentHint = 'detail'} so that the encoder stays at 720p instead of starting at
 * 320x180 and stepping up (which hides the bandwidth ramp behind the resolution ramp).
 *
 * <p>What it asserts is what holds on every run: the 720p capture, the estimate rising above its start value
 * (x1.2; without feedback it falls), the listener decoding. It does not assert 1 Mbit/s within 10 s, which is not
 * met reliably today (measured, see docs/performance.md "Media quality through a room"): the fake camera's simple
 * picture needs only ~0.45 Mbit/s at 720p whatever the target, and Chromium's initial bandwidth probes (900 kbit/s
 * and 1.8 Mbit/s clusters at connect) yield a result only in some runs (5 of 17); without one the estimate grows
 * ~8%/s from 300 kbit/s (~0.55-0.75 Mbit/s at 10 s), with one it is 1-5.5 Mbit/s within the first second. Run
 * with {@code -Darena.ramp.seconds=N} to watch longer.
 */
class RampUpChromiumTest {
    static final Duration WITHIN = Duration.ofSeconds(Long.getLong("arena.ramp.seconds", 10));
    /** Chromium's start value of the send-side estimate (its log: estimate_bps=300000). */
    static final double CHROMIUM_START_BPS = 300_000;

    @Test
    void a720pPublishersEstimateRampsUpOnTheRoomsFeedback() throws Exception {
        try (TransportServer server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0));
             ChromiumPeer publisher = ChromiumPeer.start();
             ChromiumPeer listener = ChromiumPeer.start()) {
            MediaQuality.capturePeerConnections(publisher);
            MediaQuality.capturePeerConnections(listener);
            MediaQuality.videoSize(publisher, 1280, 720);
            MediaQuality.maintainResolution(publisher);
            FeedbackWiring feedback = new FeedbackWiring();
            Room room = new Room("ramp", System::nanoTime, new RoomListener() {}, feedback);
            try (RoomGateway gateway = new RoomGateway(server, server.localAddress(), DtlsCertificate.shared(), room)) {
                publisher.setAnswer(gateway.join("publisher", publisher.createOffer(false, true), true));
                publisher.awaitState(ChromiumPeer.State::connected, Duration.ofSeconds(30));
                long connectedAt = System.nanoTime();
                MediaQuality.Outbound first = MediaQuality.outbound(publisher);
                listener.setAnswer(gateway.join("listener", listener.createOffer(false, true), false));

                List<String> series = new ArrayList<>();
                double best = 0;
                double bestEstimate = 0;
                double firstEstimate = first.availableOutgoingBitrate();
                MediaQuality.Outbound previous = first;
                while (System.nanoTime() - connectedAt < WITHIN.toNanos()) {
                    long left = (WITHIN.toNanos() - (System.nanoTime() - connectedAt)) / 1_000_000;
                    Thread.sleep(Math.max(1, Math.min(1000, left)));
                    MediaQuality.Outbound now = MediaQuality.outbound(publisher);
                    if (firstEstimate <= 0) {
                        firstEstimate = now.availableOutgoingBitrate();
                    }
                    if (now.timestampMs() - previous.timestampMs() < 900) {
                        continue; // the last, shorter window
                    }
                    double bps = now.bitrateSince(previous);
                    best = Math.max(best, bps);
                    bestEstimate = Math.max(bestEstimate, now.availableOutgoingBitrate());
                    series.add(String.format("%.0f/%.0f/%.0f", bps / 1000, now.targetBitrate() / 1000,
                            now.availableOutgoingBitrate() / 1000));
                    previous = now;
                }
                Map<?, ?> capture = (Map<?, ?>) publisher.evaluate("(() => { const s = window.__pcs[0].getSenders()"
                        + ".find(x => x.track && x.track.kind === 'video').track.getSettings();"
                        + " return {width: s.width, height: s.height, frameRate: s.frameRate}; })()");
                String line = String.format("RAMP-UP 720p through a room: best 1 s send rate %.2f Mbit/s, estimate"
                                + " %.2f -> up to %.2f Mbit/s within %d s of connecting; camera %s, sent %dx%d (%s);"
                                + " per second kbit/s sent/encoder target/estimate: %s",
                        best / 1e6, firstEstimate / 1e6, bestEstimate / 1e6, WITHIN.toSeconds(), capture,
                        previous.frameWidth(), previous.frameHeight(), previous.qualityLimitationReason(), series);
                System.out.println(line);
                assertEquals(1280L, ((Number) capture.get("width")).longValue(), line);
                assertEquals(720L, ((Number) capture.get("height")).longValue(), line);
                // slowest seen: 0.33 -> 0.62 Mbit/s in 10 s (no probe result, growth only); without feedback it falls
                assertTrue(bestEstimate >= 1.2 * CHROMIUM_START_BPS,
                        "the estimate ramps up on the room's feedback: " + line);
                assertTrue(best > 0, "video sent: " + line);

                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (MediaQuality.inbound(listener).framesDecoded() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(MediaQuality.inbound(listener).framesDecoded() > 0, "the listener decodes: " + line);
            }
        }
    }
}
