package dev.arena.bots.scenario;

import dev.arena.bots.peer.PeerStats;
import dev.arena.bots.peer.SdpPeer;
import java.util.concurrent.CompletableFuture;

/**
 * A bot's media connection as the scenario drives it: the SDP side a target uses, plus what the runner watches.
 * The peer package's {@code BotPeer} has these methods; the wiring adapts it ({@link PeerFactory}).
 */
public interface LivePeer extends SdpPeer {
    /** Its counters now (any thread). */
    PeerStats stats();

    /** Completes when ICE and DTLS are up; exceptionally when they fail. */
    CompletableFuture<?> connected();

    /** Completes at the first RTP packet received (a listener) or sent (a publisher). */
    CompletableFuture<?> firstMedia();

    /** Closes the transport; idempotent. */
    void close();
}
