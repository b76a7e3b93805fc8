package dev.arena.bots.peer;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.udp.UdpLoops;
import java.net.InetAddress;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * What every bot of one run shares.
 *
 * @param loops          the event loops (one per core) that all bots' sockets and timers live on
 * @param certificate    one DTLS certificate for all bots (generating one per bot costs milliseconds each)
 * @param bindAddress    local address the bots' sockets bind (port 0: one free port each)
 * @param latencyMicros  gets one end-to-end latency sample per received packet that carries abs-capture-time;
 *                       called on the bot's loop, so it must be thread-safe and cheap (an HdrHistogram Recorder)
 */
public record BotContext(UdpLoops loops, DtlsCertificate certificate, InetAddress bindAddress,
                         LongConsumer latencyMicros) {
    public BotContext {
        Objects.requireNonNull(loops, "loops");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(latencyMicros, "latencyMicros");
    }
}
