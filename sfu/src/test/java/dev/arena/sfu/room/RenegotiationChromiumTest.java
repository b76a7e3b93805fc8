package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.peers.ChromiumPeer;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.sfu.room.RoomGateway.Needed;
import dev.arena.sfu.room.RoomGateway.Negotiated;
import dev.arena.sfu.room.RoomGateway.SectionRole;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage flow with real Chromium: a subscriber is in the room before anything is published; a publisher joins;
 * the subscriber adds the receive-only transceivers that {@link RoomGateway#receiveSectionsNeeded} asks for, offers,
 * and decodes the video and receives the audio. Loss toward it (dropped in its sink) is repaired with RTX, which it
 * negotiated. A re-offer with an ICE restart keeps media flowing on the same transport; {@link RoomGateway#unpublishAll}
 * stops it, and the next re-offer is answered with inactive sections; when the publisher is back, the next re-offer
 * puts its new tracks on those sections and the subscriber decodes again. Closing the subscriber's peer connection
 * makes it leave.
 */
class RenegotiationChromiumTest {
    private static final Logger log = LoggerFactory.getLogger(RenegotiationChromiumTest.class);

    /** The subscriber's own peer connection in the harness page: recvonly transceivers added on demand. */
    private static final String SUBSCRIBER_JS = """
            (() => {
              const pc = new RTCPeerConnection({iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
              pc.ontrack = (ev) => {
                const el = document.createElement(ev.track.kind);
                el.autoplay = true; el.muted = true; el.playsInline = true;
                el.srcObject = new MediaStream([ev.track]);
                document.body.appendChild(el);
                el.play().catch(() => {});
              };
              const gathered = () => new Promise((resolve) => {
                const check = () => { if (pc.iceGatheringState === 'complete') resolve(); else setTimeout(check, 50); };
                check();
              });
              window.sub = {
                pc,
                add: (audio, video) => {
                  for (let i = 0; i < audio; i++) pc.addTransceiver('audio', {direction: 'recvonly'});
                  for (let i = 0; i < video; i++) pc.addTransceiver('video', {direction: 'recvonly'});
                },
                offer: async (iceRestart) => {
                  await pc.setLocalDescription(await pc.createOffer({iceRestart}));
                  await gathered();
                  return pc.localDescription.sdp;
                },
                answer: async (sdp) => { await pc.setRemoteDescription({type: 'answer', sdp}); return pc.connectionState; },
                state: () => pc.connectionState,
                stats: async () => {
                  const out = [];
                  (await pc.getStats()).forEach((s) => {
                    if (s.type === 'inbound-rtp') {
                      out.push({kind: s.kind, ssrc: s.ssrc, packetsReceived: s.packetsReceived || 0,
                        framesDecoded: s.framesDecoded || 0, nackCount: s.nackCount || 0,
                        retransmittedPacketsReceived: s.retransmittedPacketsReceived || 0});
                    }
                  });
                  return out;
                },
              };
              return true;
            })()""";

    @Test
    void aSubscriberRenegotiatesIntoTheStageAndOut() throws Exception {
        List<String> left = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TransportServer server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0), 2);
             ChromiumPeer publisher = ChromiumPeer.start();
             ChromiumPeer subscriber = ChromiumPeer.start();
             RoomGateway gateway = new RoomGateway(server, server.localAddress(), DtlsCertificate.shared(), "stage",
                     new RoomListener() {
                         @Override
                         public void onParticipantLeft(Room room, Participant participant) {
                             left.add(participant.id());
                         }
                     })) {
            subscriber.evaluate(SUBSCRIBER_JS);
            assertEquals(new Needed(0, 0, false), gateway.receiveSectionsNeeded("sub"), "an empty room");

            String publisherOffer = publisher.createOffer(true, true);
            publisher.setAnswer(gateway.negotiate("pub", publisherOffer, 2).answerSdp());
            Needed needed = gateway.receiveSectionsNeeded("sub");
            assertEquals(new Needed(1, 1, false), needed);

            subscriber.evaluate("window.sub.add(" + needed.audio() + ", " + needed.video() + ")");
            Negotiated n = gateway.negotiate("sub", (String) subscriber.evaluate("window.sub.offer(false)"), 0);
            assertEquals(List.of(SectionRole.RECV, SectionRole.RECV), n.sections().stream().map(s -> s.role()).toList());
            subscriber.evaluate("window.sub.answer(" + jsString(n.answerSdp()) + ")");
            SessionDescription answer = SessionDescription.parse(n.answerSdp());
            long videoSsrc = declared(answer, "video");
            long audioSsrc = declared(answer, "audio");
            assertEquals(2, answer.media().stream().filter(m -> m.media().equals("video")).findFirst().orElseThrow()
                    .ssrcIds().size(), "video with an RTX SSRC (FID): " + answer);
            awaitState(subscriber, "connected");
            Map<?, ?> video = awaitInbound(subscriber, videoSsrc, s -> num(s, "framesDecoded") > 0, "video decoded");
            awaitInbound(subscriber, audioSsrc, s -> num(s, "packetsReceived") > 0, "audio received");
            log.info("subscriber decodes: {}", video);

            // RTX: drop some video packets toward the subscriber; its NACKs are answered on the RTX SSRC
            LossySink lossy = gateway.onLoop(() -> {
                Participant p = gateway.room().participant("sub");
                LossySink l = new LossySink(p.sink(), (int) videoSsrc, 20);
                p.attach(l);
                return l;
            });
            Map<?, ?> repaired = awaitInbound(subscriber, videoSsrc,
                    s -> num(s, "retransmittedPacketsReceived") > 0, "retransmissions received");
            long rtxSent = gateway.onLoop(() -> gateway.room().track("pub/1").subscriptions().getFirst().rtxPacketsOut());
            gateway.onLoop(() -> {
                gateway.room().participant("sub").attach(lossy.next);
                return null;
            });
            log.info("after {} drops: {}; RTX packets sent {}", lossy.dropped, repaired, rtxSent);
            assertTrue(rtxSent > 0, "sent as RTX");

            // ICE restart on the same transport: media keeps flowing
            long before = num(inbound(subscriber, videoSsrc), "packetsReceived");
            Negotiated restarted = gateway.negotiate("sub", (String) subscriber.evaluate("window.sub.offer(true)"), 0);
            SessionDescription restartAnswer = SessionDescription.parse(restarted.answerSdp());
            assertNotEquals(answer.iceUfragFor(answer.media().getFirst()),
                    restartAnswer.iceUfragFor(restartAnswer.media().getFirst()), "new ICE credentials");
            assertEquals(n.sections(), restarted.sections());
            subscriber.evaluate("window.sub.answer(" + jsString(restarted.answerSdp()) + ")");
            awaitInbound(subscriber, videoSsrc, s -> num(s, "packetsReceived") > before + 100,
                    "video still arrives after the ICE restart");
            assertEquals("connected", subscriber.evaluate("window.sub.state()"));

            // demotion: forwarding stops at once; the next re-offer is answered inactive
            gateway.unpublishAll("pub");
            long stopped = awaitStable(subscriber, videoSsrc);
            Thread.sleep(1000);
            assertEquals(stopped, num(inbound(subscriber, videoSsrc), "packetsReceived"), "no more video");
            Negotiated after = gateway.negotiate("sub", (String) subscriber.evaluate("window.sub.offer(false)"), 0);
            assertTrue(after.sections().stream().allMatch(s -> s.role() == SectionRole.INACTIVE), after.toString());
            subscriber.evaluate("window.sub.answer(" + jsString(after.answerSdp()) + ")");
            assertEquals(new Needed(0, 0, false), gateway.receiveSectionsNeeded("sub"));

            // back on stage (its first offer again: same transport, same SSRCs): the subscriber's free sections
            // take the new tracks; being connected, it gets a keyframe requested and decodes on the new SSRC
            gateway.negotiate("pub", publisherOffer, 2);
            assertEquals(new Needed(0, 0, true), gateway.receiveSectionsNeeded("sub"));
            Negotiated back = gateway.negotiate("sub", (String) subscriber.evaluate("window.sub.offer(false)"), 0);
            assertEquals(n.sections(), back.sections(), "the same mids carry the same tracks again");
            subscriber.evaluate("window.sub.answer(" + jsString(back.answerSdp()) + ")");
            long newVideoSsrc = declared(SessionDescription.parse(back.answerSdp()), "video");
            assertNotEquals(videoSsrc, newVideoSsrc, "a new subscription");
            awaitInbound(subscriber, newVideoSsrc, s -> num(s, "framesDecoded") > 0, "video decoded again");

            // the subscriber closes its peer connection (DTLS close_notify): it leaves, reported to the listener
            subscriber.evaluate("window.sub.pc.close()");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (gateway.contains("sub") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(List.of("sub"), left, "reported through onParticipantLeft");
            assertTrue(gateway.contains("pub"));
        }
    }

    /** Drops every {@code every}-th RTP packet of one SSRC toward a participant: test-only loss. */
    static final class LossySink implements PacketSink {
        final PacketSink next;
        final int ssrc;
        final int every;
        int seen;
        volatile long dropped;

        LossySink(PacketSink next, int ssrc, int every) {
            this.next = next;
            this.ssrc = ssrc;
            this.every = every;
        }

        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            if (len >= 12 && ssrcOf(buf, off) == ssrc && ++seen % every == 0) {
                dropped++;
                return true;
            }
            return next.sendRtp(buf, off, len);
        }

        private static int ssrcOf(byte[] b, int off) {
            return (b[off + 8] & 0xFF) << 24 | (b[off + 9] & 0xFF) << 16 | (b[off + 10] & 0xFF) << 8 | (b[off + 11] & 0xFF);
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            return next.sendRtcp(buf, off, len);
        }

        @Override
        public void close() {
            next.close();
        }
    }

    private static String jsString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\r", "\\r").replace("\n", "\\n") + "'";
    }

    private static long declared(SessionDescription answer, String kind) {
        MediaDescription m = answer.media().stream().filter(x -> x.media().equals(kind) && !x.ssrcIds().isEmpty())
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " SSRC declared in " + answer));
        return m.ssrcIds().getFirst();
    }

    private static long num(Map<?, ?> stats, String key) {
        return stats == null || stats.get(key) == null ? 0 : ((Number) stats.get(key)).longValue();
    }

    private static Map<?, ?> inbound(ChromiumPeer peer, long ssrc) {
        for (Object o : (List<?>) peer.evaluate("window.sub.stats()")) {
            Map<?, ?> m = (Map<?, ?>) o;
            if (num(m, "ssrc") == ssrc) {
                return m;
            }
        }
        return null;
    }

    /** Polls the subscriber's inbound stats of {@code ssrc} until {@code done} (hang guard 30 s). */
    private static Map<?, ?> awaitInbound(ChromiumPeer peer, long ssrc, Predicate<Map<?, ?>> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<?, ?> s = inbound(peer, ssrc);
        while (s == null || !done.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + s + " (all: " + peer.evaluate("window.sub.stats()") + ")");
            }
            Thread.sleep(200);
            s = inbound(peer, ssrc);
        }
        return s;
    }

    /** Waits until packetsReceived of {@code ssrc} stays the same over a second (hang guard 30 s). */
    private static long awaitStable(ChromiumPeer peer, long ssrc) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long last = num(inbound(peer, ssrc), "packetsReceived");
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = num(inbound(peer, ssrc), "packetsReceived");
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("packets kept arriving on " + ssrc + ": " + last);
    }

    private static void awaitState(ChromiumPeer peer, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Object s = peer.evaluate("window.sub.state()");
        while (!state.equals(s)) {
            if (System.nanoTime() > deadline || "failed".equals(s)) {
                throw new AssertionError("subscriber connection " + s);
            }
            Thread.sleep(100);
            s = peer.evaluate("window.sub.state()");
        }
    }
}
