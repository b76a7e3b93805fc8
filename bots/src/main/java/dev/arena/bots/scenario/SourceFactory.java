package dev.arena.bots.scenario;

import dev.arena.bots.media.MediaSource;

/** Makes one publishing bot's source for one track (a new one per bot: sources are not thread-safe). */
@FunctionalInterface
public interface SourceFactory {
    /** Never called for {@link SourceSpec.Type#NONE}. */
    MediaSource create(SourceSpec spec);
}
