package dev.arena.bots.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.target.BotRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shard slicing and the ramp-up schedule, computed (nothing is timed). */
class JoinScheduleTest {
    static RunPlan plan(ScenarioKind kind, int publishers, int listeners, double rate, Shard shard) {
        return new RunPlan(kind, "r", publishers, listeners, rate, Duration.ofSeconds(60), Duration.ofSeconds(20),
                shard, 0, Duration.ofSeconds(10), 2, null, SourceSpec.sample(MediaKind.AUDIO),
                SourceSpec.sample(MediaKind.VIDEO));
    }

    @Test
    void shardParsesAndRejectsBadValues() {
        assertEquals(new Shard(3, 8), Shard.parse("3/8"));
        assertEquals("3/8", new Shard(3, 8).toString());
        for (String bad : List.of("8/8", "-1/4", "1/0", "1", "a/b", "1/2/3", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
            assertTrue(e.getMessage().contains("i/n"), e.getMessage());
        }
    }

    @Test
    void everyBotRunsInExactlyOneShard() {
        int n = 4;
        Set<String> seen = new HashSet<>();
        int listeners = 0;
        for (int i = 0; i < n; i++) {
            for (JoinSchedule.Slot s : JoinSchedule.listeners(plan(ScenarioKind.BROADCAST, 2, 103, 10, new Shard(i, n)))) {
                assertEquals(i, s.index() % n);
                assertTrue(s.identity().startsWith("s" + i + "-listener-"), s.identity());
                assertTrue(seen.add(s.identity()), "twice: " + s.identity());
                listeners++;
            }
        }
        assertEquals(103, listeners);
    }

    @Test
    void publishersAllRunInShardZeroExceptInAConference() {
        assertEquals(List.of("s0-publisher-0", "s0-publisher-1", "s0-publisher-2"), identities(
                JoinSchedule.publishers(plan(ScenarioKind.BROADCAST, 3, 10, 10, new Shard(0, 2)))));
        assertEquals(List.of(), JoinSchedule.publishers(plan(ScenarioKind.BROADCAST, 3, 10, 10, new Shard(1, 2))));
        assertEquals(List.of("s1-publisher-1", "s1-publisher-3"), identities(
                JoinSchedule.publishers(plan(ScenarioKind.CONFERENCE, 5, 0, 10, new Shard(1, 2)))));
    }

    @Test
    void theRampStartsTheKthBotOfAPhaseAtKOverTheRateAcrossShards() {
        RunPlan whole = plan(ScenarioKind.BROADCAST, 2, 6, 4, Shard.WHOLE);
        assertEquals(List.of(0L, 250_000_000L), times(JoinSchedule.publishers(whole)));
        assertEquals(List.of(0L, 250_000_000L, 500_000_000L, 750_000_000L, 1_000_000_000L, 1_250_000_000L),
                times(JoinSchedule.listeners(whole)));
        // shard 1 of 2 keeps the run's times for its bots: together the shards ramp at the join rate
        assertEquals(List.of(250_000_000L, 750_000_000L, 1_250_000_000L),
                times(JoinSchedule.listeners(plan(ScenarioKind.BROADCAST, 2, 6, 4, new Shard(1, 2)))));
    }

    @Test
    void otherShardsWaitForShardZerosPublishers() {
        // 10 publishers at 5/s: the last starts at 1.8 s; plus the 5 s margin
        assertEquals(Duration.ofMillis(6800), JoinSchedule.listenerDelayElsewhere(
                plan(ScenarioKind.BROADCAST, 10, 10, 5, new Shard(1, 2))));
        assertEquals(Duration.ZERO, JoinSchedule.listenerDelayElsewhere(
                plan(ScenarioKind.CONFERENCE, 10, 10, 5, new Shard(1, 2))));
        assertEquals(Duration.ZERO, JoinSchedule.listenerDelayElsewhere(
                plan(ScenarioKind.BROADCAST, 0, 10, 5, new Shard(1, 2))));
    }

    @Test
    void churnReplacementsHaveFreshIndicesOfTheirShardAndShareTheRate() {
        RunPlan p = plan(ScenarioKind.CHURN, 1, 10, 10, new Shard(2, 4));
        List<String> ids = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            JoinSchedule.Slot s = JoinSchedule.replacement(p, j);
            assertEquals(BotRole.LISTENER, s.role());
            assertTrue(p.shard().owns(s.index()));
            ids.add(s.identity());
        }
        assertEquals(List.of("s2-listener-14", "s2-listener-18", "s2-listener-22"), ids);
        assertEquals(Duration.ofSeconds(2), JoinSchedule.churnPeriod(p), "2/s over 4 shards: one per 2 s each");
    }

    @Test
    void plannedCountsThisShardsBots() {
        assertEquals(2 + 3, plan(ScenarioKind.BROADCAST, 2, 10, 10, new Shard(0, 4)).plannedHere(), "0, 4, 8");
        assertEquals(2, plan(ScenarioKind.BROADCAST, 2, 10, 10, new Shard(3, 4)).plannedHere(), "3, 7");
    }

    private static List<String> identities(List<JoinSchedule.Slot> slots) {
        return slots.stream().map(JoinSchedule.Slot::identity).toList();
    }

    private static List<Long> times(List<JoinSchedule.Slot> slots) {
        return slots.stream().map(JoinSchedule.Slot::atNanos).toList();
    }
}
