package dev.arena.server.stage;

import java.util.Objects;
import java.util.Set;

/**
 * One published track as the room shows it.
 *
 * @param kind   {@code audio} or {@code video}
 * @param source {@code camera}, {@code microphone}, {@code screen} or {@code other}
 */
public record StageTrack(String trackId, String kind, String source, boolean muted) {
    public static final Set<String> SOURCES = Set.of("camera", "microphone", "screen", "other");

    public StageTrack {
        Objects.requireNonNull(trackId);
        Objects.requireNonNull(kind);
        if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException("unknown source " + source);
        }
    }

    public StageTrack withMuted(boolean m) {
        return new StageTrack(trackId, kind, source, m);
    }
}
