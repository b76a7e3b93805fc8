package dev.arena.rtc.ice;

import static org.junit.jupiter.api.Assertions.*;

import dev.arena.rtc.udp.DatagramSender;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The controlling agent and the lite server over real UDP sockets on 127.0.0.1. */
class IceUdpTest {

    /** A socket with a receive thread; sends go straight out. */
    private static final class Endpoint implements DatagramSender, AutoCloseable {
        interface Handler {
            void on(byte[] b, int off, int len, InetSocketAddress from);
        }

        final DatagramSocket socket;
        final Thread reader;

        Endpoint(Handler h) throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            reader = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[1500];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                while (!socket.isClosed()) {
                    try {
                        p.setLength(buf.length);
                        socket.receive(p);
                        h.on(buf, 0, p.getLength(), (InetSocketAddress) p.getSocketAddress());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void send(byte[] buf, int off, int len, InetSocketAddress to) {
            try {
                socket.send(new DatagramPacket(buf, off, len, to));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void agentConnectsToLiteServerOverLoopback() throws Exception {
        IceLiteServer server = new IceLiteServer(System::nanoTime);
        IceCredentials serverCreds = IceCredentials.random();
        IceCredentials clientCreds = IceCredentials.random();
        CountDownLatch serverConnected = new CountDownLatch(1);
        IceLiteSession session = server.register(serverCreds, clientCreds, new IceListener() {
            @Override
            public void onStateChange(IceState s) {
                if (s == IceState.CONNECTED) {
                    serverConnected.countDown();
                }
            }
        });
        Endpoint[] serverEp = new Endpoint[1];
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Endpoint s = new Endpoint((b, o, l, from) -> server.handle(b, o, l, from, serverEp[0]))) {
            serverEp[0] = s;
            CountDownLatch clientConnected = new CountDownLatch(1);
            IceControllingAgent[] agent = new IceControllingAgent[1];
            try (Endpoint c = new Endpoint((b, o, l, from) -> agent[0].handle(b, o, l, from))) {
                agent[0] = new IceControllingAgent(clientCreds, serverCreds,
                        List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), s.address()), c, scheduler,
                        System::nanoTime, new IceListener() {
                            @Override
                            public void onStateChange(IceState st) {
                                if (st == IceState.CONNECTED) {
                                    clientConnected.countDown();
                                }
                            }
                        });
                agent[0].start();
                assertTrue(clientConnected.await(20, TimeUnit.SECONDS), "agent connected: " + agent[0]);
                assertTrue(serverConnected.await(20, TimeUnit.SECONDS), "server session connected");
                assertEquals(s.address(), agent[0].selectedAddress());
                assertEquals(c.address(), session.selectedAddress());
                assertSame(session, server.sessionFor(c.address()));
                agent[0].close();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
