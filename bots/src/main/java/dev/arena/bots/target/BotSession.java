package dev.arena.bots.target;

import dev.arena.bots.media.MediaSource;
import java.util.concurrent.CompletableFuture;

/**
 * One joined bot's signaling session. It handles the server's re-negotiation requests by itself (Arena's
 * {@code offer_needed}: a re-offer with more receivers through the peer). Stage methods fail with a
 * {@link TargetException} (reason {@code unsupported}) on targets that have no stage.
 */
public interface BotSession {
    /** Raises the bot's hand (a listener). */
    CompletableFuture<Void> raiseHand();

    /** As the room's host: brings {@code identity} on stage (approves its raised hand). */
    CompletableFuture<Void> promote(String identity);

    /** As the room's host: sends {@code identity} back to the audience. */
    CompletableFuture<Void> demote(String identity);

    /** Completes when this bot's role becomes speaker (or host). */
    CompletableFuture<Void> promoted();

    /** Once promoted: publishes these sources with a re-offer on the same connection. */
    CompletableFuture<Void> publish(MediaSource audio, MediaSource video);

    /** Leaves cleanly (signaling leave; the caller closes the peer). Never fails. */
    CompletableFuture<Void> leave();

    /** Completes when the server ends the session (removed, connection lost), with the reason. */
    CompletableFuture<String> ended();
}
