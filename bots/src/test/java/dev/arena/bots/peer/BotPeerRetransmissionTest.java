package dev.arena.bots.peer;

import dev.arena.bots.media.MediaSources;

import dev.arena.bots.media.MediaKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.feedback.NackGenerator;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtxPacket;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Candidate;
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
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A publisher bot answers NACKs: as RTX when the answer accepts rtx, else by resending the packet's SRTP bytes. The
 * remote is an rtc ICE-lite server transport answering with the rtc answerer; between them a UDP relay discards every
 * 20th original video packet (it reads the RTP header, which SRTP leaves in the clear), like a lossy network: the
 * receiver NACKs the gaps with rtc's NackGenerator, as an SFU or a browser would, and sees them repaired.
 */
class BotPeerRetransmissionTest {

    /** Forwards datagrams between the bot and the server; drops every 20th original video RTP packet. */
    private static final class LossyRelay implements AutoCloseable {
        final DatagramSocket towardBot = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final DatagramSocket towardServer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final BitSet dropped = new BitSet(65536);
        final int videoSsrc;
        final SocketAddress server;
        volatile SocketAddress bot;
        volatile int droppedCount;
        int videoPackets;

        LossyRelay(SocketAddress server, int videoSsrc) throws Exception {
            this.server = server;
            this.videoSsrc = videoSsrc;
            Thread.ofPlatform().daemon().start(() -> pump(towardBot, towardServer, true));
            Thread.ofPlatform().daemon().start(() -> pump(towardServer, towardBot, false));
        }

        private void pump(DatagramSocket from, DatagramSocket to, boolean upstream) {
            byte[] b = new byte[2048];
            DatagramPacket p = new DatagramPacket(b, b.length);
            while (!from.isClosed()) {
                try {
                    p.setLength(b.length);
                    from.receive(p);
                    if (upstream) {
                        bot = p.getSocketAddress();
                        if (shouldDrop(b, p.getLength())) {
                            continue;
                        }
                    }
                    SocketAddress dest = upstream ? server : bot;
                    if (dest != null) {
                        to.send(new DatagramPacket(b, p.getLength(), dest));
                    }
                } catch (Exception closed) {
                    return;
                }
            }
        }

        /** An original video RTP packet (not a resend of one dropped before), every 20th. */
        private boolean shouldDrop(byte[] b, int len) {
            boolean rtp = len >= 12 && (b[0] & 0xC0) == 0x80 && (b[1] & 0x7F) == 96;
            int ssrc = ((b[8] & 0xFF) << 24) | ((b[9] & 0xFF) << 16) | ((b[10] & 0xFF) << 8) | (b[11] & 0xFF);
            if (!rtp || ssrc != videoSsrc) {
                return false;
            }
            int seq = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
            synchronized (dropped) {
                if (dropped.get(seq)) {
                    return false; // a plain resend: let it through
                }
                if (++videoPackets % 20 == 0) {
                    dropped.set(seq);
                    droppedCount++;
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            towardBot.close();
            towardServer.close();
        }
    }

    /** The receiving end: NACKs what the relay dropped and sees the repairs (RTX or plain). */
    private static final class Receiver implements TransportListener {
        final RtpPacket view = new RtpPacket();
        final NackGenerator nacks = new NackGenerator();
        final BitSet repaired = new BitSet(65536);
        final CountDownLatch connected = new CountDownLatch(1);
        final byte[] rtcp = new byte[1500];
        final int videoSsrc;
        final int rtxSsrc;
        final LossyRelay relay;
        volatile int repairedCount;
        volatile int nacksSent;
        boolean pliSent;

        Receiver(int videoSsrc, int rtxSsrc, LossyRelay relay) {
            this.videoSsrc = videoSsrc;
            this.rtxSsrc = rtxSsrc;
            this.relay = relay;
        }

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
            int seq = view.ssrc() == videoSsrc ? view.sequenceNumber()
                    : view.ssrc() == rtxSsrc ? RtxPacket.originalSequenceNumber(view) : -1;
            if (seq < 0) {
                return;
            }
            synchronized (relay.dropped) {
                if (relay.dropped.get(seq) && !repaired.get(seq)) {
                    repaired.set(seq);
                    repairedCount++;
                }
            }
            nacks.onPacket(seq, System.nanoTime());
        }

        private void poll(RtcTransport t) {
            int len = nacks.poll(System.nanoTime(), rtcp, 0, 1, videoSsrc);
            if (len > 0 && t.sendRtcp(rtcp, 0, len)) {
                nacksSent++;
            }
            if (!pliSent) {
                pliSent = t.sendRtcp(rtcp, 0, Pli.write(rtcp, 0, 1, videoSsrc));
            }
            t.flush();
        }
    }

