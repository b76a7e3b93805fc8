package dev.arena.rtc.transport;

import static dev.arena.rtc.transport.AiortcTransportTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.srtp.SrtpProfile;
import dev.arena.rtc.stun.StunMessage;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Both roles of {@link RtcTransport} against each other, and what bad peers and bad bytes must not do. */
class TransportTest {

    @Test
    void clientAndServerRolesConnectAndCarryRtpAndRtcpBothWays() throws Exception {
        try (TransportPair pair = TransportPair.matching()) {
            await(() -> pair.serverTransport.state() == TransportState.CONNECTED
                    && pair.clientTransport.state() == TransportState.CONNECTED, Duration.ofSeconds(20),
                    () -> "both connected: server " + pair.serverTransport.stats() + " client " + pair.clientTransport.stats());
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, pair.serverTransport.srtpProfile(), "AEAD preferred");
            assertEquals(pair.clientTransport.endpoint().localAddress().getPort(),
                    pair.serverTransport.remoteAddress().getPort(), "server follows the client's address");

            for (int seq = 1; seq <= 50; seq++) {
                TransportPair.sendRtp(pair.clientTransport, 0x1111, seq);
                TransportPair.sendRtp(pair.serverTransport, 0x2222, seq);
            }
            await(() -> pair.serverSide.rtp.get() == 50 && pair.clientSide.rtp.get() == 50, Duration.ofSeconds(10),
                    () -> "50 each way; server got " + pair.serverSide.rtp + ", client got " + pair.clientSide.rtp);
            assertEquals("packet 1", pair.serverSide.payloads.getFirst(), "decrypted payload");
            assertEquals("packet 50", pair.clientSide.payloads.getLast());

            pair.serverTransport.executor().execute(() -> {
                byte[] buf = new byte[64];
                pair.serverTransport.sendRtcp(buf, 0, Pli.write(buf, 0, 0x2222, 0x1111));
            });
            await(() -> pair.clientSide.rtcp.get() >= 1, Duration.ofSeconds(10), () -> "the PLI arrives");
        }
    }

    @Test
    void iceRestartKeepsTheTransportItsDtlsAndItsMedia() throws Exception {
        try (TransportPair pair = TransportPair.matching()) {
            await(() -> pair.serverTransport.state() == TransportState.CONNECTED
                    && pair.clientTransport.state() == TransportState.CONNECTED, Duration.ofSeconds(20),
                    () -> "both connected");
            var newServer = dev.arena.rtc.ice.IceCredentials.random();
            var newClient = dev.arena.rtc.ice.IceCredentials.random();
            pair.serverTransport.restartIce(newServer, newClient);
            pair.clientTransport.restartIce(newClient, newServer);
            assertEquals(newServer, pair.serverTransport.localIceCredentials());

            for (int seq = 1; seq <= 20; seq++) {
                TransportPair.sendRtp(pair.clientTransport, 0x1111, seq);
            }
            await(() -> pair.serverSide.rtp.get() == 20, Duration.ofSeconds(10),
                    () -> "media after the restart; got " + pair.serverSide.rtp);
            assertEquals(TransportState.CONNECTED, pair.serverTransport.state());
            assertTrue(pair.serverSide.states.stream().filter(s -> s == TransportState.CONNECTED).count() == 1,
                    "no new DTLS handshake: " + pair.serverSide.states);
        }
    }

    @Test
    void wrongFingerprintFailsTheHandshakeAndNoMediaIsAccepted() throws Exception {
        DtlsCertificate real = DtlsCertificate.shared();
        DtlsCertificate other = DtlsCertificate.generate();
        try (TransportPair pair = new TransportPair(real, real, other)) {
            await(() -> pair.serverTransport.state() == TransportState.FAILED, Duration.ofSeconds(20),
                    () -> "server fails the client's certificate: " + pair.serverTransport.stats());
            await(() -> pair.clientTransport.state() != TransportState.CONNECTING
                    && pair.clientTransport.state() != TransportState.NEW, Duration.ofSeconds(20),
                    () -> "client hears of it: " + pair.clientTransport.stats());
            assertTrue(pair.clientTransport.state() != TransportState.CONNECTED, pair.clientTransport.stats().toString());
            assertNull(pair.serverTransport.srtpProfile(), "no SRTP keys");
            assertEquals(0, pair.serverSide.rtp.get(), "no media reaches the listener");
            assertEquals(0, pair.serverTransport.stats().rtpPacketsIn());
        }
    }

    @Test
    void wrongIcePasswordGets401AndChangesNothing() throws Exception {
        try (TransportServer server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            DtlsCertificate cert = DtlsCertificate.shared();
            var serverIce = dev.arena.rtc.ice.IceCredentials.random();
            var peerIce = dev.arena.rtc.ice.IceCredentials.random();
            TransportPair.Recorder recorder = new TransportPair.Recorder();
            RtcTransport transport = server.createTransport(serverIce, new RemoteParameters(peerIce,
                    cert.fingerprintAlgorithm(), cert.fingerprintValue(), dev.arena.rtc.dtls.DtlsRole.SERVER, List.of()),
                    cert, recorder);
            peer.setSoTimeout(5000);

            StunMessage reply = check(peer, server.localAddress(), serverIce.ufrag() + ":" + peerIce.ufrag(), "wrong-password-123456789");
            assertEquals(StunMessage.CLASS_ERROR, reply.messageClass(), "an error response");
            assertEquals(401, reply.errorCode());
            assertEquals(TransportState.NEW, transport.state(), "nothing changed");
            assertNull(transport.remoteAddress(), "no address learned");

            reply = check(peer, server.localAddress(), serverIce.ufrag() + ":" + peerIce.ufrag(), serverIce.pwd());
            assertEquals(StunMessage.CLASS_SUCCESS, reply.messageClass(), "the right password still works");
            assertNotNull(transport.remoteAddress());
            assertEquals(peer.getLocalPort(), transport.remoteAddress().getPort());
            transport.close();
        }
    }

    @Test
    void garbageFloodLeavesAnEstablishedTransportWorking() throws Exception {
        try (TransportPair pair = TransportPair.matching()) {
            await(() -> pair.serverTransport.state() == TransportState.CONNECTED
                    && pair.clientTransport.state() == TransportState.CONNECTED, Duration.ofSeconds(20),
                    () -> "both connected");
            InetSocketAddress target = pair.server.localAddress();
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong sent = new AtomicLong();
            List<Thread> flooders = new ArrayList<>();
            for (int f = 0; f < 2; f++) {
                int seed = f;
                flooders.add(Thread.ofPlatform().start(() -> flood(target, flooding, sent, new Random(seed))));
            }
            int seq = 0;
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                TransportPair.sendRtp(pair.clientTransport, 0x1111, ++seq);
                Thread.sleep(20);
            }
            flooding.set(false);
            for (Thread t : flooders) {
                t.join();
            }
            long duringFlood = pair.serverSide.rtp.get();
            for (int i = 1; i <= 20; i++) {
                TransportPair.sendRtp(pair.clientTransport, 0x1111, ++seq);
            }
            long expected = duringFlood + 20;
            await(() -> pair.serverSide.rtp.get() >= expected, Duration.ofSeconds(10),
                    () -> "media after the flood; got " + pair.serverSide.rtp + " of " + expected);
            assertEquals(TransportState.CONNECTED, pair.serverTransport.state());
            assertTrue(sent.get() > 1000, "the flood was real: " + sent.get() + " datagrams");
            long counted = pair.server.drops().total() + pair.server.ice().drops().total()
                    + pair.serverTransport.drops().total();
            assertTrue(counted > 0, "garbage was counted: " + pair.server.drops() + " " + pair.server.ice().drops());
        }
    }

    /** Random datagrams whose first bytes look like each kind (STUN, DTLS, RTP) and like nothing. */
    private static void flood(InetSocketAddress target, AtomicBoolean flooding, AtomicLong sent, Random random) {
        int[] firstBytes = {0x00, 0x01, 0x16, 0x17, 0x80, 0x90, 0xC8, 0xFF, 0x40};
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] buf = new byte[1400];
            while (flooding.get()) {
                int len = 1 + random.nextInt(buf.length);
                random.nextBytes(buf);
                buf[0] = (byte) firstBytes[random.nextInt(firstBytes.length)];
                if (buf[0] <= 1 && len >= 20) { // STUN-shaped: magic cookie, sometimes a plausible length
                    buf[4] = 0x21; buf[5] = 0x12; buf[6] = (byte) 0xA4; buf[7] = 0x42;
                }
                s.send(new DatagramPacket(buf, len, target));
                sent.incrementAndGet();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A controlling browser starts DTLS on its first valid pair and may nominate it (USE-CANDIDATE) only seconds
     * later (Chromium did, on a node's first connection): the server must answer the ClientHello at the address it
     * came from, a validated one, rather than wait for the nomination and the browser's retransmission backoff.
     */
    @Test
    void dtlsBeforeTheNominationIsAnsweredAtItsValidatedAddress() throws Exception {
        try (TransportServer server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            DtlsCertificate cert = DtlsCertificate.shared();
            var serverIce = dev.arena.rtc.ice.IceCredentials.random();
            var peerIce = dev.arena.rtc.ice.IceCredentials.random();
            TransportPair.Recorder recorder = new TransportPair.Recorder();
            RtcTransport transport = server.createTransport(serverIce, new RemoteParameters(peerIce,
                    cert.fingerprintAlgorithm(), cert.fingerprintValue(), dev.arena.rtc.dtls.DtlsRole.SERVER, List.of()),
                    cert, recorder);
            peer.setSoTimeout(5000);
            StunMessage reply = check(peer, server.localAddress(), serverIce.ufrag() + ":" + peerIce.ufrag(),
                    serverIce.pwd(), false);
            assertEquals(StunMessage.CLASS_SUCCESS, reply.messageClass(), "a valid check, not a nomination");
            assertNull(transport.remoteAddress(), "nothing nominated");

            java.util.concurrent.CompletableFuture<SrtpProfile> connected = new java.util.concurrent.CompletableFuture<>();
            dev.arena.rtc.dtls.DtlsSession client = new dev.arena.rtc.dtls.DtlsSession(dev.arena.rtc.dtls.DtlsRole.CLIENT,
                    cert, cert.fingerprintAlgorithm(), cert.fingerprintValue(), d -> {
                        try {
                            peer.send(new DatagramPacket(d, d.length, server.localAddress()));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, new dev.arena.rtc.dtls.DtlsListener() {
                        @Override
                        public void onConnected(SrtpProfile profile, byte[] keyingMaterial) {
                            connected.complete(profile);
                        }

                        @Override
                        public void onFailed(String reason, Throwable cause) {
                            connected.completeExceptionally(new IllegalStateException(reason, cause));
                        }
                    }, Duration.ofSeconds(20));
            Thread reader = Thread.ofVirtual().start(() -> {
                byte[] in = new byte[2048];
                DatagramPacket p = new DatagramPacket(in, in.length);
                while (!peer.isClosed()) {
                    try {
                        peer.receive(p);
                        client.receive(in, 0, p.getLength());
                    } catch (java.io.IOException e) {
                        // timeout: keep reading; closed: the loop ends
                    }
                }
            });
            try {
                client.start();
                assertEquals(SrtpProfile.AEAD_AES_128_GCM, connected.get(20, java.util.concurrent.TimeUnit.SECONDS));
                await(() -> transport.state() == TransportState.CONNECTED, Duration.ofSeconds(20),
                        () -> "server side connected: " + transport.stats());
                assertEquals(peer.getLocalPort(), transport.remoteAddress().getPort(),
                        "not nominated, but the address the DTLS came from");
                assertEquals(0, transport.drops().snapshot().getOrDefault(TransportDrop.NO_PATH, 0L), "no flight lost");
            } finally {
                client.close();
                transport.close();
                peer.close();
                reader.join(5000);
            }
        }
    }

    static StunMessage check(DatagramSocket peer, InetSocketAddress to, String username, String password)
            throws Exception {
        return check(peer, to, username, password, true);
    }

    static StunMessage check(DatagramSocket peer, InetSocketAddress to, String username, String password,
                             boolean nominate) throws Exception {
        byte[] txid = new byte[12];
        new SecureRandom().nextBytes(txid);
        byte[] buf = new byte[512];
        var b = StunMessage.build(buf, 0, StunMessage.BINDING_REQUEST, txid, 0)
                .username(username)
                .priority(0x6e7f1eff)
                .iceControlling(0x0102030405060708L);
        if (nominate) {
            b = b.useCandidate();
        }
        int n = b.messageIntegrity(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"))
                .fingerprint()
                .length();
        peer.send(new DatagramPacket(buf, n, to));
        byte[] in = new byte[1500];
        DatagramPacket p = new DatagramPacket(in, in.length);
        peer.receive(p);
        StunMessage reply = new StunMessage();
        assertTrue(reply.wrap(in, 0, p.getLength()), "a STUN reply");
        return reply;
    }
}
