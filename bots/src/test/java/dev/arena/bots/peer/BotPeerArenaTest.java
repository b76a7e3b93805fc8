package dev.arena.bots.peer;

import dev.arena.bots.media.MediaSources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.media.MediaKind;
import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import dev.arena.server.auth.Role;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bots against a real embedded Arena node on loopback: a publisher BotPeer goes in by WHIP, listener BotPeers by
 * WHEP (offers posted with java.net.http, answers applied), and the listeners receive and measure like browsers.
 * Run inside a private network namespace ({@code unshare -n}).
 */
class BotPeerArenaTest {
    private final Recorder latency = new Recorder(3);
    private final List<BotPeer> peers = new ArrayList<>();
    private UdpLoops loops;
    private BotContext context;
    private ArenaNode arena;

    @BeforeEach
    void start() throws Exception {
        arena = new ArenaNode();
        loops = UdpLoops.start(1, UdpEndpoint.Transport.AUTO);
        context = new BotContext(loops, DtlsCertificate.shared(), InetAddress.getLoopbackAddress(),
                latency::recordValue);
    }

    @AfterEach
    void stop() {
        peers.forEach(BotPeer::close);
        loops.close();
        arena.close();
    }

    private BotPeer peer(PeerPlan plan) {
        BotPeer p = new BotPeer(context, plan);
        peers.add(p);
        return p;
    }

    private BotPeer publish(String room) throws Exception {
        BotPeer publisher = peer(PeerPlan.publisher(MediaSources.synthetic(MediaKind.AUDIO, 32_000), MediaSources.synthetic(MediaKind.VIDEO, 1_000_000)));
        String offer = publisher.createOffer();
        HttpResponse<String> r = arena.post("whip", room, arena.token(room, "bot-publisher", Role.SPEAKER), offer);
        assertEquals(201, r.statusCode(), r.body());
        publisher.applyAnswer(r.body());
        publisher.connected().get(20, TimeUnit.SECONDS);
        return publisher;
    }

    private BotPeer watch(String room, String name) throws Exception {
        BotPeer listener = peer(PeerPlan.listener(1, 1));
        HttpResponse<String> r = arena.post("whep", room, arena.token(room, name, Role.LISTENER),
                listener.createOffer());
        assertEquals(201, r.statusCode(), r.body());
        listener.applyAnswer(r.body());
        return listener;
    }

