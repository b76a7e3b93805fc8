package dev.arena.rtc.transport;

import dev.arena.rtc.srtp.SrtpDrop;
import dev.arena.rtc.srtp.SrtpProfile;
import java.net.InetSocketAddress;
import java.util.Map;

/** A snapshot of one transport's counters, for stats endpoints and tests. */
public record TransportStats(
        TransportState state,
        SrtpProfile srtpProfile,
        InetSocketAddress remoteAddress,
        long rtpPacketsIn,
        long rtcpPacketsIn,
        long rtpPacketsOut,
        long rtcpPacketsOut,
        long bytesIn,
        long bytesOut,
        Map<TransportDrop, Long> drops,
        Map<SrtpDrop, Long> srtpDrops) {
}
