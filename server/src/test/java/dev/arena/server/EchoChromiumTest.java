package dev.arena.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.peers.ChromiumPeer;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.rtc.transport.TransportState;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Real headless Chromium offers audio and video; the echo answers; Chromium reports ICE and DTLS
 * connected; we decrypt its SRTP; its VP8 comes back on a track of ours (a new SSRC) and Chromium
 * decodes it.
 */
class EchoChromiumTest {

    @Test
    void chromiumDecodesItsOwnVideoSentBackOnOurTrack() throws Exception {
        try (TransportServer server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0));
             ChromiumPeer chromium = ChromiumPeer.start()) {
            EchoService echo = new EchoService(server, server.localAddress(), DtlsCertificate.shared());
            String offer = chromium.createOffer(true, true);
            String answer = echo.answer(offer);
            chromium.setAnswer(answer);

            ChromiumPeer.State state = chromium.awaitState(ChromiumPeer.State::connected, Duration.ofSeconds(30));
            assertEquals("connected", state.dtls(), state.toString());

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            ChromiumPeer.Stats stats = chromium.stats();
            while (stats.framesDecoded("video") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                stats = chromium.stats();
            }
            assertTrue(stats.framesDecoded("video") > 0, "Chromium decoded frames that came back: " + stats);

            MediaDescription video = SessionDescription.parse(answer).media().stream()
                    .filter(m -> m.media().equals("video")).findFirst().orElseThrow();
            long ourSsrc = video.ssrcIds().getFirst();
            ChromiumPeer.Stats finalStats = stats;
            ChromiumPeer.Inbound inbound = finalStats.inbound().stream()
                    .filter(i -> i.kind().equals("video") && i.framesDecoded() > 0).findFirst().orElseThrow();
            assertEquals(ourSsrc, inbound.ssrc(), "decoded on the SSRC our answer declared");
            long theirSsrc = finalStats.outbound().stream().filter(o -> o.kind().equals("video"))
                    .mapToLong(ChromiumPeer.Outbound::ssrc).findFirst().orElseThrow();
            assertNotEquals(theirSsrc, inbound.ssrc(), "a track of our own, not Chromium's SSRC");

            RtcTransport transport = echo.transports().iterator().next();
            assertEquals(TransportState.CONNECTED, transport.state());
            assertTrue(transport.stats().rtpPacketsIn() > 0 && transport.stats().rtpPacketsOut() > 0,
                    transport.stats().toString());
        }
    }
}
