package dev.arena.bots;

/** Bad command line or configuration: the message says what and how to fix it; exit code 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