    @ParameterizedTest(name = "rtx accepted: {0}")
    @ValueSource(booleans = {true, false})
    void nackedVideoIsResent(boolean rtx) throws Exception {
        DtlsCertificate cert = DtlsCertificate.shared();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (UdpLoops loops = UdpLoops.start(1, UdpEndpoint.Transport.AUTO);
             TransportServer server = TransportServer.start(new InetSocketAddress(loopback, 0), 1);
             BotPeer publisher = new BotPeer(new BotContext(loops, cert, loopback, v -> { }),
                     PeerPlan.publisher(null, MediaSources.synthetic(MediaKind.VIDEO, 800_000)))) {
            SessionDescription offer = SessionDescription.parse(publisher.createOffer());
            MediaDescription video = offer.media().getFirst();
            int videoSsrc = (int) (long) video.ssrcGroups().getFirst().ssrcs().get(0);
            int rtxSsrc = (int) (long) video.ssrcGroups().getFirst().ssrcs().get(1);
            try (LossyRelay relay = new LossyRelay(server.localAddress(), videoSsrc)) {
                Receiver receiver = new Receiver(videoSsrc, rtxSsrc, relay);
                IceCredentials serverIce = IceCredentials.random();
                // the bot reaches the server through the relay: the relay's address is the candidate it gets
                AnswerOptions options = AnswerOptions.builder(serverIce.ufrag(), serverIce.pwd(),
                                new Fingerprint(cert.fingerprintAlgorithm(), cert.fingerprintValue()))
                        .candidate(Candidate.host("1", (InetSocketAddress) relay.towardBot.getLocalSocketAddress()))
                        .rtx(rtx).build();
                SessionDescription answer = SdpAnswerer.answer(offer, options);
                assertEquals(rtx, answer.media().getFirst().rtpmap(97) != null, answer.toString());
                RtcTransport serverSide = server.createTransport(serverIce, SdpParameters.fromOffer(offer), cert,
                        receiver);
                publisher.applyAnswer(answer.toString());
                publisher.connected().get(20, TimeUnit.SECONDS);
                assertTrue(receiver.connected.await(20, TimeUnit.SECONDS));
                Thread.sleep(3000);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (receiver.repairedCount < relay.droppedCount - 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                System.out.printf("rtx %s: dropped %d, NACKs %d, repaired %d, bot resent %d%n", rtx,
                        relay.droppedCount, receiver.nacksSent, receiver.repairedCount, publisher.retransmissionsSent());
                assertTrue(relay.droppedCount > 10, "packets were dropped: " + relay.droppedCount);
                assertTrue(receiver.nacksSent > 5, "NACKs went to the bot: " + receiver.nacksSent);
                assertTrue(receiver.repairedCount >= relay.droppedCount - 2, "repaired " + receiver.repairedCount
                        + " of " + relay.droppedCount + " (the latest may still be in flight)");
                assertTrue(publisher.retransmissionsSent() >= receiver.repairedCount, "the bot counts its resends");
                assertEquals(1, publisher.keyframeRequestsReceived(), "the PLI was counted");
                assertEquals(0, serverSide.stats().srtpDrops().getOrDefault(dev.arena.rtc.srtp.SrtpDrop.AUTH_FAILED,
                        0L), "resends authenticate");
                serverSide.close();
            }
        }
    }
}
