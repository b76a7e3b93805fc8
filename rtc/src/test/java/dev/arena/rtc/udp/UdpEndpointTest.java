package dev.arena.rtc.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.arena.rtc.udp.UdpEndpoint.Options;
import dev.arena.rtc.udp.UdpEndpoint.Transport;
import io.netty.channel.epoll.Epoll;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real datagrams on 127.0.0.1, with java.net.DatagramSocket as the other side. */
class UdpEndpointTest {
    private static final InetSocketAddress ANY_LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** Guard against a hung test only; nothing asserts on time. */
    private static final int GUARD_MS = 20_000;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static Options opts(Transport t) {
        if (t == Transport.EPOLL) {
            assumeTrue(Epoll.isAvailable(), "epoll unavailable");
        }
        return Options.defaults().withTransport(t);
    }

    private UdpEndpoint echo(Options o) {
        UdpEndpoint ep = UdpEndpoint.bind(ANY_LOCAL, (buf, off, len, from, via) -> via.send(buf, off, len, from), o);
        toClose.add(ep);
        return ep;
    }

    private DatagramSocket client() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(GUARD_MS);
        s.setReceiveBufferSize(1 << 20);
        toClose.add(s);
        return s;
    }

    private static void send(DatagramSocket s, byte[] data, InetSocketAddress to) throws Exception {
        s.send(new DatagramPacket(data, data.length, to));
    }

    private static byte[] receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
        s.receive(p);
        return Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
    }

    private static byte[] datagram(int first, int len, int seed) {
        byte[] d = new byte[len];
        for (int i = 0; i < len; i++) {
            d[i] = (byte) (seed * 31 + i);
        }
        d[0] = (byte) first;
        return d;
    }

    private static UdpStats statsOnLoop(UdpEndpoint ep) throws Exception {
        return ep.executor().submit(ep::stats).get(GUARD_MS, TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void echoesStunDtlsAndRtpAndCountsThem(Transport t) throws Exception {
        UdpEndpoint ep = echo(opts(t));
        assertEquals(t == Transport.EPOLL, ep.isEpoll());
        DatagramSocket c = client();
        byte[][] sent = {datagram(0x00, 20, 1), datagram(22, 300, 2), datagram(0x80, 1200, 3), datagram(0x81, 2048, 4)};
        for (byte[] d : sent) {
            send(c, d, ep.localAddress());
            assertArrayEquals(d, receive(c));
        }
        UdpStats s = statsOnLoop(ep);
        assertEquals(4, s.datagramsIn());
        assertEquals(4, s.datagramsOut());
        assertEquals(20 + 300 + 1200 + 2048, s.bytesIn());
        assertEquals(s.bytesIn(), s.bytesOut());
        assertEquals(1, s.kinds().get(PacketKind.STUN));
        assertEquals(1, s.kinds().get(PacketKind.DTLS));
        assertEquals(2, s.kinds().get(PacketKind.RTP_RTCP));
        assertEquals(0, ep.drops().total());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void readsQueuedDatagramsInBatchesAndFlushesTheirEchoesTogether(Transport t) throws Exception {
        UdpEndpoint ep = echo(opts(t));
        DatagramSocket c = client();
        int n = 64;
        // Hold the event loop so that all datagrams queue up in the socket before it reads.
        CountDownLatch sentAll = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        ep.executor().execute(() -> {
            holding.countDown();
            try {
                sentAll.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holding.await();
        for (int i = 0; i < n; i++) {
            send(c, datagram(0x80, 100 + i, i), ep.localAddress());
        }
        sentAll.countDown();
        Set<Integer> lengths = new HashSet<>();
        for (int i = 0; i < n; i++) {
            byte[] got = receive(c);
            lengths.add(got.length);
            assertArrayEquals(datagram(0x80, got.length, got.length - 100), got);
        }
        assertEquals(n, lengths.size());
        UdpStats s = statsOnLoop(ep);
        assertEquals(n, s.datagramsIn());
        assertTrue(s.maxBatch() > 1, "one read batch held several datagrams: " + s);
        assertTrue(s.readBatches() < n, "fewer read batches than datagrams: " + s);
        assertTrue(s.flushes() <= s.readBatches(), "one flush per batch at most: " + s);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void explicitFlushSendsAllQueuedDatagramsInOneFlush(Transport t) throws Exception {
        UdpEndpoint ep = echo(opts(t));
        DatagramSocket c = client();
        InetSocketAddress to = (InetSocketAddress) c.getLocalSocketAddress();
        long flushesBefore = statsOnLoop(ep).flushes();
        int n = 32;
        ep.executor().submit(() -> {
            for (int i = 0; i < n; i++) {
                byte[] d = datagram(0x80, 200 + i, i);
                ep.send(d, 0, d.length, to);
            }
            ep.flush();
            ep.flush(); // nothing pending: not counted
        }).get(GUARD_MS, TimeUnit.MILLISECONDS);
        for (int i = 0; i < n; i++) {
            byte[] got = receive(c);
            assertArrayEquals(datagram(0x80, got.length, got.length - 200), got);
        }
        UdpStats s = statsOnLoop(ep);
        assertEquals(flushesBefore + 1, s.flushes());
        assertEquals(n, s.datagramsOut());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void sendsWithoutExplicitFlushGoOutAfterTheTaskAndFromOtherThreads(Transport t) throws Exception {
        UdpEndpoint ep = echo(opts(t));
        DatagramSocket c = client();
        InetSocketAddress to = (InetSocketAddress) c.getLocalSocketAddress();
        ep.executor().submit(() -> {
            for (int i = 0; i < 3; i++) {
                byte[] d = datagram(0x80, 50, i);
                ep.send(d, 0, d.length, to);
            }
        }).get(GUARD_MS, TimeUnit.MILLISECONDS);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(datagram(0x80, 50, i), receive(c));
        }
        byte[] d = datagram(0x00, 40, 9);
        ep.send(d, 0, d.length, to); // test thread, not the event loop
        assertArrayEquals(d, receive(c));
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void dropsAndCountsOversizeDatagrams(Transport t) throws Exception {
        UdpEndpoint ep = echo(opts(t).withMaxDatagramSize(1200));
        DatagramSocket c = client();
        send(c, datagram(0x80, 1201, 1), ep.localAddress());
        send(c, datagram(0x80, 9000, 2), ep.localAddress());
        byte[] ok = datagram(0x80, 1200, 3);
        send(c, ok, ep.localAddress());
        assertArrayEquals(ok, receive(c)); // the first echo is the one that fits
        assertEquals(2, ep.drops().get(UdpDrop.OVERSIZE));
        byte[] big = new byte[1201];
        big[0] = (byte) 0x80;
        ep.send(big, 0, big.length, (InetSocketAddress) c.getLocalSocketAddress());
        ep.send(big, 1000, 300, (InetSocketAddress) c.getLocalSocketAddress());
        assertEquals(2, ep.drops().get(UdpDrop.SEND_INVALID));
        assertEquals(1, statsOnLoop(ep).datagramsOut());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void dropsAndCountsUnknownKindsAndEmptyDatagrams(Transport t) throws Exception {
        UdpEndpoint ep = echo(opts(t));
        DatagramSocket c = client();
        for (int first : new int[] {16, 64, 100, 192, 255}) {
            send(c, datagram(first, 30, first), ep.localAddress());
        }
        send(c, new byte[0], ep.localAddress());
        byte[] ok = datagram(1, 20, 7);
        send(c, ok, ep.localAddress());
        assertArrayEquals(ok, receive(c));
        UdpStats s = statsOnLoop(ep);
        assertEquals(5, s.drops().get(UdpDrop.UNKNOWN_KIND));
        assertEquals(1, s.drops().get(UdpDrop.EMPTY));
        assertEquals(5, s.kinds().get(PacketKind.UNKNOWN));
        assertEquals(1, s.kinds().get(PacketKind.STUN));
        assertEquals(7, s.datagramsIn());
        assertEquals(1, s.datagramsOut());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void aThrowingHandlerIsCountedAndTheLoopGoesOn(Transport t) throws Exception {
        UdpEndpoint ep = UdpEndpoint.bind(ANY_LOCAL, (buf, off, len, from, via) -> {
            if (buf[off + 1] == 66) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
            via.send(buf, off, len, from);
        }, opts(t));
        toClose.add(ep);
        DatagramSocket c = client();
        byte[] bad = datagram(0x80, 10, 0);
        bad[1] = 66;
        send(c, bad, ep.localAddress());
        byte[] ok = datagram(0x80, 10, 0);
        ok[1] = 1;
        send(c, ok, ep.localAddress());
        assertArrayEquals(ok, receive(c));
        assertEquals(1, ep.drops().get(UdpDrop.HANDLER_ERROR));
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void dropsSendsAboveTheHighWaterMarkInsteadOfQueueing(Transport t) throws Exception {
        UdpEndpoint ep = echo(opts(t).withSendWaterMarks(1, 2));
        DatagramSocket c = client();
        InetSocketAddress to = (InetSocketAddress) c.getLocalSocketAddress();
        ep.executor().submit(() -> {
            byte[] d = datagram(0x80, 100, 1);
            ep.send(d, 0, d.length, to); // queued: the queue is now above its high-water mark
            byte[] e = datagram(0x80, 100, 2);
            ep.send(e, 0, e.length, to); // dropped
            ep.flush();
        }).get(GUARD_MS, TimeUnit.MILLISECONDS);
        assertArrayEquals(datagram(0x80, 100, 1), receive(c));
        assertEquals(1, ep.drops().get(UdpDrop.SEND_QUEUE_FULL));
        // once flushed, the queue drains and sending works again
        byte[] f = datagram(0x80, 100, 3);
        send(c, f, ep.localAddress());
        assertArrayEquals(f, receive(c));
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void closeReleasesThePortAndLaterSendsAreCounted(Transport t) throws Exception {
        UdpEndpoint ep = echo(opts(t));
        DatagramSocket c = client();
        byte[] d = datagram(0x80, 10, 1);
        send(c, d, ep.localAddress());
        assertArrayEquals(d, receive(c));
        InetSocketAddress at = ep.localAddress();
        ep.close();
        ep.close(); // idempotent
        assertTrue(ep.isClosed());
        assertTrue(ep.executor().isShuttingDown());
        ep.send(d, 0, d.length, (InetSocketAddress) c.getLocalSocketAddress());
        assertEquals(1, ep.drops().get(UdpDrop.CLOSED));
        try (DatagramSocket again = new DatagramSocket(at)) { // the port is free again
            assertEquals(at.getPort(), again.getLocalPort());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void bindSharedOpensOneSocketPerLoopOnOnePort(Transport t) throws Exception {
        List<UdpEndpoint> eps = UdpEndpoint.bindShared(ANY_LOCAL, 3,
                (buf, off, len, from, via) -> via.send(buf, off, len, from), opts(t));
        toClose.addAll(eps);
        assertEquals(3, eps.size());
        int port = eps.get(0).localAddress().getPort();
        for (UdpEndpoint ep : eps) {
            assertEquals(port, ep.localAddress().getPort());
        }
        assertNotSame(eps.get(0).executor(), eps.get(1).executor());
        assertNotSame(eps.get(1).executor(), eps.get(2).executor());
        int clients = 12;
        for (int i = 0; i < clients; i++) {
            DatagramSocket c = client();
            byte[] d = datagram(0x80, 64, i);
            send(c, d, eps.get(0).localAddress());
            assertArrayEquals(d, receive(c));
        }
        long in = 0;
        for (UdpEndpoint ep : eps) {
            in += statsOnLoop(ep).datagramsIn();
        }
        assertEquals(clients, in);
        eps.get(0).close();
        eps.get(1).close();
        assertTrue(!eps.get(2).executor().isShuttingDown(), "the group lives while an endpoint is open");
        eps.get(2).close();
        assertTrue(eps.get(2).executor().isShuttingDown());
    }
}
