package dev.arena.bots.peer;

/** A remote description the bot cannot use; the message says why. */
public final class PeerException extends Exception {
    public PeerException(String message) {
        super(message);
    }

    public PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
