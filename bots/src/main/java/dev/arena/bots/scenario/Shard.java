package dev.arena.bots.scenario;

import dev.arena.bots.target.BotRole;

/**
 * One process's slice of a run that several processes share ({@code --shard i/n}): it runs the bots whose global
 * index % n == i. Identities carry the shard that runs the bot ({@code s2-listener-17}), so they are unique across
 * the run and any process can name any bot (the stage host promotes listeners of other shards).
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard must be i/n with 0 <= i < n, got " + index + "/" + count);
        }
    }

    /** {@code i/n}, e.g. {@code 3/8}. */
    public static Shard parse(String text) {
        String[] parts = text.strip().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("must be i/n such as 0/4, got '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be i/n such as 0/4, got '" + text + "'");
        }
    }

    /** Whether this shard runs the bot with this global index. */
    public boolean owns(int globalIndex) {
        return globalIndex % count == index;
    }

    public boolean isFirst() {
        return index == 0;
    }

    /**
     * The identity of a bot anywhere in the run: the shard that runs it, its role, its global index. Publishers all
     * run in shard 0, except in a conference (where everyone publishes and they are sliced like listeners).
     */
    public String identity(BotRole role, int globalIndex, boolean slicedPublishers) {
        int owner = role == BotRole.PUBLISHER && !slicedPublishers ? 0 : globalIndex % count;
        return "s" + owner + "-" + (role == BotRole.PUBLISHER ? "publisher" : "listener") + "-" + globalIndex;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
