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
 */
public record Factories(TargetFactory targets, Function<BotContext, PeerFactory> peers, SourceFactory sources) {
    public Factories {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(sources, "sources");
    }

    /**
     * The real targets, peers and sources. Wired at the merge of the target, peer and media packages, e.g.:
     * <pre>{@code
     * targets: o -> switch (o.kind()) { case "arena" -> ArenaTarget...; case "janus" -> JanusTarget...;
     *                                   default -> WhipTarget... }
     * peers:   ctx -> plan -> adapt(new BotPeer(ctx, plan))   // LivePeer: BotPeer's stats/connected/firstMedia/close
     * sources: s -> switch (s.type()) { case SAMPLE -> video ? MediaSources.sampleVideo() : sampleAudio();
     *                                   case FILE -> video ? MediaSources.video(s.file()) : audio(s.file());
     *                                   case SYNTHETIC -> MediaSources.synthetic(s.kind(), s.kbps() * 1000L); }
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
