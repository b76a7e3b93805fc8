package dev.arena.server.auth;

/** The permissions a token carries; a missing one is {@code false}. */
public record Grants(boolean join, boolean publish, boolean subscribe, boolean roomAdmin, boolean hidden) {

    /** The usual grants of a role: a host administers the room, a listener only joins and subscribes. */
    public static Grants forRole(Role role) {
        return switch (role) {
            case HOST -> new Grants(true, true, true, true, false);
            case SPEAKER -> new Grants(true, true, true, false, false);
            case LISTENER -> new Grants(true, false, true, false, false);
        };
    }

    public boolean has(Grant grant) {
        return switch (grant) {
            case JOIN -> join;
            case PUBLISH -> publish;
            case SUBSCRIBE -> subscribe;
            case ROOM_ADMIN -> roomAdmin;
            case HIDDEN -> hidden;
        };
    }

    public Grants with(Grant grant, boolean value) {
        return new Grants(
                grant == Grant.JOIN ? value : join,
                grant == Grant.PUBLISH ? value : publish,
                grant == Grant.SUBSCRIBE ? value : subscribe,
                grant == Grant.ROOM_ADMIN ? value : roomAdmin,
                grant == Grant.HIDDEN ? value : hidden);
    }
}
