package dev.arena.bots.scenario;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaPacket;
import dev.arena.bots.media.MediaSource;
import dev.arena.bots.peer.PeerPlan;
import dev.arena.bots.peer.PeerStats;
import dev.arena.bots.target.BotRole;
import dev.arena.bots.target.BotSession;
import dev.arena.bots.target.BotSpec;
import dev.arena.bots.target.Target;
import dev.arena.bots.target.TargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test-only stand-ins for the target, peer and sources. They exist for the unit tests of the scheduling, counting
 * and exit-code logic, which must not depend on a server or on network timing; the real target/peer/media classes
 * are tested against real servers end to end (after the merge).
 */
public final class Fakes {
    private Fakes() {
    }

    /** A peer that is connected and has media at once, unless told that ICE fails. */
    public static final class Peer implements LivePeer {
        final PeerPlan plan;
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final CompletableFuture<Void> firstMedia = new CompletableFuture<>();
        volatile boolean iceUp;
        volatile boolean closed;

        Peer(PeerPlan plan) {
            this.plan = plan;
        }

        @Override
        public PeerStats stats() {
            long ice = iceUp ? 2_000_000 : -1;
            long rest = firstMedia.isDone() && !firstMedia.isCompletedExceptionally() ? 1_000_000 : -1;
            int n = rest < 0 ? 0 : 1; // media only once up
            return new PeerStats(n * 100, n * 120_000, n * 101, n, n * 2, n, 0, 0, 3_000,
                    plan.videoSend() != null ? n * 50 : 0, plan.videoSend() != null ? n * 60_000 : 0, ice, rest, rest);
        }

        void up() {
            iceUp = true;
            connected.complete(null);
            firstMedia.complete(null);
        }

        void iceFails() {
            connected.completeExceptionally(new IllegalStateException("ICE failed: no answer to the checks"));
        }

        @Override
        public CompletableFuture<?> connected() {
            return connected;
        }

        @Override
        public CompletableFuture<?> firstMedia() {
            return firstMedia;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String createOffer() {
            return "v=0\r\n";
        }

        @Override
        public void applyAnswer(String answerSdp) {
        }

        @Override
        public String answerOffer(String offerSdp) {
            return "v=0\r\n";
        }

        @Override
        public String offerMoreReceivers(int audio, int video) {
            return "v=0\r\n";
        }

        @Override
        public String offerToPublish(MediaSource audio, MediaSource video) {
            return "v=0\r\n";
        }

        @Override
        public String offerToStopPublishing() {
            return "v=0\r\n";
        }
    }

    /** Makes {@link Peer}s and keeps them. */
    public static final class Peers implements PeerFactory {
        final List<Peer> made = new CopyOnWriteArrayList<>();

        @Override
        public LivePeer create(PeerPlan plan) {
            Peer p = new Peer(plan);
            made.add(p);
            return p;
        }
    }

    /** What the fake target does with one join. */
    public enum Outcome { OK, REFUSED, UNAUTHORIZED, NEVER_ANSWERS, ICE_FAILS }

    /** A target whose joins succeed or fail as {@code outcome} says, per identity. */
    public static final class FakeTarget implements Target {
        final Function<BotSpec, Outcome> outcome;
        final boolean stage;
        final Map<String, Session> sessions = new ConcurrentHashMap<>();
        final List<String> stageLog = new CopyOnWriteArrayList<>();
        final AtomicInteger joins = new AtomicInteger();
        volatile boolean closed;

        public FakeTarget(boolean stage, Function<BotSpec, Outcome> outcome) {
            this.stage = stage;
            this.outcome = outcome;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public boolean supportsStage() {
            return stage;
        }

        @Override
        public CompletableFuture<BotSession> join(BotSpec bot, dev.arena.bots.peer.SdpPeer sdp) {
            joins.incrementAndGet();
            Peer peer = (Peer) sdp;
            return switch (outcome.apply(bot)) {
                case REFUSED -> CompletableFuture.failedFuture(
                        new TargetException("connection_refused", "connect to 127.0.0.1:9 refused"));
                case UNAUTHORIZED -> CompletableFuture.failedFuture(
                        new TargetException("http_401", "401 Unauthorized: invalid token"));
                case NEVER_ANSWERS -> new CompletableFuture<>();
                case ICE_FAILS -> {
                    peer.iceFails();
                    yield CompletableFuture.completedFuture(session(bot));
                }
                case OK -> {
                    peer.up();
                    yield CompletableFuture.completedFuture(session(bot));
                }
            };
        }

        private Session session(BotSpec bot) {
            Session s = new Session(this, bot);
            sessions.put(bot.identity(), s);
            return s;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A session; stage actions go through the target so that promote(identity) reaches that bot's session. */
    public static final class Session implements BotSession {
        final FakeTarget target;
        final BotSpec bot;
        final CompletableFuture<Void> promoted = new CompletableFuture<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        volatile boolean handRaised;
        volatile boolean published;
        volatile boolean left;

        Session(FakeTarget target, BotSpec bot) {
            this.target = target;
            this.bot = bot;
        }

        @Override
        public CompletableFuture<Void> raiseHand() {
            handRaised = true;
            target.stageLog.add("hand " + bot.identity());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> promote(String identity) {
            Session s = target.sessions.get(identity);
            if (bot.role() != BotRole.PUBLISHER || s == null || !s.handRaised) {
                return CompletableFuture.failedFuture(new TargetException("not_found", "no raised hand of " + identity));
            }
            target.stageLog.add("promote " + identity);
            s.promoted.complete(null);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> demote(String identity) {
            target.stageLog.add("demote " + identity);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> promoted() {
            return promoted;
        }

        @Override
        public CompletableFuture<Void> publish(MediaSource audio, MediaSource video) {
            published = audio != null || video != null;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> leave() {
            left = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<String> ended() {
            return ended;
        }
    }

    /** A source that is never read (the fake peer sends nothing). */
    public static MediaSource source(SourceSpec spec) {
        return new MediaSource() {
            @Override
            public MediaKind kind() {
                return spec.kind();
            }

            @Override
            public String codec() {
                return spec.kind() == MediaKind.VIDEO ? "VP8" : "opus";
            }

            @Override
            public int clockRate() {
                return spec.kind() == MediaKind.VIDEO ? 90000 : 48000;
            }

            @Override
            public int channels() {
                return spec.kind() == MediaKind.VIDEO ? 1 : 2;
            }

            @Override
            public MediaPacket next() {
                return new MediaPacket(new byte[1], 1, true, 0, 0, true);
            }
        };
    }
}
