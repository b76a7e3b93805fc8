package dev.arena.bots.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.report.Report;
import dev.arena.bots.report.RunMetrics;
import dev.arena.bots.report.Thresholds;
import dev.arena.bots.scenario.Fakes.FakeTarget;
import dev.arena.bots.scenario.Fakes.Outcome;
import dev.arena.bots.target.BotRole;
import dev.arena.bots.target.BotSpec;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The runner's logic with test-only fakes (see {@link Fakes} for why): what is counted, per reason, that the run
 * goes on past failures, that every bot leaves, the stage's turns, churn, shards, stop. No timing is asserted.
 */
class ScenarioRunnerTest {
    static RunPlan plan(ScenarioKind kind, int publishers, int listeners, Shard shard) {
        return plan(kind, publishers, listeners, shard, Duration.ZERO);
    }

    static RunPlan plan(ScenarioKind kind, int publishers, int listeners, Shard shard, Duration duration) {
        return new RunPlan(kind, "room1", publishers, listeners, 1000, duration, Duration.ofMillis(300), shard,
                2, Duration.ofMillis(50), 1000, Duration.ZERO, SourceSpec.sample(MediaKind.AUDIO),
                SourceSpec.sample(MediaKind.VIDEO));
    }

    /** Listener k: k%5==1 refused, k%5==2 unauthorized, k==3 never answers, k==4 ICE fails, the rest join. */
    static final Function<BotSpec, Outcome> SOME_FAIL = bot -> {
        if (bot.role() == BotRole.PUBLISHER) {
            return Outcome.OK;
        }
        int k = Integer.parseInt(bot.identity().substring(bot.identity().lastIndexOf('-') + 1));
        if (k % 5 == 1) {
            return Outcome.REFUSED;
        }
        if (k % 5 == 2) {
            return Outcome.UNAUTHORIZED;
        }
        return k == 3 ? Outcome.NEVER_ANSWERS : k == 4 ? Outcome.ICE_FAILS : Outcome.OK;
    };

    static Report run(RunPlan plan, FakeTarget target, Fakes.Peers peers, RunMetrics metrics) {
        new ScenarioRunner(plan, target, peers, Fakes::source, metrics).run();
        return metrics.snapshot(target.name(), plan.scenario().key(), plan.shard().toString(), "2026-01-01T00:00:00Z",
                1, plan.plannedHere());
    }

    @Test
    void failedJoinsAreCountedPerReasonAndTheRunGoesOn() {
        FakeTarget target = new FakeTarget(false, SOME_FAIL);
        Fakes.Peers peers = new Fakes.Peers();
        Report r = run(plan(ScenarioKind.BROADCAST, 2, 20, Shard.WHOLE), target, peers, new RunMetrics());

        assertEquals(22, r.started());
        assertEquals(12, r.joined(), "2 publishers + listeners 0,5,8,9,10,13,14,15,18,19");
        assertEquals(10, r.failed());
        assertEquals(4, r.failures().get("connection_refused").count());
        assertTrue(r.failures().get("connection_refused").firstMessage().contains("refused"));
        assertEquals(4, r.failures().get("http_401").count());
        assertEquals(1, r.failures().get("timeout").count());
        assertEquals(1, r.failures().get("ice_failed").count());
        assertTrue(r.failures().get("ice_failed").firstMessage().startsWith("s0-listener-4: ICE did not connect"),
                r.failures().get("ice_failed").firstMessage());
        assertEquals(12, r.left(), "every joined bot left at the end");
        assertTrue(peers.made.stream().allMatch(p -> p.closed), "every peer closed");
        assertTrue(target.sessions.values().stream().allMatch(s -> s.left), "every session left, failed ones too");
        assertEquals(12 * 100, r.media().packetsReceived(), "the finished bots' last stats are summed");
        assertEquals(2 * 50, r.media().packetsSent());
        assertEquals(5, r.joinPhases().size());
        assertEquals(13, r.joinPhases().get("signaling").count(), "the bot whose ICE failed got its answer");
        assertEquals(12, r.joinPhases().get("ice").count());

        assertEquals(0, new Thresholds(null, null, Thresholds.FailureLimit.parse("10")).exitCode(r));
        assertEquals(1, new Thresholds(null, null, Thresholds.FailureLimit.parse("9")).exitCode(r));
        assertEquals(0, new Thresholds(null, null, Thresholds.FailureLimit.parse("50%")).exitCode(r), "10/22 = 45%");
        assertEquals(1, new Thresholds(null, null, Thresholds.FailureLimit.parse("40%")).exitCode(r));
    }

