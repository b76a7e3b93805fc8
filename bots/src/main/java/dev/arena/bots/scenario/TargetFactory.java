package dev.arena.bots.scenario;

import dev.arena.bots.target.Target;

/** Makes the run's target from the command line's options (arena, janus or whip). */
@FunctionalInterface
public interface TargetFactory {
    /** @throws IllegalArgumentException when the options do not fit this target (a usage error, exit 2) */
    Target create(TargetOptions options);
}
