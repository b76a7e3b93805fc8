package dev.arena.rtc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.dtls.DtlsRole;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Many client transports on the loops of one {@link UdpLoops}: each connects, the loops outlive the transports. */
class SharedLoopClientsTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void manyClientsShareTwoLoopsAndEachConnectsAndCarriesMedia() throws Exception {
        DtlsCertificate cert = DtlsCertificate.shared();
        int clients = 12;
        try (TransportServer server = TransportServer.start(LOCAL); UdpLoops loops = UdpLoops.start(2,
                UdpEndpoint.Transport.AUTO)) {
            List<RtcTransport> served = new ArrayList<>();
            List<RtcTransport> connected = new ArrayList<>();
            List<TransportPair.Recorder> serverSides = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                IceCredentials serverIce = IceCredentials.random();
                IceCredentials clientIce = IceCredentials.random();
                TransportPair.Recorder serverSide = new TransportPair.Recorder();
                serverSides.add(serverSide);
                served.add(server.createTransport(serverIce, new RemoteParameters(clientIce,
                        cert.fingerprintAlgorithm(), cert.fingerprintValue(), DtlsRole.SERVER, List.of()), cert,
                        serverSide));
                connected.add(RtcTransport.connect(loops, LOCAL, clientIce, new RemoteParameters(serverIce,
                        cert.fingerprintAlgorithm(), cert.fingerprintValue(), DtlsRole.CLIENT,
                        List.of(server.localAddress())), cert, new TransportPair.Recorder(), Duration.ofSeconds(10)));
            }
            Set<Thread> threads = new HashSet<>();
            for (RtcTransport c : connected) {
                await(() -> c.state() == TransportState.CONNECTED);
                threads.add(c.executor().submit(Thread::currentThread).get());
            }
            assertEquals(2, threads.size(), "12 sockets on 2 loops, round robin");
            for (int i = 0; i < clients; i++) {
                TransportPair.sendRtp(connected.get(i), 1000 + i, 1);
            }
            for (TransportPair.Recorder r : serverSides) {
                await(() -> r.rtp.get() == 1);
            }
            // closing a transport closes its socket only; the others and the loops go on
            connected.get(0).close();
            await(() -> connected.get(0).endpoint().isClosed()); // close() hands the socket's close to its loop
            TransportPair.sendRtp(connected.get(1), 1001, 2);
            await(() -> serverSides.get(1).rtp.get() == 2);
            connected.forEach(RtcTransport::close);
            served.forEach(RtcTransport::close);
            assertFalse(loops.group().isShuttingDown(), "the owner still holds the loops");
            loops.close();
            await(() -> loops.group().isTerminated());
            assertThrows(IllegalStateException.class, () -> RtcTransport.connect(loops, LOCAL,
                    IceCredentials.random(), new RemoteParameters(IceCredentials.random(), cert.fingerprintAlgorithm(),
                            cert.fingerprintValue(), DtlsRole.CLIENT, List.of(server.localAddress())), cert,
                    new TransportPair.Recorder(), Duration.ofSeconds(1)));
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(10);
        }
    }
}