    @Test
    void listenersGetOneReceiveSectionPerPublisherAndPublishersTheirSources() {
        Fakes.Peers peers = new Fakes.Peers();
        run(plan(ScenarioKind.BROADCAST, 3, 2, Shard.WHOLE), new FakeTarget(false, b -> Outcome.OK), peers,
                new RunMetrics());
        List<Fakes.Peer> publishers = peers.made.stream().filter(p -> p.plan.videoSend() != null).toList();
        List<Fakes.Peer> listeners = peers.made.stream().filter(p -> p.plan.videoSend() == null).toList();
        assertEquals(3, publishers.size());
        assertTrue(publishers.stream().allMatch(p -> p.plan.audioSend() != null && p.plan.videoRecv() == 0));
        assertEquals(2, listeners.size());
        assertTrue(listeners.stream().allMatch(p -> p.plan.audioRecv() == 3 && p.plan.videoRecv() == 3));
    }

    @Test
    void stageHostPromotesTheSpeakersInTurnAndTheyPublish() {
        FakeTarget target = new FakeTarget(true, b -> Outcome.OK);
        RunMetrics metrics = new RunMetrics();
        Report r = run(plan(ScenarioKind.STAGE, 1, 4, Shard.WHOLE, Duration.ofMillis(100)), target,
                new Fakes.Peers(), metrics);

        assertEquals(2, r.promoted());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        List<String> stage = target.stageLog.stream().filter(l -> !l.startsWith("hand")).toList();
        assertEquals(List.of("promote s0-listener-0", "demote s0-listener-0", "promote s0-listener-1",
                "demote s0-listener-1"), stage);
        assertTrue(target.sessions.get("s0-listener-1").published);
        assertFalse(target.sessions.get("s0-listener-2").handRaised, "only the speakers raise hands");
    }

    @Test
    void stageNeedsATargetWithAStage() {
        RunPlan p = plan(ScenarioKind.STAGE, 1, 4, Shard.WHOLE, Duration.ofSeconds(1));
        FakeTarget target = new FakeTarget(false, b -> Outcome.OK);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioRunner.check(p, target));
        assertTrue(e.getMessage().contains("has no stage"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScenarioRunner(p, target, new Fakes.Peers(),
                Fakes::source, new RunMetrics()).run());
        assertEquals(0, target.joins.get(), "nothing started");
    }

    @Test
    void aShardRunsItsSliceOfListenersAndNoPublishers() {
        FakeTarget target = new FakeTarget(false, b -> Outcome.OK);
        Report r = run(plan(ScenarioKind.BROADCAST, 2, 10, new Shard(1, 3)), target, new Fakes.Peers(),
                new RunMetrics());
        assertEquals(3, r.joined(), "listeners 1, 4, 7");
        assertEquals(java.util.Set.of("s1-listener-1", "s1-listener-4", "s1-listener-7"), target.sessions.keySet());
        assertEquals(List.of("1/3"), r.shards());
    }

    @Test
    void churnReplacesListenersAndEveryoneLeavesAtTheEnd() {
        FakeTarget target = new FakeTarget(false, b -> Outcome.OK);
        Fakes.Peers peers = new Fakes.Peers();
        Report r = run(plan(ScenarioKind.CHURN, 1, 4, Shard.WHOLE, Duration.ofMillis(500)), target, peers,
                new RunMetrics());
        assertTrue(r.started() > 5, "replacements joined: " + r.started());
        assertEquals(r.joined(), r.left(), "every bot that joined left (churned out or at the end)");
        assertTrue(target.sessions.keySet().stream().anyMatch(id -> id.equals("s0-listener-4")), "first replacement");
        assertTrue(peers.made.stream().allMatch(p -> p.closed));
    }

    @Test
    void stopEndsTheRampAndEveryBotLeaves() throws Exception {
        RunPlan slow = new RunPlan(ScenarioKind.BROADCAST, "room1", 1, 100, 20, Duration.ofMinutes(5),
                Duration.ofSeconds(5), Shard.WHOLE, 0, Duration.ofSeconds(1), 1, null,
                SourceSpec.sample(MediaKind.AUDIO), SourceSpec.none(MediaKind.VIDEO));
        FakeTarget target = new FakeTarget(false, b -> Outcome.OK);
        RunMetrics metrics = new RunMetrics();
        ScenarioRunner runner = new ScenarioRunner(slow, target, new Fakes.Peers(), Fakes::source, metrics);
        Thread t = Thread.ofPlatform().start(runner::run);
        while (metrics.joinedCount() < 3) {
            Thread.sleep(10);
        }
        runner.stop();
        t.join(20_000);
        assertFalse(t.isAlive(), "run() returned after stop()");
        assertTrue(metrics.startedCount() < 101, "the ramp stopped: " + metrics.startedCount());
        assertEquals(metrics.joinedCount(), metrics.leftCount());
    }
}
