package dev.arena.rtc.transport;

import static dev.arena.rtc.transport.AiortcTransportTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.dtls.DtlsRole;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.stun.StunMessage;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A {@link TransportServer} on two loops (two sockets on one port, SO_REUSEPORT): each transport is homed on the loop
 * whose socket its peer's checks reach, runs every callback there, and a datagram that reaches the other socket is
 * handed over to it.
 */
class MultiLoopTransportTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void transportsAreHomedWhereTheirPeersLandAndStayThere() throws Exception {
        DtlsCertificate cert = DtlsCertificate.shared();
        try (TransportServer server = TransportServer.start(LOCAL, 2)) {
            assertEquals(2, server.loopCount());
            List<RtcTransport> clients = new ArrayList<>();
            List<RtcTransport> served = new ArrayList<>();
            List<LoopCheckingRecorder> recorders = new ArrayList<>();
            Set<ScheduledExecutorService> used = new HashSet<>();
            try {
                // the kernel's hash picks the socket: add peers (each on its own port) until both loops carry one
                for (int i = 0; i < 24 && used.size() < 2; i++) {
                    IceCredentials serverIce = IceCredentials.random();
                    IceCredentials clientIce = IceCredentials.random();
                    LoopCheckingRecorder recorder = new LoopCheckingRecorder();
                    RtcTransport t = server.createTransport(serverIce, new RemoteParameters(clientIce,
                            cert.fingerprintAlgorithm(), cert.fingerprintValue(), DtlsRole.SERVER, List.of()), cert,
                            recorder);
                    RtcTransport c = RtcTransport.connect(LOCAL, clientIce, new RemoteParameters(serverIce,
                            cert.fingerprintAlgorithm(), cert.fingerprintValue(), DtlsRole.CLIENT,
                            List.of(server.localAddress())), cert, new TransportPair.Recorder());
                    served.add(t);
                    clients.add(c);
                    recorders.add(recorder);
                    await(() -> t.state() == TransportState.CONNECTED && c.state() == TransportState.CONNECTED,
                            Duration.ofSeconds(20), () -> "connected: " + t.stats());
                    used.add(t.executor());
                }
                assertEquals(2, used.size(), "both loops carry transports");
                for (int i = 0; i < served.size(); i++) {
                    for (int seq = 1; seq <= 20; seq++) {
                        TransportPair.sendRtp(clients.get(i), 0x2000 + i, seq);
                    }
                }
                for (int i = 0; i < served.size(); i++) {
                    LoopCheckingRecorder r = recorders.get(i);
                    await(() -> r.rtp.get() == 20, Duration.ofSeconds(10), () -> "media: " + r.rtp);
                    assertEquals(0, r.offLoop.get(), "every callback on the transport's own loop");
                }
                assertEquals(0, server.handOvers(), "each peer's datagrams reach its own loop");
            } finally {
                clients.forEach(RtcTransport::close);
            }
        }
    }

    @Test
    void aPeerThatMovesToTheOtherSocketIsHandedOverToItsLoop() throws Exception {
        DtlsCertificate cert = DtlsCertificate.shared();
        try (TransportServer server = TransportServer.start(LOCAL, 2)) {
            IceCredentials serverIce = IceCredentials.random();
            IceCredentials peerIce = IceCredentials.random();
            LoopCheckingRecorder recorder = new LoopCheckingRecorder();
            RtcTransport t = server.createTransport(serverIce, new RemoteParameters(peerIce, cert.fingerprintAlgorithm(),
                    cert.fingerprintValue(), DtlsRole.SERVER, List.of()), cert, recorder);
            String user = serverIce.ufrag() + ":" + peerIce.ufrag();
            List<DatagramSocket> sockets = new ArrayList<>();
            try {
                InetSocketAddress first = null;
                // new source ports (the peer moving) until one hashes to the other socket
                for (int i = 0; i < 32 && server.handOvers() == 0; i++) {
                    DatagramSocket peer = new DatagramSocket(LOCAL);
                    peer.setSoTimeout(5000);
                    sockets.add(peer);
                    StunMessage reply = TransportTest.check(peer, server.localAddress(), user, serverIce.pwd());
                    assertEquals(StunMessage.CLASS_SUCCESS, reply.messageClass());
                    if (first == null) {
                        first = t.remoteAddress();
                    }
                }
                assertTrue(server.handOvers() > 0, "a check reached the other socket");
                assertNotEquals(first, t.remoteAddress(), "the nominated new address is selected");
                assertEquals(sockets.getLast().getLocalPort(), t.remoteAddress().getPort());
                assertEquals(0, recorder.offLoop.get(), "every callback on the transport's own loop");
            } finally {
                sockets.forEach(DatagramSocket::close);
                t.close();
            }
        }
    }

    /** Counts callbacks that ran anywhere but on the transport's loop. */
    static final class LoopCheckingRecorder implements TransportListener {
        final AtomicLong rtp = new AtomicLong();
        final AtomicLong offLoop = new AtomicLong();

        private void check(RtcTransport t) {
            if (!((io.netty.util.concurrent.EventExecutor) t.executor()).inEventLoop()) {
                offLoop.incrementAndGet();
            }
        }

        @Override
        public void onStateChange(RtcTransport transport, TransportState state) {
            if (!state.isTerminal()) {
                check(transport);
            }
        }

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            check(transport);
            rtp.incrementAndGet();
        }
    }
}