    private static PeerStats awaitStats(BotPeer p, Predicate<PeerStats> done, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        PeerStats s = p.stats();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = p.stats();
        }
        return s;
    }

    @Test
    void publisherByWhipAndThreeListenersByWhepReceiveAndMeasure() throws Exception {
        BotPeer publisher = publish("stage");
        List<BotPeer> listeners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            listeners.add(watch("stage", "listener-" + i));
        }
        for (BotPeer l : listeners) {
            l.connected().get(20, TimeUnit.SECONDS);
            l.firstMedia().get(20, TimeUnit.SECONDS);
        }
        Thread.sleep(3000);
        for (BotPeer l : listeners) {
            // a packet in repair at the moment of the snapshot is not lost yet: wait (briefly) for loss to settle
            PeerStats s = awaitStats(l, x -> x.packetsLost() == 0, 3000);
            MediaSession m = l.session();
            assertTrue(m.receivedPackets(MediaKind.AUDIO) > 50, "audio received: " + s);
            assertTrue(m.receivedPackets(MediaKind.VIDEO) > 100, "video received: " + s);
            assertEquals(0, s.packetsLost(), "no loss on loopback: " + s);
            assertEquals(s.packetsExpected(), s.packetsReceived(), s.toString());
            assertEquals(0, s.authFailures(), s.toString());
            assertTrue(s.jitterMicros() > 0 && s.jitterMicros() < 1_000_000, "jitter computed: " + s);
            assertTrue(s.iceNanos() > 0 && s.dtlsNanos() > 0 && s.firstMediaNanos() >= 0, "join phases: " + s);
            assertTrue(s.bytesReceived() > s.packetsReceived() * 12, s.toString());
            assertTrue(m.latencySamples() > 100, "latency samples: " + m.latencySamples());
        }
        System.out.println("listener " + listeners.getFirst().stats());
        PeerStats sent = publisher.stats();
        assertTrue(sent.packetsSent() > 150 && sent.bytesSent() > 100_000, "the publisher sent: " + sent);
        assertTrue(sent.iceNanos() > 0 && sent.dtlsNanos() > 0 && sent.firstMediaNanos() >= 0, sent.toString());
        Histogram h = latency.getIntervalHistogram();
        System.out.printf("publisher %s%nlatency: %d samples, p50 %d us, p99 %d us, max %d us%n", sent,
                h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue());
        // per kind: the same receive streams split in two (media stopped, so the figures stand still)
        publisher.close();
        Thread.sleep(500);
        for (BotPeer l : listeners) {
            PeerStats all = l.stats();
            PeerStats audio = l.stats(MediaKind.AUDIO);
            PeerStats video = l.stats(MediaKind.VIDEO);
            assertEquals(l.session().receivedPackets(MediaKind.AUDIO), audio.packetsReceived(), audio.toString());
            assertEquals(l.session().receivedPackets(MediaKind.VIDEO), video.packetsReceived(), video.toString());
            assertEquals(all.packetsExpected(), audio.packetsExpected() + video.packetsExpected(), all.toString());
            assertEquals(all.bytesReceived(), audio.bytesReceived() + video.bytesReceived(), all.toString());
            assertEquals(all.nacksSent(), video.nacksSent(), "peer-wide figures stay whole: " + video);
        }
        assertTrue(h.getTotalCount() > 300, "latency samples recorded: " + h.getTotalCount());
        assertTrue(h.getValueAtPercentile(99) < 1_000_000, "latency plausible on loopback (< 1 s): p99 "
                + h.getValueAtPercentile(99) + " us, max " + h.getMaxValue());
    }

    @Test
    void lostPacketsAreNackedAndRepairedWithRtx() throws Exception {
        publish("lossy");
        BotPeer listener = peer(PeerPlan.listener(1, 1));
        listener.dropEveryNthVideoPacket(20);
        HttpResponse<String> r = arena.post("whep", "lossy", arena.token("lossy", "lossy-listener", Role.LISTENER),
                listener.createOffer());
        assertEquals(201, r.statusCode(), r.body());
        listener.applyAnswer(r.body());
        listener.connected().get(20, TimeUnit.SECONDS);
        Thread.sleep(4000);
        PeerStats s = awaitStats(listener, x -> x.rtxReceived() > 20, 5000);
        long dropped = listener.session().droppedOnPurpose();
        System.out.println("lossy listener: dropped " + dropped + ", " + s);
        assertTrue(dropped > 20, "the hook dropped packets: " + dropped);
        assertTrue(s.nacksSent() > 10, "NACKs sent: " + s);
        assertTrue(s.rtxReceived() > 20, "RTX repaired gaps: " + s);
        assertTrue(listener.stats(MediaKind.VIDEO).rtxReceived() >= s.rtxReceived(), "video is repaired");
        assertEquals(0, listener.stats(MediaKind.AUDIO).rtxReceived(), "audio is not repaired");
        // the last few drops may still be in repair: loss after retransmission stays near 0
        assertTrue(s.packetsLost() <= 3, "loss after retransmission near 0 of " + dropped + " dropped: " + s);
        assertEquals(0, s.authFailures(), s.toString());
    }

    @Test
    void aWrongFingerprintFailsDtlsWithAClearReason() throws Exception {
        publish("room");
        BotPeer listener = peer(PeerPlan.listener(1, 1));
        HttpResponse<String> r = arena.post("whep", "room", arena.token("room", "impostor", Role.LISTENER),
                listener.createOffer());
        assertEquals(201, r.statusCode(), r.body());
        // the answer as a man in the middle would pass it on: the server's certificate no longer matches
        String tampered = r.body().replaceAll("(a=fingerprint:sha-256 )[0-9A-Fa-f]{2}", "$1" + "00")
                .replaceAll("(a=fingerprint:sha-256 00:)[0-9A-Fa-f]{2}", "$1" + "01");
        listener.applyAnswer(tampered);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> listener.connected().get(30, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof PeerException, failed.toString());
        assertTrue(failed.getCause().getMessage().startsWith("DTLS failed"), failed.getCause().getMessage());
        PeerStats s = listener.stats();
        assertTrue(s.iceNanos() > 0, "ICE connected: " + s);
        assertEquals(-1, s.dtlsNanos(), s.toString());
        assertEquals(0, s.packetsReceived(), s.toString());
    }

    @Test
    void malformedAnswerIsRefusedWithAClearMessageAndBindsNothing() throws Exception {
        BotPeer p = peer(PeerPlan.listener(1, 1));
        p.createOffer();
        PeerException notSdp = assertThrows(PeerException.class, () -> p.applyAnswer("hello"));
        assertTrue(notSdp.getMessage().contains("does not parse"), notSdp.getMessage());
        String noFingerprint = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 127.0.0.1\r\na=mid:0\r\na=ice-ufrag:abcd\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=setup:passive\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n"
                + "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\na=mid:1\r\na=sendonly\r\n"
                + "a=rtpmap:96 VP8/90000\r\n";
        PeerException noDtls = assertThrows(PeerException.class, () -> p.applyAnswer(noFingerprint));
        assertTrue(noDtls.getMessage().contains("fingerprint"), noDtls.getMessage());
        PeerException wrongCount = assertThrows(PeerException.class,
                () -> p.applyAnswer(noFingerprint.substring(0, noFingerprint.indexOf("m=video"))));
        assertTrue(wrongCount.getMessage().contains("media sections"), wrongCount.getMessage());
        assertNull(p.transport(), "no socket was bound");
        assertTrue(!p.connected().isDone(), "still waiting for a usable answer");
    }
}
