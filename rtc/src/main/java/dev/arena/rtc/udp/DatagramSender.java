package dev.arena.rtc.udp;

import java.net.InetSocketAddress;

/** Sends one datagram. Implemented by {@link UdpEndpoint}; ice and dtls send through it. */
public interface DatagramSender {
    void send(byte[] buf, int off, int len, InetSocketAddress to);
}
