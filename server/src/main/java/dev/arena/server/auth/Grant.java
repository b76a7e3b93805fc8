package dev.arena.server.auth;

/** One permission a token may carry. */
public enum Grant {
    /** may join the token's room */
    JOIN("join"),
    /** may publish tracks (while its role allows it: a listener publishes only once promoted) */
    PUBLISH("publish"),
    /** may receive other participants' tracks */
    SUBSCRIBE("subscribe"),
    /** may manage the room: approve hands, change roles, mute and remove participants */
    ROOM_ADMIN("roomAdmin"),
    /** is not shown to other participants (recorders, bots) */
    HIDDEN("hidden");

    private final String wireName;

    Grant(String wireName) {
        this.wireName = wireName;
    }

    /** The key in the token's {@code grants} object. */
    public String wireName() {
        return wireName;
    }
}
