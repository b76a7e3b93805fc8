package dev.arena.server.auth;

import java.util.Locale;

/** A participant's place in a room: on stage (host, speaker) or in the audience (listener). */
public enum Role {
    HOST, SPEAKER, LISTENER;

    /** The name on the wire and on the command line: {@code host}, {@code speaker}, {@code listener}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a wire name, or {@code null} when there is none. */
    public static Role fromWire(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        return null;
    }
}
