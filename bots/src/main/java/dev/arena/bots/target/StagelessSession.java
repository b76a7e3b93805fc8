package dev.arena.bots.target;

import dev.arena.bots.media.MediaSource;
import java.util.concurrent.CompletableFuture;

/** A session on a target without a stage (Janus, WHIP/WHEP): every stage request fails with {@code unsupported}. */
abstract class StagelessSession implements BotSession {
    private final String targetName;

    StagelessSession(String targetName) {
        this.targetName = targetName;
    }

    private <T> CompletableFuture<T> unsupported() {
        return CompletableFuture.failedFuture(new TargetException("unsupported", targetName + " has no stage"));
    }

    @Override
    public final CompletableFuture<Void> raiseHand() {
        return unsupported();
    }

    @Override
    public final CompletableFuture<Void> promote(String identity) {
        return unsupported();
    }

    @Override
    public final CompletableFuture<Void> demote(String identity) {
        return unsupported();
    }

    @Override
    public final CompletableFuture<Void> promoted() {
        return unsupported();
    }

    @Override
    public final CompletableFuture<Void> publish(MediaSource audio, MediaSource video) {
        return unsupported();
    }
}
