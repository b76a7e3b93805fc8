package dev.arena.sfu.speaker;

import dev.arena.rtc.util.DropCounter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Active speakers of a room from RFC 6464 audio levels ({@link AudioLevel}), with hysteresis.
 *
 * <p><b>Model.</b> Per participant, levels are converted to linear energy ({@link AudioLevel#energy(int)}) and
 * accumulated, weighted by the time each sample covers, into a ring of {@value #BUCKET_MILLIS} ms buckets
 * holding energy and "voiced" time (time at a level of at most {@link Config#speechLevel()}). Time not
 * covered by samples (DTX, mute, loss) counts as silence. From the ring come a short-window
 * ({@value #SHORT_BUCKETS} buckets) and a medium-window ({@value #MEDIUM_BUCKETS} buckets) mean energy, and
 * the voiced time in the medium window. A sliding window (not an exponential average) means a loud cough
 * leaves no long tail.
 *
 * <p><b>Decisions</b> (made in {@link #poll}, which the owner calls periodically, e.g. every 100 ms):
 * <ul>
 *   <li>A participant <i>qualifies</i> when it is speaking now (voiced in the short window) and has at least
 *       {@link Config#minSpeechNanos()} of voiced time in the medium window: brief noise never qualifies.</li>
 *   <li>Qualifying participants join the list while it has room ({@link Config#maxSpeakers()}); when it is
 *       full, a qualifying participant must be louder (short window) than the weakest listed one by
 *       {@link Config#marginDb()} for {@link Config#holdNanos()} to replace it.</li>
 *   <li>The first entry is the dominant speaker. Another listed speaker takes that place only after being
 *       louder than it by the margin, continuously, for the hold time. Otherwise the order is stable.</li>
 *   <li>A listed speaker not speaking for {@link Config#silenceTimeoutNanos()} is dropped.</li>
 * </ul>
 * {@link #poll} returns the new list when it changed, at most once per {@link Config#emitIntervalNanos()}
 * (500 ms by default); a change inside the interval is returned by the first poll after it.
 *
 * <p><b>Bounds.</b> At most {@link Config#maxParticipants()} participants are tracked (about 400 bytes each):
 * a new one evicts the least recently speaking unlisted participant; participants that send nothing for
 * {@link Config#idleTimeoutNanos()} are forgotten. {@link #onAudioLevel} does not allocate once the
 * participant is known.
 *
 * <p><b>Threading.</b> Not thread-safe: owned by one event loop (the room's), which calls every method.
 * Time comes from the caller ({@code nowNanos}) or from the injected clock in the short overloads.
 *
 * <p>Compared with Jitsi's dominant speaker identification (Volfin and Cohen's three time scales) this is a
 * deliberately simpler two-window energy model; like mediasoup's AudioLevelObserver it works on the
 * RFC 6464 levels only, never on decoded audio.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6464#section-3">RFC 6464 section 3</a>
 */
public final class ActiveSpeakerDetector {
    /** Granularity of the per-participant windows. */
    public static final int BUCKET_MILLIS = 100;
    /** Short window: 300 ms. */
    public static final int SHORT_BUCKETS = 3;
    /** Medium window: 2 s. */
    public static final int MEDIUM_BUCKETS = 20;

    private static final long BUCKET_NANOS = BUCKET_MILLIS * 1_000_000L;
    private static final long SHORT_WINDOW_NANOS = SHORT_BUCKETS * BUCKET_NANOS;
    /** Time credited to a participant's first sample (one Opus frame). */
    private static final long FIRST_SAMPLE_NANOS = 20_000_000L;
    /** Most time one sample may stand for; a longer gap before it counts as silence. */
    private static final long MAX_SAMPLE_NANOS = 60_000_000L;
    /** Voiced share of the short window for a participant to count as speaking now. */
    private static final double SPEAKING_FRACTION = 0.5;
    private static final long NEVER = Long.MIN_VALUE;

    /**
     * Tuning. {@link #DEFAULT}: up to 3 speakers, 1000 participants, speech at -50 dBov or louder,
     * 400 ms of speech to qualify, 3 dB margin held 600 ms, 3 s silence timeout, 30 s idle timeout,
     * 500 ms between emissions.
     *
     * @param maxSpeakers length limit of the emitted list (1 = dominant speaker only)
     * @param maxParticipants tracked participants at most
     * @param speechLevel a level (-dBov) at or below which a sample counts as voiced, 0..126
     * @param minSpeechNanos voiced time in the 2 s medium window needed to qualify
     * @param holdNanos how long a challenger must stay louder by the margin to displace a speaker
     * @param marginDb how much louder (short window) a challenger must be
     * @param silenceTimeoutNanos silence after which a listed speaker is dropped
     * @param idleTimeoutNanos no samples for this long and a participant is forgotten
     * @param emitIntervalNanos least time between two emitted lists
     */
    public record Config(int maxSpeakers, int maxParticipants, int speechLevel, long minSpeechNanos,
            long holdNanos, double marginDb, long silenceTimeoutNanos, long idleTimeoutNanos,
            long emitIntervalNanos) {
        public static final Config DEFAULT = new Config(3, 1000, 50, ms(400), ms(600), 3.0, ms(3000),
                ms(30_000), ms(500));

        public Config {
            if (maxSpeakers < 1 || maxParticipants <= maxSpeakers) {
                throw new IllegalArgumentException("need 1 <= maxSpeakers < maxParticipants");
            }
            if (speechLevel < 0 || speechLevel >= AudioLevel.SILENCE) {
                throw new IllegalArgumentException("speechLevel must be 0..126: " + speechLevel);
            }
            if (minSpeechNanos < 0 || minSpeechNanos > MEDIUM_BUCKETS * BUCKET_NANOS / 2) {
                throw new IllegalArgumentException("minSpeechNanos must be 0..1 s");
            }
            if (holdNanos < 0 || !(marginDb >= 0) || silenceTimeoutNanos <= 0 || idleTimeoutNanos <= 0
                    || emitIntervalNanos < 0) {
                throw new IllegalArgumentException("negative or zero durations/margin");
            }
        }

        private static long ms(long millis) {
            return millis * 1_000_000L;
        }
    }

    private final LongSupplier nanoClock;
    private final Config config;
    private final DropCounter<SpeakerDrop> drops;
    private final double margin;
    private final LinkedHashMap<String, Speaker> speakers = new LinkedHashMap<>();
    /** The current list, dominant first; every entry has {@code listed == true}. */
    private final ArrayList<Speaker> listed = new ArrayList<>();
    private long version;
    private long emittedVersion;
    private List<String> emitted = List.of();
    private long lastEmitNanos = NEVER;

    /** A detector with {@link Config#DEFAULT} that counts drops in a private counter. */
    public ActiveSpeakerDetector(LongSupplier nanoClock) {
        this(nanoClock, Config.DEFAULT, new DropCounter<>(SpeakerDrop.class));
    }

    public ActiveSpeakerDetector(LongSupplier nanoClock, Config config, DropCounter<SpeakerDrop> drops) {
        this.nanoClock = Objects.requireNonNull(nanoClock);
        this.config = Objects.requireNonNull(config);
        this.drops = Objects.requireNonNull(drops);
        this.margin = Math.pow(10.0, config.marginDb() / 10.0);
    }

    /** {@link #onAudioLevel(String, int, long)} at the injected clock's time. */
    public void onAudioLevel(String participantId, int level) {
        onAudioLevel(participantId, level, nanoClock.getAsLong());
    }

    /**
     * Records one packet's level (RFC 6464, 0..127 -dBov; the V bit is not used: senders set it
     * inconsistently). Allocation-free for a known participant.
     */
    public void onAudioLevel(String participantId, int level, long nowNanos) {
        if (level < 0 || level > AudioLevel.SILENCE) {
            drops.count(SpeakerDrop.INVALID_LEVEL);
            return;
        }
        Speaker s = speakers.get(participantId);
        if (s == null) {
            s = admit(participantId);
        }
        if (!s.add(level, nowNanos)) {
            drops.count(SpeakerDrop.STALE_SAMPLE);
        }
    }

    /** {@link #poll(long)} at the injected clock's time. */
    public List<String> poll() {
        return poll(nanoClock.getAsLong());
    }

    /**
     * Updates the decisions and returns the new ordered list of active speakers (dominant first,
     * immutable) if it differs from the last one returned and the emit interval has passed since then;
     * otherwise null.
     */
    public List<String> poll(long nowNanos) {
        decide(nowNanos);
        if (version == emittedVersion) {
            return null;
        }
        if (lastEmitNanos != NEVER && nowNanos - lastEmitNanos < config.emitIntervalNanos()) {
            return null;
        }
        emittedVersion = version;
        List<String> current = currentIds();
        if (current.equals(emitted)) {
            return null; // changed and changed back
        }
        emitted = current;
        lastEmitNanos = nowNanos;
        return current;
    }

    /** Forgets a participant (it left or unpublished its audio); the next emission reflects it. */
    public void remove(String participantId) {
        Speaker s = speakers.remove(participantId);
        if (s != null && s.listed) {
            unlist(s);
        }
    }

    /** The current decision, dominant first (what the next emission will carry, if it changed). */
    public List<String> activeSpeakers() {
        return currentIds();
    }

    /** Number of tracked participants (at most {@link Config#maxParticipants()}). */
    public int trackedCount() {
        return speakers.size();
    }

    public DropCounter<SpeakerDrop> drops() {
        return drops;
    }

    public Config config() {
        return config;
    }

    private List<String> currentIds() {
        String[] ids = new String[listed.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = listed.get(i).id;
        }
        return List.of(ids);
    }

    private Speaker admit(String participantId) {
        if (speakers.size() >= config.maxParticipants()) {
            Speaker victim = null;
            for (Speaker s : speakers.values()) {
                if (!s.listed && (victim == null || s.lastSpeechNanos < victim.lastSpeechNanos
                        || (s.lastSpeechNanos == victim.lastSpeechNanos && s.lastSampleNanos < victim.lastSampleNanos))) {
                    victim = s;
                }
            }
            // maxParticipants > maxSpeakers, so a full table always has an unlisted participant
            speakers.remove(victim.id);
            drops.count(SpeakerDrop.EVICTED);
        }
        Speaker s = new Speaker(Objects.requireNonNull(participantId, "participantId"));
        speakers.put(participantId, s);
        return s;
    }

    private void unlist(Speaker s) {
        listed.remove(s);
        s.listed = false;
        s.challengeSince = NEVER;
        version++;
    }

    private void decide(long now) {
        Iterator<Speaker> it = speakers.values().iterator();
        while (it.hasNext()) {
            Speaker s = it.next();
            s.advance(now);
            if (!s.listed && s.lastSampleNanos != NEVER && now - s.lastSampleNanos > config.idleTimeoutNanos()) {
                it.remove();
                drops.count(SpeakerDrop.IDLE);
            }
        }
        // 1. silence drops a listed speaker
        for (int i = listed.size() - 1; i >= 0; i--) {
            Speaker s = listed.get(i);
            if (s.lastSpeechNanos == NEVER || now - s.lastSpeechNanos > config.silenceTimeoutNanos()) {
                unlist(s);
            }
        }
        // 2. qualifying participants fill free places, most speech first
        while (listed.size() < config.maxSpeakers()) {
            Speaker best = null;
            for (Speaker s : speakers.values()) {
                if (!s.listed && qualifies(s, now) && (best == null || s.mediumEnergy(now) > best.mediumEnergy(now))) {
                    best = s;
                }
            }
            if (best == null) {
                break;
            }
            best.listed = true;
            best.challengeSince = NEVER;
            listed.add(best);
            version++;
        }
        // 3. full list: a qualifying outsider displaces the weakest listed speaker after the hold time
        if (listed.size() == config.maxSpeakers()) {
            int weakest = listed.size() == 1 ? 0 : 1;
            for (int i = 2; i < listed.size(); i++) {
                if (listed.get(i).shortEnergy(now) < listed.get(weakest).shortEnergy(now)) {
                    weakest = i;
                }
            }
            Speaker w = listed.get(weakest);
            Speaker winner = challenge(now, false, w.shortEnergy(now));
            if (winner != null) {
                w.listed = false;
                w.challengeSince = NEVER;
                winner.listed = true;
                winner.challengeSince = NEVER;
                listed.set(weakest, winner);
                version++;
            }
        } else {
            challenge(now, false, Double.POSITIVE_INFINITY); // nobody outside can be a challenger: reset
        }
        // 4. a listed speaker takes the dominant place after being louder by the margin for the hold time
        if (!listed.isEmpty()) {
            Speaker dominant = listed.get(0);
            dominant.challengeSince = NEVER;
            Speaker winner = challenge(now, true, dominant.shortEnergy(now));
            if (winner != null) {
                listed.remove(winner);
                listed.add(0, winner);
                winner.challengeSince = NEVER;
                dominant.challengeSince = NEVER;
                version++;
            }
        }
    }

    /**
     * Updates the challenge timers of listed (or unlisted) non-dominant participants against an energy
     * and returns the loudest one whose challenge has lasted the hold time, or null.
     */
    private Speaker challenge(long now, boolean amongListed, double targetEnergy) {
        Speaker winner = null;
        for (Speaker s : speakers.values()) {
            if (s.listed != amongListed || (amongListed && s == listed.get(0))) {
                continue;
            }
            double e = s.shortEnergy(now);
            boolean louder = qualifies(s, now) && e > 0 && e > margin * targetEnergy;
            if (!louder) {
                s.challengeSince = NEVER;
                continue;
            }
            if (s.challengeSince == NEVER) {
                s.challengeSince = now;
            }
            if (now - s.challengeSince >= config.holdNanos() && (winner == null || e > winner.shortEnergy(now))) {
                winner = s;
            }
        }
        return winner;
    }

    private boolean qualifies(Speaker s, long now) {
        return s.lastSpeechNanos != NEVER && now - s.lastSpeechNanos <= SHORT_WINDOW_NANOS
                && s.voicedNanos(MEDIUM_BUCKETS, now) >= config.minSpeechNanos();
    }

    /** One participant: a ring of energy / voiced-time buckets and the decision state. */
    private final class Speaker {
        final String id;
        final double[] energy = new double[MEDIUM_BUCKETS]; // sum of energy x nanos
        final long[] voiced = new long[MEDIUM_BUCKETS]; // voiced nanos
        long bucket = NEVER; // absolute index (time / BUCKET_NANOS) of the newest bucket
        long lastSampleNanos = NEVER;
        long lastSpeechNanos = NEVER;
        long challengeSince = NEVER;
        boolean listed;

        Speaker(String id) {
            this.id = id;
        }

        /** Adds a sample; false if it is too old for the window. */
        boolean add(int level, long now) {
            long k = Math.floorDiv(now, BUCKET_NANOS);
            if (bucket != NEVER && k <= bucket - MEDIUM_BUCKETS) {
                return false;
            }
            advance(now);
            long covered;
            if (lastSampleNanos == NEVER) {
                covered = FIRST_SAMPLE_NANOS;
            } else {
                covered = Math.clamp(now - lastSampleNanos, 0, MAX_SAMPLE_NANOS);
            }
            int slot = (int) Math.floorMod(k, (long) MEDIUM_BUCKETS);
            energy[slot] += AudioLevel.energy(level) * covered;
            if (level <= config.speechLevel()) {
                voiced[slot] += covered;
                if (voicedNanos(SHORT_BUCKETS, now) >= SPEAKING_FRACTION * windowNanos(SHORT_BUCKETS, now)) {
                    lastSpeechNanos = lastSpeechNanos == NEVER ? now : Math.max(lastSpeechNanos, now);
                }
            }
            lastSampleNanos = lastSampleNanos == NEVER ? now : Math.max(lastSampleNanos, now);
            return true;
        }

        /** Moves the newest bucket to {@code now}, clearing the buckets that fell out of the window. */
        void advance(long now) {
            long k = Math.floorDiv(now, BUCKET_NANOS);
            if (bucket == NEVER) {
                bucket = k;
                return;
            }
            if (k <= bucket) {
                return;
            }
            long n = Math.min(k - bucket, MEDIUM_BUCKETS);
            for (long i = 1; i <= n; i++) {
                int slot = (int) Math.floorMod(bucket + i, (long) MEDIUM_BUCKETS);
                energy[slot] = 0;
                voiced[slot] = 0;
            }
            bucket = k;
        }

        /** Length of the window of the newest {@code buckets} buckets, the newest being partial. */
        long windowNanos(int buckets, long now) {
            long intoNewest = Math.clamp(now - bucket * BUCKET_NANOS, 0, BUCKET_NANOS);
            return Math.max((buckets - 1) * BUCKET_NANOS + intoNewest, 1);
        }

        long voicedNanos(int buckets, long now) {
            long sum = 0;
            for (int i = 0; i < buckets; i++) {
                sum += voiced[(int) Math.floorMod(bucket - i, (long) MEDIUM_BUCKETS)];
            }
            return sum;
        }

        double meanEnergy(int buckets, long now) {
            if (bucket == NEVER) {
                return 0;
            }
            double sum = 0;
            for (int i = 0; i < buckets; i++) {
                sum += energy[(int) Math.floorMod(bucket - i, (long) MEDIUM_BUCKETS)];
            }
            return sum / windowNanos(buckets, now);
        }

        double shortEnergy(long now) {
            return meanEnergy(SHORT_BUCKETS, now);
        }

        double mediumEnergy(long now) {
            return meanEnergy(MEDIUM_BUCKETS, now);
        }
    }
}
