package dev.arena.bots.scenario;

import dev.arena.bots.peer.PeerPlan;

/** Makes one bot's media connection (the real one: a BotPeer on the run's shared BotContext). */
@FunctionalInterface
public interface PeerFactory {
    LivePeer create(PeerPlan plan);
}
