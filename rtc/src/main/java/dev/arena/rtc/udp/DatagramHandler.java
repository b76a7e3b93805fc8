package dev.arena.rtc.udp;

import java.net.InetSocketAddress;

/**
 * Receives the datagrams of a {@link UdpEndpoint}, on the endpoint's event loop.
 *
 * <p>{@code buf} is the endpoint's reusable scratch array: it is valid only during the call. Copy what must
 * outlive it. Sending from inside the call (e.g. {@code via.send(...)}) is cheap: the write is flushed
 * together with the others at the end of the read batch.
 */
@FunctionalInterface
public interface DatagramHandler {
    void onDatagram(byte[] buf, int off, int len, InetSocketAddress from, UdpEndpoint via);

    /** Called once per read batch, after its last datagram and before the batch's writes are flushed. */
    default void onBatchComplete(UdpEndpoint via) {
    }
}
