package dev.arena.bots;

import dev.arena.bots.peer.BotContext;
import dev.arena.bots.scenario.PeerFactory;
import dev.arena.bots.scenario.SourceFactory;
import dev.arena.bots.scenario.TargetFactory;
import java.util.Objects;
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

    /**
     * The real targets, peers and sources: wired when the target, peer and media packages are merged in, e.g.
     * <pre>{@code
     * targets: o -> switch (o.kind()) {
     *     case "arena" -> new ArenaTarget(o.url(), arenaTokens(o), o.timeout());
     *     case "janus" -> new JanusTarget(o.janusUrl() != null ? o.janusUrl() : o.url(), true, o.timeout());
     *     default -> o.whipUrl() == null && o.whepUrl() == null
     *             ? WhipTarget.arena(o.url(), o.token() != null ? TokenSource.fixed(o.token()) : arenaTokens(o), o.timeout())
     *             : new WhipTarget(str(o.whipUrl()), str(o.whepUrl()),
     *                     o.token() != null ? TokenSource.fixed(o.token()) : TokenSource.none(), o.timeout());
     * }
     * arenaTokens(o) = o.apiKey() != null ? TokenSource.signedWith(new ApiKey(o.apiKey(), o.apiSecret()))
     *                                     : TokenSource.devKey(o.dataDir())
     * peers:   ctx -> plan -> live(new BotPeer(ctx, plan))   // LivePeer delegating to BotPeer's methods
     * sources: s -> switch (s.type()) {          // files read once (MediaFile), shared by every bot's source
     *     case SAMPLE -> s.kind() == VIDEO ? MediaSources.sampleVideo() : MediaSources.sampleAudio();
     *     case FILE -> MediaSources.of(file read once from s.file());
     *     case SYNTHETIC -> MediaSources.synthetic(s.kind(), s.kbps() * 1000L);
     * }
     * }</pre>
     */
    public static Factories standard() {
        return new Factories(
                o -> {
                    throw new IllegalArgumentException("this build has no " + o.kind() + " target wired in yet");
                },
                ctx -> plan -> {
                    throw new IllegalStateException("this build has no bot peer wired in yet");
                },
                s -> {
                    throw new IllegalStateException("this build has no media sources wired in yet");
                });
    }
}
