package dev.arena.bots.report;

/**
 * How often one reason occurred, with the first message seen for it (the detail one needs to fix it; the others
 * are usually the same).
 */
public record Failure(long count, String firstMessage) {
    public Failure plus(Failure o) {
        return new Failure(count + o.count, firstMessage != null ? firstMessage : o.firstMessage);
    }
}
