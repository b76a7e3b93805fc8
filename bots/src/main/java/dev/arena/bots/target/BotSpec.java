package dev.arena.bots.target;

import java.util.Objects;

/**
 * One bot as a target sees it.
 *
 * @param room      the room (Arena room id, Janus numeric room as text, ignored by WHIP/WHEP whose URL names it)
 * @param identity  unique within the run (e.g. {@code s0-listener-17}: shard, role, index)
 * @param role      publisher or listener
 */
public record BotSpec(String room, String identity, BotRole role) {
    public BotSpec {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
    }
}
