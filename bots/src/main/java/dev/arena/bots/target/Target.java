package dev.arena.bots.target;

import dev.arena.bots.peer.SdpPeer;
import java.util.concurrent.CompletableFuture;

/** A kind of server the bots load: Arena's own signaling, Janus VideoRoom, or WHIP/WHEP. Thread-safe. */
public interface Target extends AutoCloseable {
    /** A short name for reports: {@code arena}, {@code janus}, {@code whip}. */
    String name();

    /** Whether {@link BotSession#raiseHand()} and the host controls work (the stage scenario needs them). */
    boolean supportsStage();

    /**
     * Joins one bot: signaling, then the SDP exchange through {@code peer}. Completes when the answer is applied
     * (ICE, DTLS and media follow on the peer), or exceptionally with a {@link TargetException}.
     */
    CompletableFuture<BotSession> join(BotSpec bot, SdpPeer peer);

    /** Releases what the target shares among its bots (HTTP client, keep-alive timers). */
    @Override
    void close();
}
