package dev.arena.bots;

import dev.arena.bots.scenario.Fakes;
import dev.arena.bots.scenario.Fakes.FakeTarget;
import dev.arena.bots.scenario.Fakes.Outcome;
import dev.arena.bots.target.BotRole;

/**
 * {@code bots} with the test-only fake target and peers (listener 1 is refused), for {@link InterruptTest} to run in
 * a separate JVM and interrupt: the fakes keep the test about the shutdown path, not the network.
 */
public final class FakeTargetMain {
    private FakeTargetMain() {
    }

    public static void main(String[] args) {
        Main.main(args, new Factories(o -> new FakeTarget(false, bot -> bot.role() == BotRole.LISTENER
                && bot.identity().equals("s0-listener-1") ? Outcome.REFUSED : Outcome.OK),
                ctx -> new Fakes.Peers(), Fakes::source));
    }
}
