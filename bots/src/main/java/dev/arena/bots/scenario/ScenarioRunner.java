package dev.arena.bots.scenario;

import dev.arena.bots.media.MediaSource;
import dev.arena.bots.peer.PeerPlan;
import dev.arena.bots.report.RunMetrics;
import dev.arena.bots.target.BotRole;
import dev.arena.bots.target.BotSession;
import dev.arena.bots.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one shard of a {@link RunPlan} against a target: publishers, then (once they are up) listeners, each phase
 * ramped at the join rate; the scenario's actions (stage promotions, churn); the full load held for the duration;
 * then every bot leaves. {@link #stop()} (Ctrl-C) cuts it short at any point and still leaves cleanly.
 */
public final class ScenarioRunner {
    private static final Logger log = LoggerFactory.getLogger(ScenarioRunner.class);
    private static final Duration LEAVE_WAIT = Duration.ofSeconds(10);

    private final RunPlan plan;
    private final Target target;
    private final PeerFactory peers;
    private final SourceFactory sources;
    private final RunMetrics metrics;
    private final Set<Bot> bots = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** Churn's replacements: judged (joined or failed) before the run ends, as every other bot. */
    private final List<CompletableFuture<Boolean>> replacementJoins = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.concurrent.ScheduledFuture<?> churn;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("bots-ramp").factory());
    private final AtomicInteger replacements = new AtomicInteger();
    private final List<Bot> publishersHere = new ArrayList<>();

    public ScenarioRunner(RunPlan plan, Target target, PeerFactory peers, SourceFactory sources, RunMetrics metrics) {
        this.plan = plan;
        this.target = target;
        this.peers = peers;
        this.sources = sources;
        this.metrics = metrics;
    }

    /** Checks what only the target can tell, before any bot starts: a usage error when the scenario cannot run. */
    public static void check(RunPlan plan, Target target) {
        if (plan.scenario() == ScenarioKind.STAGE && !target.supportsStage()) {
            throw new IllegalArgumentException("the stage scenario needs raised hands and a host; the " + target.name()
                    + " target has no stage (use arena)");
        }
    }

    /** Runs to the end (or until {@link #stop()}); returns when every bot has left. */
    public void run() {
        check(plan, target);
        try {
            Ramp publishers = startAll(JoinSchedule.publishers(plan), publishersHere);
            if (plan.shard().isFirst() || plan.slicedPublishers()) {
                awaitOrStop(all(publishers.joins), null);
            } else {
                awaitOrStop(null, JoinSchedule.listenerDelayElsewhere(plan));
            }
            Ramp listeners = startAll(JoinSchedule.listeners(plan), null);
            List<CompletableFuture<Boolean>> listenerJoins = listeners.joins;
            awaitOrStop(all(listeners.started), null);
            if (!stopped.isDone()) {
                CompletableFuture<Void> actions = startScenarioActions(listenerJoins);
                awaitOrStop(null, plan.duration());
                stopChurn();
                awaitOrStop(actions, null); // a stage that runs late (slow promotions) still finishes its turns
                // judge every bot still joining (each is done within the join timeout), so that the report adds up
                awaitOrStop(all(publishers.joins), null);
                awaitOrStop(all(listenerJoins), null);
                awaitOrStop(all(replacementJoins), null);
            }
        } finally {
            leaveAll();
        }
    }

    /** Stops the ramp and the scenario; {@link #run()} then makes every bot leave and returns. Any thread. */
    public void stop() {
        stopped.complete(null);
    }

    /** One phase's bots: when each was started (its slot's time came), and whether each joined. */
    private record Ramp(List<CompletableFuture<Void>> started, List<CompletableFuture<Boolean>> joins) {
    }

    private Ramp startAll(List<JoinSchedule.Slot> slots, List<Bot> keep) {
        Ramp ramp = new Ramp(new ArrayList<>(), new ArrayList<>());
        for (JoinSchedule.Slot slot : slots) {
            CompletableFuture<Void> started = new CompletableFuture<>();
            CompletableFuture<Boolean> joined = new CompletableFuture<>();
            ramp.started.add(started);
            ramp.joins.add(joined);
            timer.schedule(() -> {
                try {
                    if (stopped.isDone()) {
                        joined.complete(false);
                        return;
                    }
                    Bot bot = start(slot, joined);
                    if (bot != null && keep != null) {
                        synchronized (keep) {
                            keep.add(bot);
                        }
                    }
                } finally {
                    started.complete(null);
                }
            }, slot.atNanos(), TimeUnit.NANOSECONDS);
        }
        return ramp;
    }

    private static CompletableFuture<Void> all(List<? extends CompletableFuture<?>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    /** Starts one bot; {@code joined} completes with the outcome. Null when it could not even be made. */
    private Bot start(JoinSchedule.Slot slot, CompletableFuture<Boolean> joined) {
        metrics.started();
        LivePeer peer;
        try {
            peer = peers.create(plan(slot.role()));
        } catch (RuntimeException e) {
            metrics.joinFailed("peer_error", slot.identity() + ": " + e);
            joined.complete(false);
            return null;
        }
        Bot bot = new Bot(slot, peer, metrics);
        bots.add(bot);
        bot.join(target, plan.room(), plan.joinTimeout()).thenAccept(ok -> {
            if (ok) {
                afterJoin(bot);
            }
            joined.complete(ok);
        });
        return bot;
    }

    private PeerPlan plan(BotRole role) {
        if (role == BotRole.PUBLISHER) {
            return PeerPlan.publisher(source(plan.audio()), source(plan.video()));
        }
        return PeerPlan.listener(plan.listenerReceives(plan.audio().enabled()),
                plan.listenerReceives(plan.video().enabled()));
    }

    private MediaSource source(SourceSpec spec) {
        return spec.enabled() ? sources.create(spec) : null;
    }

    /** Stage: the listeners chosen to speak raise their hands, and publish once the host brings them on stage. */
    private void afterJoin(Bot bot) {
        if (plan.scenario() != ScenarioKind.STAGE || bot.slot.role() != BotRole.LISTENER
                || bot.slot.index() >= plan.speakers()) {
            return;
        }
        BotSession s = bot.session();
        String who = bot.slot.identity();
        s.raiseHand().exceptionally(e -> {
            error("raise_hand_failed", who, e);
            return null;
        });
        s.promoted()
                .thenCompose(v -> s.publish(source(plan.audio()), source(plan.video())))
                .thenRun(metrics::promoted)
                .exceptionally(e -> {
                    error("publish_failed", who, e);
                    return null;
                });
    }

    /** Starts the stage host or the churn; the future completes when the stage has run its turns. */
    private CompletableFuture<Void> startScenarioActions(List<CompletableFuture<Boolean>> listenerJoins) {
        if (plan.scenario() == ScenarioKind.CHURN) {
            long period = JoinSchedule.churnPeriod(plan).toNanos();
            churn = timer.scheduleAtFixedRate(this::churnOne, period, period, TimeUnit.NANOSECONDS);
        }
        if (plan.scenario() == ScenarioKind.STAGE && plan.shard().isFirst()) {
            return CompletableFuture.runAsync(() -> hostStage(listenerJoins),
                    r -> Thread.ofVirtual().name("bots-stage-host").start(r));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The host (publisher 0) brings speakers 0..K-1 on stage one after the other, S seconds each. */
    private void hostStage(List<CompletableFuture<Boolean>> listenerJoins) {
        Bot host;
        synchronized (publishersHere) {
            host = publishersHere.stream().filter(b -> b.slot.index() == 0).findFirst().orElse(null);
        }
        if (host == null || !host.isJoined()) {
            metrics.error("stage_no_host", "the host (publisher 0) did not join: nobody brings speakers on stage");
            return;
        }
        // the local listeners' joins are done (other shards' listeners started at the same global times)
        awaitOrStop(all(listenerJoins), plan.joinTimeout());
        BotSession s = host.session();
        for (int k = 0; k < plan.speakers() && !stopped.isDone(); k++) {
            String speaker = plan.shard().identity(BotRole.LISTENER, k, false);
            try {
                s.promote(speaker).get(plan.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                error("promote_failed", speaker, e);
                continue;
            }
            awaitOrStop(null, plan.speakTime());
            try {
                s.demote(speaker).get(plan.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                error("demote_failed", speaker, e);
            }
        }
    }

    /**
     * Ends the churn when the duration is over: no replacement starts after this returns (the timer's thread runs
     * the churn, so a no-op queued behind it waits out one in progress), and the ones started are judged.
     */
    private void stopChurn() {
        if (churn != null) {
            churn.cancel(false);
            try {
                timer.submit(() -> { }).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
                // the timer is gone: nothing more can start
            }
        }
    }

    /** Churn: a random present listener of this shard leaves and a new one joins in its place. */
    private void churnOne() {
        if (stopped.isDone()) {
            return;
        }
        List<Bot> present = bots.stream().filter(b -> b.isJoined() && b.slot.role() == BotRole.LISTENER).toList();
        if (!present.isEmpty()) {
            Bot leaving = present.get(ThreadLocalRandom.current().nextInt(present.size()));
            bots.remove(leaving);
            leaving.leave();
        }
        CompletableFuture<Boolean> joined = new CompletableFuture<>();
        replacementJoins.add(joined);
        start(JoinSchedule.replacement(plan, replacements.getAndIncrement()), joined);
    }

    private void error(String reason, String who, Throwable e) {
        Throwable c = Bot.unwrap(e);
        String detail = c instanceof dev.arena.bots.target.TargetException te ? te.reason() + ": " + te.getMessage()
                : String.valueOf(c);
        metrics.error(reason, who + ": " + detail);
    }

    /** Waits for {@code what} (or null), at most {@code max} (or null: no limit), returning early on stop. */
    private void awaitOrStop(CompletableFuture<?> what, Duration max) {
        CompletableFuture<?> any = what == null ? stopped : CompletableFuture.anyOf(what, stopped);
        try {
            if (max == null) {
                any.get();
            } else {
                any.get(max.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            // time is up: carry on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        } catch (java.util.concurrent.ExecutionException e) {
            // joins never fail their futures; nothing to do
        }
    }

    private void leaveAll() {
        stop();
        timer.shutdownNow();
        List<CompletableFuture<Void>> leaving = new ArrayList<>();
        for (Bot b : bots) {
            leaving.add(b.leave());
        }
        try {
            CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new))
                    .get(LEAVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("not every bot left within {} s", LEAVE_WAIT.toSeconds());
        }
    }
}
