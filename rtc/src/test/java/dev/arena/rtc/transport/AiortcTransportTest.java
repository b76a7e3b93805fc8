package dev.arena.rtc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.codec.Vp8;
import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.peers.AiortcPeer;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Direction;
import dev.arena.rtc.sdp.Fingerprint;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.Rtpmap;
import dev.arena.rtc.sdp.SdpAnswerer;
import dev.arena.rtc.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * aiortc (a real, independent WebRTC stack) offers a synthetic VP8 track to a transport in the ICE-lite
 * server role: ICE and DTLS complete, its SRTP decrypts into RTP with the negotiated payload type and
 * SSRC, and a PLI that we send makes it send a keyframe.
 */
class AiortcTransportTest {

    @Test
    void aiortcVideoDecryptsAndAnswersPliWithKeyframe() throws Exception {
        try (TransportServer server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0));
             AiortcPeer peer = AiortcPeer.start()) {
            SessionDescription offer = SessionDescription.parse(peer.offer());
            MediaDescription video = offer.media().getFirst();
            int vp8 = video.rtpmaps().stream().filter(r -> r.encoding().equalsIgnoreCase("VP8"))
                    .mapToInt(Rtpmap::payloadType).findFirst().orElseThrow();
            Set<Integer> offeredSsrcs = new HashSet<>();
            video.ssrcIds().forEach(s -> offeredSsrcs.add(s.intValue()));

            IceCredentials local = IceCredentials.random();
            DtlsCertificate certificate = DtlsCertificate.shared();
            AnswerOptions options = AnswerOptions.builder(local.ufrag(), local.pwd(),
                            new Fingerprint(certificate.fingerprintAlgorithm(), certificate.fingerprintValue()))
                    .hostCandidates(List.of(server.localAddress()))
                    .direction(video.mid(), Direction.RECVONLY)
                    .build();
            String answer = SdpAnswerer.answer(offer, options).toString();

            VideoRecorder recorder = new VideoRecorder(vp8, offeredSsrcs);
            RtcTransport transport = server.createTransport(local, SdpParameters.fromOffer(offer), certificate, recorder);
            peer.answer(answer);

            await(() -> recorder.packets.get() >= 100, Duration.ofSeconds(30),
                    () -> "100 packets; got " + recorder.packets + ", transport " + transport.stats());
            assertEquals(TransportState.CONNECTED, transport.state());
            assertEquals(0, recorder.unexpected.get(), "every packet has the VP8 payload type and the offered SSRC");
            assertTrue(offeredSsrcs.contains(recorder.lastSsrc), "SSRC from the offer");

            long keyframesBefore = recorder.keyframes.get();
            long pliBefore = peer.stats().pliReceived();
            int mediaSsrc = recorder.lastSsrc;
            transport.executor().execute(() -> {
                byte[] buf = new byte[64];
                int n = Pli.write(buf, 0, 0x12345678, mediaSsrc);
                transport.sendRtcp(buf, 0, n);
            });
            await(() -> recorder.keyframes.get() > keyframesBefore, Duration.ofSeconds(15),
                    () -> "a keyframe after our PLI; aiortc " + peer.stats());
            assertTrue(peer.stats().pliReceived() > pliBefore, "aiortc saw our PLI");
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(50);
        }
    }

    /** Counts decrypted VP8 packets; runs on the transport's loop. */
    static final class VideoRecorder implements TransportListener {
        private final int payloadType;
        private final Set<Integer> ssrcs;
        private final RtpPacket rtp = new RtpPacket();
        final AtomicLong packets = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();
        final AtomicLong keyframes = new AtomicLong();
        volatile int lastSsrc;

        VideoRecorder(int payloadType, Set<Integer> ssrcs) {
            this.payloadType = payloadType;
            this.ssrcs = ssrcs;
        }

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            if (!rtp.wrap(buf, off, len)) {
                unexpected.incrementAndGet();
                return;
            }
            if (rtp.payloadType() != payloadType || !ssrcs.contains(rtp.ssrc())) {
                unexpected.incrementAndGet();
                return;
            }
            lastSsrc = rtp.ssrc();
            if (Vp8.isKeyframeStart(buf, rtp.payloadOffset(), rtp.payloadLength())) {
                keyframes.incrementAndGet();
            }
            packets.incrementAndGet();
        }
    }
}
