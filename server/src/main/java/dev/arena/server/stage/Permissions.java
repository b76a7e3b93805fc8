package dev.arena.server.stage;

import dev.arena.server.auth.Grants;

/**
 * What a participant may do, from its token and changed since by the REST API.
 *
 * @param publish   may publish while its role is host or speaker
 * @param subscribe may receive others' tracks
 * @param admin     may manage the room (the token's {@code roomAdmin})
 */
public record Permissions(boolean publish, boolean subscribe, boolean admin) {
    public static Permissions of(Grants grants) {
        return new Permissions(grants.publish(), grants.subscribe(), grants.roomAdmin());
    }
}
