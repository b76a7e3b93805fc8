package dev.arena.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.scenario.TargetOptions;
import dev.arena.bots.target.BotRole;
import dev.arena.bots.target.BotSpec;
import dev.arena.bots.target.TargetException;
import dev.arena.bots.target.TokenSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the command line's target options become token sources (the part of the wiring with rules of its own). */
class FactoriesTest {
    @TempDir
    Path dir;

    @Test
    void aTokensFileGivesEachBotItsOwnTokenUntilItRunsOut() throws Exception {
        TokenSource tokens = TokenSource.oneEach(List.of("t1", "t2"));
        BotSpec bot = new BotSpec("room", "b", BotRole.LISTENER);
        assertEquals("t1", tokens.token(bot).get());
        assertEquals("t2", tokens.token(bot).get());
        ExecutionException e = assertThrows(ExecutionException.class, () -> tokens.token(bot).get());
        TargetException cause = (TargetException) e.getCause();
        assertEquals("no_token", cause.reason());
        assertTrue(cause.getMessage().contains("all 2 tokens"), cause.getMessage());
    }

    @Test
    void anUnreadableTokensFileIsAConfigurationError() {
        Path missing = dir.resolve("tokens.txt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Factories.target(options(missing)));
        assertTrue(e.getMessage().startsWith("--tokens " + missing + ": cannot read it"), e.getMessage());
    }

    @Test
    void blankLinesOfTheTokensFileAreSkipped() throws Exception {
        Path file = dir.resolve("tokens.txt");
        Files.writeString(file, "a\n\n  b  \n");
        try (var target = Factories.target(options(file))) {
            assertEquals("whip", target.name());
        }
    }

    private static TargetOptions options(Path tokens) {
        return new TargetOptions("whip", URI.create("http://127.0.0.1:1"), "room", null, null, Path.of(".arena"), null,
                tokens, null, URI.create("http://127.0.0.1:1/whep/room"), null, Duration.ofSeconds(1));
    }
}
