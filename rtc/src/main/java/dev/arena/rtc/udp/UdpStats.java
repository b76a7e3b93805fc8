package dev.arena.rtc.udp;

import java.util.Map;

/**
 * A snapshot of a {@link UdpEndpoint}'s counters.
 *
 * @param readBatches times the event loop drained the socket (channelReadComplete)
 * @param maxBatch    most datagrams handed to the handler in one read batch
 * @param flushes     flushes that had writes pending (each one becomes one sendmmsg on epoll, up to its batch size)
 * @param kinds       received datagrams by {@link PacketKind}, UNKNOWN included
 */
public record UdpStats(long datagramsIn, long bytesIn, long datagramsOut, long bytesOut, long readBatches,
        long maxBatch, long flushes, Map<PacketKind, Long> kinds, Map<UdpDrop, Long> drops) {
}
