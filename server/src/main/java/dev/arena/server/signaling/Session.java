package dev.arena.server.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.server.auth.AccessClaims;
import dev.arena.server.http.WebSocketSession;
import java.util.concurrent.ScheduledFuture;

/**
 * One joined participant on this node: its identity in its room, and the WebSocket it is reached on, which may
 * change (resume) or be missing for a while (between a lost connection and a resume or the end of the window).
 * Fields other than the socket are guarded by the room's lock in {@link RoomService}.
 */
public final class Session {
    final String room;
    final String identity;
    final AccessClaims claims;
    private volatile WebSocketSession socket;
    /** single-use: replaced at every {@code joined} */
    String resumeToken;
    /** has a participant in the room's media (made by its first offer) */
    boolean hasMedia;
    /** false once it left (for any reason) */
    boolean active = true;
    /** the end of the resume window while detached */
    ScheduledFuture<?> expiry;

    Session(AccessClaims claims, WebSocketSession socket) {
        this.room = claims.room();
        this.identity = claims.identity();
        this.claims = claims;
        this.socket = socket;
    }

    public String room() {
        return room;
    }

    public String identity() {
        return identity;
    }

    WebSocketSession socket() {
        return socket;
    }

    void socket(WebSocketSession s) {
        this.socket = s;
    }

    void send(String text) {
        WebSocketSession s = socket;
        if (s != null) {
            s.send(text);
        }
    }

    void send(ObjectNode message) {
        send(Wire.text(message));
    }

    /** Closes its socket (if any) and forgets it. */
    void disconnect(int status, String reason) {
        WebSocketSession s = socket;
        socket = null;
        if (s != null) {
            s.close(status, reason);
        }
    }

    @Override
    public String toString() {
        return room + "/" + identity;
    }
}
