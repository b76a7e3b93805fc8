package dev.arena.server.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arena.server.config.RoomLimits;
import dev.arena.server.stage.Permissions;
import dev.arena.server.stage.StageParticipant;
import dev.arena.server.stage.StageTrack;
import java.util.List;

/** The JSON shapes of docs/protocol.md shared by the WebSocket and the REST API. */
public final class Wire {
    public static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A node-to-client message of {@code type}. */
    public static ObjectNode message(String type) {
        return object().put("type", type);
    }

    public static String text(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode limits(RoomLimits l) {
        return object().put("participants", l.participants()).put("speakers", l.speakers())
                .put("tracksPerParticipant", l.tracksPerParticipant());
    }

    public static ObjectNode permissions(Permissions p) {
        return object().put("publish", p.publish()).put("subscribe", p.subscribe()).put("admin", p.admin());
    }

    public static ObjectNode track(StageTrack t) {
        return object().put("trackId", t.trackId()).put("kind", t.kind()).put("source", t.source())
                .put("muted", t.muted());
    }

    /** A participant as others see it ({@code joined.participants}, {@code participant_joined}). */
    public static ObjectNode participant(StageParticipant p) {
        ObjectNode n = object().put("identity", p.identity()).put("name", p.name()).put("role", p.role().wireName())
                .put("handRaised", p.handRaised());
        ArrayNode tracks = n.putArray("tracks");
        for (StageTrack t : p.tracks()) {
            tracks.add(track(t));
        }
        return n;
    }

    public static ArrayNode strings(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
