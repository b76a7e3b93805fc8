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
     * The real targets, peers and sources: wired when the target, peer and media packages are merged in. This
     * wiring was compiled and run against a real node (all four scenarios, shards and merge, Ctrl-C):
     * <pre>{@code
     * return new Factories(Factories::target, ctx -> plan -> live(new BotPeer(ctx, plan)), Factories::source);
     *
     * static Target target(TargetOptions o) {
     *     return switch (o.kind()) {
     *         case "arena" -> new ArenaTarget(o.url(), arenaTokens(o), o.timeout());
     *         case "janus" -> new JanusTarget(o.janusUrl() != null ? o.janusUrl() : o.url(), true, o.timeout());
     *         default -> o.whipUrl() == null && o.whepUrl() == null   // an Arena node's /whip/ROOM and /whep/ROOM
     *                 ? WhipTarget.arena(o.url(), o.token() != null ? TokenSource.fixed(o.token()) : arenaTokens(o),
     *                         o.timeout())
     *                 : new WhipTarget(o.whipUrl() == null ? null : o.whipUrl().toString(),
     *                         o.whepUrl() == null ? null : o.whepUrl().toString(),
     *                         o.token() != null ? TokenSource.fixed(o.token()) : TokenSource.none(), o.timeout());
     *     };
     * }
     * static TokenSource arenaTokens(TargetOptions o) {
     *     return o.apiKey() != null ? TokenSource.signedWith(new ApiKey(o.apiKey(), o.apiSecret()))
     *             : TokenSource.devKey(o.dataDir());
     * }
     * static MediaSource source(SourceSpec s) {   // IOException -> UncheckedIOException (exit 2 before the run)
     *     boolean video = s.kind() == MediaKind.VIDEO;
     *     return switch (s.type()) {
     *         case SAMPLE -> video ? MediaSources.sampleVideo() : MediaSources.sampleAudio();
     *         case FILE -> video ? MediaSources.video(s.file()) : MediaSources.audio(s.file()); // read once per path
     *         case SYNTHETIC -> MediaSources.synthetic(s.kind(), s.kbps() * 1000L);
     *         case NONE -> throw new IllegalArgumentException("no source for none");
     *     };
     * }
     * static LivePeer live(BotPeer p)   // an anonymous LivePeer whose every method calls p's method of that name
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
