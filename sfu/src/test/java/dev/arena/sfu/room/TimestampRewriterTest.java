package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimestampRewriterTest {
    private static final long MS = 1_000_000L;

    @Test
    void keepsTheSourceSpacing() {
        TimestampRewriter r = new TimestampRewriter(90000, 1_000_000);
        assertEquals(1_000_000, r.rewrite(5000, 0));
        assertEquals(1_000_000, r.rewrite(5000, MS)); // second packet of the same frame
        assertEquals(1_003_000, r.rewrite(8000, 33 * MS));
        assertEquals(1_000_000, r.rewrite(5000, 40 * MS)); // late packet keeps its timestamp
        assertEquals(1_003_000, r.highestOut());
    }

    @Test
    void resumeAdvancesByTheWallClockTimeOfThePause() {
        TimestampRewriter r = new TimestampRewriter(48000, 0);
        r.rewrite(100, 0);
        r.rewrite(1060, 20 * MS); // 20 ms of Opus
        r.resync();
        // paused for 2 s; the source's own timestamps jumped anywhere meanwhile
        assertEquals(960 + 96000, r.rewrite(7_777_777, 2020 * MS));
        assertEquals(960 + 96000 + 960, r.rewrite(7_777_777 + 960, 2040 * MS));
    }

    @Test
    void resumeRightAwayStillMovesForward() {
        TimestampRewriter r = new TimestampRewriter(90000, 10);
        r.rewrite(0, 5 * MS);
        r.resync();
        assertEquals(11, r.rewrite(123, 5 * MS));
    }

    @Test
    void wrapsAroundThirtyTwoBitsOnTheInputSide() {
        TimestampRewriter r = new TimestampRewriter(90000, 500);
        assertEquals(500, r.rewrite(0xFFFF_FFFFL - 1499, 0));
        assertEquals(3500, r.rewrite(1500, 33 * MS)); // the source wrapped
        assertEquals(6500, r.rewrite(4500, 66 * MS));
        assertEquals(6500, r.highestOut());
    }

    @Test
    void wrapsAroundThirtyTwoBitsOnTheOutputSide() {
        TimestampRewriter r = new TimestampRewriter(90000, 0xFFFF_FFFFL - 999);
        assertEquals(0xFFFF_FFFFL - 999, r.rewrite(10_000, 0));
        assertEquals(2000, r.rewrite(13_000, 33 * MS));
        r.resync();
        assertEquals(2000 + 90000, r.rewrite(42, 1033 * MS)); // 1 s later, across the wrap already taken
    }

    @Test
    void aLongPauseDoesNotOverflow() {
        TimestampRewriter r = new TimestampRewriter(90000, 0);
        r.rewrite(0, 0);
        r.resync();
        long day = 86_400_000L * MS;
        assertEquals((86_400L * 90000) & 0xFFFF_FFFFL, r.rewrite(5, day));
    }

    @Test
    void rejectsABadClockRate() {
        assertThrows(IllegalArgumentException.class, () -> new TimestampRewriter(0, 0));
    }
}
