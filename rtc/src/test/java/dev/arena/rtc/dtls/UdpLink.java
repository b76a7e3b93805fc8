package dev.arena.rtc.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.function.Consumer;

/**
 * A UDP socket on 127.0.0.1 that feeds a {@link DtlsSession} (what the udp package does in production): the
 * remote address is given (client) or learned from the first datagram (server).
 */
final class UdpLink implements AutoCloseable {
    final DatagramSocket socket;
    private volatile InetSocketAddress remote;
    private volatile DtlsSession session;

    UdpLink(InetSocketAddress remote) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.remote = remote;
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** The send consumer for the session. */
    Consumer<byte[]> sender() {
        return datagram -> {
            InetSocketAddress to = remote;
            if (to == null) {
                return; // nothing to answer yet
            }
            try {
                socket.send(new DatagramPacket(datagram, datagram.length, to));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    void attach(DtlsSession s) {
        this.session = s;
        Thread.ofVirtual().name("udp-link").start(() -> {
            byte[] buf = new byte[65535];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (!socket.isClosed()) {
                try {
                    socket.receive(packet);
                } catch (IOException e) {
                    return;
                }
                if (remote == null) {
                    remote = (InetSocketAddress) packet.getSocketAddress();
                }
                session.receive(packet.getData(), packet.getOffset(), packet.getLength());
            }
        });
    }

    static int freePort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
