package dev.arena.bots.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.feedback.NackGenerator;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtxPacket;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Fingerprint;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SdpAnswerer;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.SdpParameters;
import dev.arena.rtc.transport.TransportListener;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.rtc.transport.TransportState;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A publisher bot answers NACKs with RTX: the remote is an rtc ICE-lite server transport with the rtc answerer
 * (accepting rtx), which discards every 20th video packet on arrival and NACKs the gaps with rtc's NackGenerator,
 * as a receiving SFU or browser would. (Plain resends, used when an answer refuses rtx as Arena does for publishers,
 * cannot be shown this way: a packet discarded after SRTP has entered the receiver's replay window.)
 */
class BotPeerRetransmissionTest {

    /** The receiving end: counts, discards every 20th original video packet, NACKs, sees the repairs. */
    private static final class LossyReceiver implements TransportListener {
        final RtpPacket view = new RtpPacket();
        final NackGenerator nacks = new NackGenerator();
        final BitSet dropped = new BitSet(65536);
        final BitSet repaired = new BitSet(65536);
        final CountDownLatch connected = new CountDownLatch(1);
        final byte[] rtcp = new byte[1500];
        volatile int videoSsrc;
        volatile int rtxSsrc;
        int originals;
        volatile int droppedCount;
        volatile int repairedCount;
        volatile int nacksSent;
        volatile boolean plisSent;

        @Override
        public void onStateChange(RtcTransport t, TransportState state) {
            if (state == TransportState.CONNECTED) {
                t.executor().scheduleAtFixedRate(() -> poll(t), 20, 20, TimeUnit.MILLISECONDS);
                connected.countDown();
            }
        }

        @Override
        public void onRtp(RtcTransport t, byte[] buf, int off, int len) {
            if (!view.wrap(buf, off, len)) {
                return;
            }
            long now = System.nanoTime();
            if (view.ssrc() == videoSsrc) {
                int seq = view.sequenceNumber();
                if (++originals % 20 == 0) {
                    dropped.set(seq);
                    droppedCount++;
                    return;
                }
                nacks.onPacket(seq, now);
            } else if (view.ssrc() == rtxSsrc) {
                int osn = RtxPacket.originalSequenceNumber(view);
                if (osn >= 0 && dropped.get(osn) && !repaired.get(osn)) {
                    repaired.set(osn);
                    repairedCount++;
                }
                nacks.onPacket(osn, now);
            }
        }

        private void poll(RtcTransport t) {
            int len = nacks.poll(System.nanoTime(), rtcp, 0, 1, videoSsrc);
            if (len > 0 && t.sendRtcp(rtcp, 0, len)) {
                nacksSent++;
            }
            if (!plisSent && videoSsrc != 0) {
                plisSent = t.sendRtcp(rtcp, 0, Pli.write(rtcp, 0, 1, videoSsrc));
            }
            t.flush();
        }
    }

    @Test
    void nackedVideoIsResentAsRtx() throws Exception {
        DtlsCertificate cert = DtlsCertificate.shared();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (UdpLoops loops = UdpLoops.start(1, UdpEndpoint.Transport.AUTO);
             TransportServer server = TransportServer.start(new InetSocketAddress(loopback, 0), 1);
             BotPeer publisher = new BotPeer(new BotContext(loops, cert, loopback, v -> { }),
                     PeerPlan.publisher(null, TestSource.video(800_000)))) {
            SessionDescription offer = SessionDescription.parse(publisher.createOffer());
            MediaDescription video = offer.media().getFirst();
            LossyReceiver receiver = new LossyReceiver();
            receiver.videoSsrc = (int) (long) video.ssrcGroups().getFirst().ssrcs().get(0);
            receiver.rtxSsrc = (int) (long) video.ssrcGroups().getFirst().ssrcs().get(1);
            IceCredentials serverIce = IceCredentials.random();
            AnswerOptions options = AnswerOptions.builder(serverIce.ufrag(), serverIce.pwd(),
                            new Fingerprint(cert.fingerprintAlgorithm(), cert.fingerprintValue()))
                    .hostCandidates(List.of(server.localAddress())).rtx(true).build();
            SessionDescription answer = SdpAnswerer.answer(offer, options);
            assertTrue(answer.media().getFirst().rtpmap(97) != null, "the answer accepts rtx: " + answer);
            RtcTransport serverSide = server.createTransport(serverIce, SdpParameters.fromOffer(offer), cert, receiver);
            publisher.applyAnswer(answer.toString());
            publisher.connected().get(20, TimeUnit.SECONDS);
            assertTrue(receiver.connected.await(20, TimeUnit.SECONDS));
            Thread.sleep(3000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (receiver.repairedCount < receiver.droppedCount - 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            System.out.printf("discarded %d, NACKs %d, repaired by RTX %d, bot resent %d%n", receiver.droppedCount,
                    receiver.nacksSent, receiver.repairedCount, publisher.retransmissionsSent());
            assertTrue(receiver.droppedCount > 10, "packets were discarded: " + receiver.droppedCount);
            assertTrue(receiver.nacksSent > 5, "NACKs went to the bot: " + receiver.nacksSent);
            assertTrue(receiver.repairedCount >= receiver.droppedCount - 2, "RTX repaired " + receiver.repairedCount
                    + " of " + receiver.droppedCount + " (the latest may still be in flight)");
            assertTrue(publisher.retransmissionsSent() >= receiver.repairedCount, "the bot counts its resends");
            assertEquals(1, publisher.keyframeRequestsReceived(), "the PLI was counted");
            serverSide.close();
        }
    }
}
