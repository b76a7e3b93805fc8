package dev.arena.bots.target;

/** What a bot does in the room when it joins. */
public enum BotRole {
    /** Publishes its media sources (a host on Arena, a VideoRoom publisher on Janus, a WHIP client). */
    PUBLISHER,
    /** Receives every published track (an Arena listener, a Janus subscriber, a WHEP client). */
    LISTENER
}
