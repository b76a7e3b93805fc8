package dev.arena.bots.scenario;

import dev.arena.bots.peer.PeerException;
import dev.arena.bots.peer.PeerStats;
import dev.arena.bots.report.RunMetrics;
import dev.arena.bots.report.RunMetrics.Phase;
import dev.arena.bots.target.BotSession;
import dev.arena.bots.target.BotSpec;
import dev.arena.bots.target.Target;
import dev.arena.bots.target.TargetException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One bot's life: join (signaling, ICE, DTLS, first media, all within the join timeout), stay, leave. Every outcome
 * is counted once in the run's metrics: joined, failed with a reason, left.
 */
final class Bot {
    enum State { STARTING, JOINED, FAILED, GONE }

    final JoinSchedule.Slot slot;
    private final LivePeer peer;
    private final RunMetrics metrics;
    private final Supplier<PeerStats> stats;
    private State state = State.STARTING;
    private BotSession session;
    private CompletableFuture<BotSession> signaling;
    private boolean released;

    Bot(JoinSchedule.Slot slot, LivePeer peer, RunMetrics metrics) {
        this.slot = slot;
        this.peer = peer;
        this.metrics = metrics;
        this.stats = peer::stats;
    }

    /** Joins; the future completes (never exceptionally) with whether the bot reached first media in time. */
    CompletableFuture<Boolean> join(Target target, String room, Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        metrics.live(stats);
        try {
            signaling = target.join(new BotSpec(room, slot.identity(), slot.role()), peer);
        } catch (RuntimeException e) {
            signaling = CompletableFuture.failedFuture(e); // a target that throws instead of failing the future
        }
        boolean[] answered = new boolean[1];
        return signaling.copy().orTimeout(remaining(deadline), TimeUnit.NANOSECONDS)
                .thenCompose(s -> {
                    answered[0] = true;
                    metrics.recordPhase(Phase.SIGNALING, System.nanoTime() - t0);
                    onSession(s);
                    return CompletableFuture.allOf(peer.connected().copy(), peer.firstMedia().copy())
                            .orTimeout(remaining(deadline), TimeUnit.NANOSECONDS);
                })
                .handle((v, err) -> {
                    if (err == null) {
                        PeerStats s = peer.stats();
                        metrics.recordPhase(Phase.ICE, s.iceNanos());
                        metrics.recordPhase(Phase.DTLS, s.dtlsNanos());
                        metrics.recordPhase(Phase.FIRST_MEDIA, s.firstMediaNanos());
                        metrics.recordPhase(Phase.TOTAL, System.nanoTime() - t0);
                        return joined();
                    }
                    failed(err, answered[0], timeout);
                    return false;
                });
    }

    private synchronized void onSession(BotSession s) {
        session = s;
        s.ended().thenAccept(this::ended);
        if (state == State.GONE || state == State.FAILED) {
            s.leave(); // the run left (or gave up on) this bot while it was still joining
        }
    }

    private synchronized boolean joined() {
        if (state != State.STARTING) {
            return false;
        }
        state = State.JOINED;
        metrics.joined();
        return true;
    }

    private void failed(Throwable err, boolean answered, Duration timeout) {
        String[] why = classify(err, answered, timeout, peer.stats());
        BotSession s;
        synchronized (this) {
            if (state != State.STARTING) {
                return; // left at the end of the run while joining: not a failure
            }
            state = State.FAILED;
            s = session;
        }
        metrics.joinFailed(why[0], slot.identity() + ": " + why[1]);
        if (s != null) {
            s.leave();
        } else {
            signaling.thenAccept(BotSession::leave); // it may answer after all: leave then
        }
        release();
    }

    /** Reason and message of a failed join. */
    static String[] classify(Throwable err, boolean answered, Duration timeout, PeerStats stats) {
        Throwable c = unwrap(err);
        if (c instanceof TargetException te) {
            return new String[] {te.reason(), te.getMessage()};
        }
        if (!answered) {
            if (c instanceof TimeoutException) {
                return new String[] {"timeout", "no answer from the target within " + timeout.toSeconds() + " s"};
            }
            if (c instanceof PeerException) {
                return new String[] {"bad_sdp", c.getMessage()};
            }
            return new String[] {"error", String.valueOf(c)};
        }
        String detail = c instanceof TimeoutException ? "not within " + timeout.toSeconds() + " s of the join" : String.valueOf(c.getMessage());
        if (stats.iceNanos() < 0) {
            return new String[] {"ice_failed", "ICE did not connect: " + detail};
        }
        if (stats.dtlsNanos() < 0) {
            return new String[] {"dtls_failed", "DTLS did not complete: " + detail};
        }
        return new String[] {"no_media", "no media " + (stats.packetsSent() > 0 || stats.packetsReceived() > 0
                ? "" : "sent or received ") + detail};
    }

    private void ended(String reason) {
        synchronized (this) {
            if (state != State.JOINED) {
                return;
            }
            state = State.GONE;
        }
        metrics.left();
        metrics.error("session_ended", slot.identity() + ": the server ended the session: " + reason);
        release();
    }

    /** Leaves (signaling, then the transport); a bot still joining is abandoned and not counted. */
    CompletableFuture<Void> leave() {
        BotSession s;
        synchronized (this) {
            State was = state;
            if (was == State.GONE || was == State.FAILED) {
                return CompletableFuture.completedFuture(null);
            }
            state = State.GONE;
            s = session;
            if (was == State.JOINED) {
                metrics.left();
            }
        }
        CompletableFuture<Void> left = s == null ? CompletableFuture.completedFuture(null)
                : s.leave().copy().completeOnTimeout(null, 5, TimeUnit.SECONDS).exceptionally(e -> null);
        return left.whenComplete((v, e) -> release());
    }

    synchronized boolean isJoined() {
        return state == State.JOINED;
    }

    synchronized BotSession session() {
        return session;
    }

    private void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        metrics.finished(stats);
        peer.close();
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
