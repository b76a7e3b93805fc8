package dev.arena.bots.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * What one run does (the same for every shard of it; {@code shard} says which slice this process runs).
 *
 * @param scenario       broadcast, conference, stage or churn
 * @param room           the room every bot joins
 * @param publishers     publishing bots (stage: hosts, the first one drives the stage; conference: participants)
 * @param listeners      listening bots
 * @param joinRate       bots started per second across the whole run (all shards), publishers then listeners
 * @param duration       how long the full load is held once the ramp-up has started every bot
 * @param joinTimeout    per bot: from the start of its join to its first media; later is a failed join
 * @param shard          this process's slice
 * @param speakers       stage: listeners brought on stage in turn
 * @param speakTime      stage: how long each speaks before being sent back
 * @param churnRate      churn: listeners leaving per second across the run (each replaced by a new one)
 * @param listenerDelay  shards other than 0 (which have no publishers): wait this long before the listeners;
 *                       null: the publishers' ramp-up time + 5 s
 * @param audio          what publishers send as audio
 * @param video          what publishers send as video
 */
public record RunPlan(ScenarioKind scenario, String room, int publishers, int listeners, double joinRate,
                      Duration duration, Duration joinTimeout, Shard shard, int speakers, Duration speakTime,
                      double churnRate, Duration listenerDelay, SourceSpec audio, SourceSpec video) {
    /** Margin for shard 0's publishers to connect, for shards that cannot see them. */
    static final Duration PUBLISHER_MARGIN = Duration.ofSeconds(5);

    public RunPlan {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(joinTimeout, "joinTimeout");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(speakTime, "speakTime");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(video, "video");
        if (publishers < 0 || listeners < 0) {
            throw new IllegalArgumentException("--publishers and --listeners must be >= 0");
        }
        if (publishers + listeners == 0) {
            throw new IllegalArgumentException("no bots: set --publishers and/or --listeners");
        }
        if (!(joinRate > 0) || Double.isInfinite(joinRate)) {
            throw new IllegalArgumentException("--join-rate must be > 0 bots/s");
        }
        if (!audio.enabled() && !video.enabled() && publishers > 0) {
            throw new IllegalArgumentException("publishers need something to send: --audio and --video are both none");
        }
        switch (scenario) {
            case STAGE -> {
                if (publishers < 1) {
                    throw new IllegalArgumentException("stage needs a host: --publishers must be >= 1");
                }
                if (speakers > listeners) {
                    throw new IllegalArgumentException("--speakers " + speakers + " is more than --listeners " + listeners);
                }
                Duration stageTime = speakTime.multipliedBy(speakers);
                if (duration.compareTo(stageTime) < 0) {
                    throw new IllegalArgumentException("--duration " + duration.toMillis() + "ms is shorter than --speakers "
                            + speakers + " x --speak-time " + speakTime.toMillis() + "ms");
                }
            }
            case CONFERENCE -> {
                if (publishers < 2) {
                    throw new IllegalArgumentException("a conference needs --publishers >= 2 (everyone publishes)");
                }
            }
            case CHURN -> {
                if (!(churnRate > 0) || listeners < 1) {
                    throw new IllegalArgumentException("churn needs --listeners >= 1 and --churn-rate > 0");
                }
            }
            case BROADCAST -> {
            }
        }
    }

    /** Whether publishers are sliced across shards like listeners (a conference) or all run in shard 0. */
    public boolean slicedPublishers() {
        return scenario == ScenarioKind.CONFERENCE;
    }

    /** Bots this shard keeps present at once. */
    public long plannedHere() {
        return JoinSchedule.publishers(this).size() + JoinSchedule.listeners(this).size();
    }

    /** Receive sections a listener offers: one per publisher and kind sent (at least one: it may watch others). */
    public int listenerReceives(boolean enabled) {
        return enabled || publishers == 0 ? Math.max(1, publishers) : 0;
    }
}
