package dev.arena.bots;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaSource;
import dev.arena.bots.media.MediaSources;
import dev.arena.bots.peer.BotContext;
import dev.arena.bots.peer.BotPeer;
import dev.arena.bots.peer.PeerException;
import dev.arena.bots.peer.PeerPlan;
import dev.arena.bots.peer.PeerStats;
import dev.arena.bots.scenario.LivePeer;
import dev.arena.bots.scenario.PeerFactory;
import dev.arena.bots.scenario.SourceFactory;
import dev.arena.bots.scenario.SourceSpec;
import dev.arena.bots.scenario.TargetFactory;
import dev.arena.bots.scenario.TargetOptions;
import dev.arena.bots.target.ArenaTarget;
import dev.arena.bots.target.JanusTarget;
import dev.arena.bots.target.Target;
import dev.arena.bots.target.TokenSource;
import dev.arena.bots.target.WhipTarget;
import dev.arena.server.auth.ApiKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What a run is made of: the target, each bot's peer (on the run's shared context), each publisher's sources.
 * {@link #standard()} is the real set; tests pass their own.
 *
 * @param targets  the target from the command line's options; IllegalArgumentException for options that do not
 *                 fit (exit 2)
 * @param peers    the peer factory on the run's context
 * @param sources  a new source per publishing bot; a RuntimeException for a file that cannot be used (exit 2: Main
 *                 makes one of each before the run to check)
 */
public record Factories(TargetFactory targets, Function<BotContext, PeerFactory> peers, SourceFactory sources) {
    public Factories {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(sources, "sources");
    }

    /** The real targets, peers (BotPeer) and media sources. */
    public static Factories standard() {
        return new Factories(Factories::target, ctx -> plan -> live(new BotPeer(ctx, plan)), Factories::source);
    }

    static Target target(TargetOptions o) {
        TokenSource whipTokens = whipTokens(o);
        return switch (o.kind()) {
            case "arena" -> new ArenaTarget(o.url(), arenaTokens(o), o.timeout());
            case "janus" -> new JanusTarget(o.janusUrl() != null ? o.janusUrl() : o.url(), true, o.timeout());
            default -> {
                if (o.whipUrl() == null && o.whepUrl() == null) { // an Arena node's /whip/ROOM and /whep/ROOM
                    yield WhipTarget.arena(o.url(), whipTokens != null ? whipTokens : arenaTokens(o), o.timeout());
                }
                yield new WhipTarget(o.whipUrl() == null ? null : o.whipUrl().toString(),
                        o.whepUrl() == null ? null : o.whepUrl().toString(),
                        whipTokens != null ? whipTokens : TokenSource.none(), o.timeout());
            }
        };
    }

    /** --tokens (one per bot), else --token (one for all), else null. */
    private static TokenSource whipTokens(TargetOptions o) {
        if (o.tokensFile() != null) {
            try {
                return TokenSource.oneEach(java.nio.file.Files.readAllLines(o.tokensFile()).stream()
                        .map(String::strip).filter(l -> !l.isEmpty()).toList());
            } catch (IOException e) {
                throw new IllegalArgumentException("--tokens " + o.tokensFile() + ": cannot read it (" + e + ")");
            }
        }
        return o.token() != null ? TokenSource.fixed(o.token()) : null;
    }

    /** The API key given, else the development key of a node in the data dir (IllegalArgumentException: none). */
    private static TokenSource arenaTokens(TargetOptions o) {
        return o.apiKey() != null ? TokenSource.signedWith(new ApiKey(o.apiKey(), o.apiSecret()))
                : TokenSource.devKey(o.dataDir());
    }

    static MediaSource source(SourceSpec s) {
        boolean video = s.kind() == MediaKind.VIDEO;
        try {
            return switch (s.type()) {
                case SAMPLE -> video ? MediaSources.sampleVideo() : MediaSources.sampleAudio();
                case FILE -> video ? MediaSources.video(s.file()) : MediaSources.audio(s.file()); // read once per path
                case SYNTHETIC -> MediaSources.synthetic(s.kind(), s.kbps() * 1000L);
                case NONE -> throw new IllegalArgumentException("no source for none");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** BotPeer as the runner drives it. */
    static LivePeer live(BotPeer p) {
        return new LivePeer() {
            @Override
            public PeerStats stats() {
                return p.stats();
            }

            @Override
            public CompletableFuture<?> connected() {
                return p.connected();
            }

            @Override
            public CompletableFuture<?> firstMedia() {
                return p.firstMedia();
            }

            @Override
            public void close() {
                p.close();
            }

            @Override
            public String createOffer() {
                return p.createOffer();
            }

            @Override
            public void applyAnswer(String answerSdp) throws PeerException {
                p.applyAnswer(answerSdp);
            }

            @Override
            public String answerOffer(String offerSdp) throws PeerException {
                return p.answerOffer(offerSdp);
            }

            @Override
            public String offerMoreReceivers(int audio, int video) {
                return p.offerMoreReceivers(audio, video);
            }

            @Override
            public String offerToPublish(MediaSource audio, MediaSource video) {
                return p.offerToPublish(audio, video);
            }

            @Override
            public String offerToStopPublishing() {
                return p.offerToStopPublishing();
            }
        };
    }
}
