package dev.arena.sfu.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.util.DropCounter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActiveSpeakerDetectorTest {
    private static final long MS = 1_000_000L;
    // Typical RFC 6464 levels: speech at -20..-35 dBov, a quiet room at -70 and below.
    private static final int LOUD = 20;
    private static final int SPEECH = 30;
    private static final int BACKGROUND = 75;

    /** A fake clock (starting at an arbitrary, negative nanoTime-like origin) and 20 ms packet cadence. */
    private static final class Sim {
        long now = -5_000_000_000L;
        final DropCounter<SpeakerDrop> drops = new DropCounter<>(SpeakerDrop.class);
        final ActiveSpeakerDetector detector;
        final List<Long> emitTimes = new ArrayList<>();
        final List<List<String>> emissions = new ArrayList<>();
        int polls;
        int nullPolls;

        Sim(ActiveSpeakerDetector.Config config) {
            detector = new ActiveSpeakerDetector(() -> now, config, drops);
        }

        Sim() {
            this(ActiveSpeakerDetector.Config.DEFAULT);
        }

        /** Sends one level per participant every 20 ms for {@code millis}, polling every {@code pollMs}. */
        Sim run(long millis, Map<String, Integer> levels, long pollMs) {
            for (long t = 0; t < millis; t += 10) {
                now += 10 * MS;
                if (t % 20 == 0) {
                    levels.forEach((id, level) -> detector.onAudioLevel(id, level));
                }
                if (t % pollMs == 0) {
                    List<String> out = detector.poll();
                    polls++;
                    if (out == null) {
                        nullPolls++;
                    } else {
                        emitTimes.add(now);
                        emissions.add(out);
                    }
                }
            }
            return this;
        }

        Sim run(long millis, Map<String, Integer> levels) {
            return run(millis, levels, 100);
        }

        List<String> last() {
            return emissions.isEmpty() ? null : emissions.getLast();
        }

        int mark() {
            return emissions.size();
        }

        List<List<String>> since(int mark) {
            return emissions.subList(mark, emissions.size());
        }
    }

    private static Map<String, Integer> levels(Object... idLevel) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < idLevel.length; i += 2) {
            m.put((String) idLevel[i], (Integer) idLevel[i + 1]);
        }
        return m;
    }

    private static ActiveSpeakerDetector.Config dominantOnly() {
        ActiveSpeakerDetector.Config d = ActiveSpeakerDetector.Config.DEFAULT;
        return new ActiveSpeakerDetector.Config(1, d.maxParticipants(), d.speechLevel(), d.minSpeechNanos(),
                d.holdNanos(), d.marginDb(), d.silenceTimeoutNanos(), d.idleTimeoutNanos(), d.emitIntervalNanos());
    }

    @Test
    void clearSpeakerWinsAndBackgroundNeverListed() {
        Sim sim = new Sim().run(3000, levels("a", SPEECH, "b", BACKGROUND, "c", AudioLevel.SILENCE));
        assertEquals(List.of(List.of("a")), sim.emissions);
        assertEquals(List.of("a"), sim.detector.activeSpeakers());
        // it took some speech to qualify (not the first packet) but well under the 3 s
        long firstPollAt = sim.now - 3000 * MS;
        assertTrue(sim.emitTimes.getFirst() - firstPollAt >= 400 * MS);
    }

    @Test
    void loudestOfSeveralSimultaneousStartersIsDominant() {
        Sim sim = new Sim().run(3000, levels("a", 40, "b", LOUD, "c", 45));
        assertEquals("b", sim.last().getFirst());
        assertEquals(3, sim.last().size());
    }

    @Test
    void briefNoiseDoesNotFlipOrEnter() {
        Sim sim = new Sim(dominantOnly()).run(3000, levels("a", SPEECH, "b", BACKGROUND));
        int mark = sim.mark();
        // b coughs, much louder than a, for 200 ms, twice, while a keeps talking
        sim.run(200, levels("a", SPEECH, "b", 3)).run(500, levels("a", SPEECH, "b", BACKGROUND))
                .run(200, levels("a", SPEECH, "b", 3)).run(3000, levels("a", SPEECH, "b", BACKGROUND));
        assertEquals(List.of(), sim.since(mark));
        assertEquals(List.of("a"), sim.detector.activeSpeakers());

        // with room in the list (default 3), a cough does not even make b a listed speaker
        Sim roomy = new Sim().run(3000, levels("a", SPEECH, "b", BACKGROUND));
        mark = roomy.mark();
        roomy.run(250, levels("a", SPEECH, "b", 3)).run(3000, levels("a", SPEECH, "b", BACKGROUND));
        assertEquals(List.of(), roomy.since(mark));

        // nor does a cough in a silent room
        Sim quiet = new Sim().run(1000, levels("a", BACKGROUND)).run(250, levels("a", 3))
                .run(2000, levels("a", BACKGROUND));
        assertEquals(List.of(), quiet.emissions);
    }

    @Test
    void handoverAfterSustainedSpeechWhenTheFirstStops() {
        Sim sim = new Sim().run(3000, levels("a", SPEECH, "b", BACKGROUND));
        assertEquals(List.of("a"), sim.last());
        int mark = sim.mark();
        sim.run(6000, levels("a", BACKGROUND, "b", SPEECH));
        List<List<String>> after = sim.since(mark);
        assertTrue(after.contains(List.of("b", "a")), "b became dominant while a was still listed: " + after);
        assertEquals(List.of("b"), sim.last(), "a dropped after its silence timeout");

        Sim single = new Sim(dominantOnly()).run(3000, levels("a", SPEECH, "b", BACKGROUND))
                .run(3000, levels("a", BACKGROUND, "b", SPEECH));
        assertEquals(List.of(List.of("a"), List.of("b")), single.emissions);
    }

    @Test
    void clearlyLouderSpeakerTakesOverOnlyAfterHoldAndSimilarOneDoesNot() {
        // overlapping speech at similar levels: b joins but a stays dominant (hysteresis)
        Sim sim = new Sim().run(3000, levels("a", SPEECH, "b", BACKGROUND))
                .run(5000, levels("a", SPEECH, "b", SPEECH - 1));
        assertEquals(List.of(List.of("a"), List.of("a", "b")), sim.emissions);

        // b 10 dB louder, sustained: takes the dominant place
        sim.run(3000, levels("a", SPEECH, "b", LOUD));
        assertEquals(List.of("b", "a"), sim.last());

        // louder, but only for less than the hold time: no change
        ActiveSpeakerDetector.Config c = dominantOnly();
        Sim shortBurst = new Sim(c).run(3000, levels("a", SPEECH, "b", 60));
        int mark = shortBurst.mark();
        // b has been "speaking" quietly (qualified) and now is 10 dB louder for 400 ms < 600 ms hold
        shortBurst.run(2000, levels("a", SPEECH, "b", 45)).run(400, levels("a", SPEECH, "b", LOUD))
                .run(2000, levels("a", SPEECH, "b", 45));
        assertEquals(List.of(), shortBurst.since(mark));
        shortBurst.run(1500, levels("a", SPEECH, "b", LOUD));
        assertEquals(List.of(List.of("b")), shortBurst.since(mark));
    }

    @Test
    void silenceClearsTheSpeaker() {
        Sim sim = new Sim().run(2000, levels("a", SPEECH));
        assertEquals(List.of("a"), sim.last());
        sim.run(5000, levels("a", AudioLevel.SILENCE));
        assertEquals(List.of(List.of("a"), List.of()), sim.emissions);
        long silentFor = sim.emitTimes.getLast() - (sim.now - 5000 * MS);
        assertTrue(silentFor >= ActiveSpeakerDetector.Config.DEFAULT.silenceTimeoutNanos());

        // no packets at all (muted / DTX) counts as silence too
        Sim muted = new Sim().run(2000, levels("a", SPEECH)).run(5000, levels());
        assertEquals(List.of(List.of("a"), List.of()), muted.emissions);

        // pauses between sentences shorter than the timeout keep the speaker
        Sim talk = new Sim();
        for (int i = 0; i < 5; i++) {
            talk.run(1500, levels("a", SPEECH)).run(1200, levels("a", BACKGROUND));
        }
        assertEquals(List.of(List.of("a")), talk.emissions);
    }

    @Test
    void emitsAtMostEvery500msAndFlushesThePendingChange() {
        // a hair-trigger configuration so the decision flips as often as possible
        ActiveSpeakerDetector.Config c = new ActiveSpeakerDetector.Config(1, 10, 50, 0, 0, 0.0, 1, 60_000 * MS,
                500 * MS);
        Sim sim = new Sim(c);
        for (int i = 0; i < 40; i++) {
            sim.run(60, levels("a", LOUD, "b", BACKGROUND), 10).run(60, levels("a", BACKGROUND, "b", LOUD), 10);
        }
        assertTrue(sim.emissions.size() >= 5, "flips were emitted: " + sim.emissions.size());
        for (int i = 1; i < sim.emitTimes.size(); i++) {
            assertTrue(sim.emitTimes.get(i) - sim.emitTimes.get(i - 1) >= 500 * MS);
        }
        for (int i = 1; i < sim.emissions.size(); i++) {
            assertFalse(sim.emissions.get(i).equals(sim.emissions.get(i - 1)), "only changes are emitted");
        }
        assertTrue(sim.nullPolls > sim.polls / 2);
        // the final state is emitted by a poll after the interval even with no new input
        sim.run(800, levels("b", LOUD), 10);
        assertEquals(List.of("b"), sim.last());
        assertEquals(sim.detector.activeSpeakers(), sim.last());
    }

    @Test
    void manyParticipantsStayBounded() {
        ActiveSpeakerDetector.Config d = ActiveSpeakerDetector.Config.DEFAULT;
        ActiveSpeakerDetector.Config c = new ActiveSpeakerDetector.Config(3, 50, d.speechLevel(),
                d.minSpeechNanos(), d.holdNanos(), d.marginDb(), d.silenceTimeoutNanos(), d.idleTimeoutNanos(),
                d.emitIntervalNanos());
        Sim sim = new Sim(c).run(2000, levels("a", SPEECH));
        assertEquals(List.of("a"), sim.last());
        // 10,000 other participants pass through with background noise while a keeps talking
        for (int round = 0; round < 100; round++) {
            Map<String, Integer> crowd = levels("a", SPEECH);
            for (int i = 0; i < 100; i++) {
                crowd.put("p" + (round * 100 + i), BACKGROUND);
            }
            sim.run(100, crowd);
            assertTrue(sim.detector.trackedCount() <= 50);
        }
        assertEquals(List.of("a"), sim.detector.activeSpeakers(), "a listed speaker is never evicted");
        assertTrue(sim.drops.get(SpeakerDrop.EVICTED) >= 10_000 - 50);

        // everyone talking at once: still at most maxSpeakers listed
        Map<String, Integer> all = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            all.put("t" + i, SPEECH);
        }
        sim.run(3000, all);
        assertEquals(3, sim.detector.activeSpeakers().size());
        assertTrue(sim.detector.trackedCount() <= 50);

        // idle participants are forgotten
        sim.run(31_000, levels());
        assertEquals(0, sim.detector.trackedCount());
        assertEquals(List.of(), sim.last());
        assertTrue(sim.drops.get(SpeakerDrop.IDLE) > 0);
    }

    @Test
    void removeDropsTheSpeakerAndForgetsIt() {
        Sim sim = new Sim().run(3000, levels("a", SPEECH, "b", SPEECH + 2));
        assertEquals(List.of("a", "b"), sim.last());
        sim.detector.remove("a");
        sim.detector.remove("nobody");
        assertEquals(1, sim.detector.trackedCount());
        assertEquals(List.of("b"), sim.detector.activeSpeakers());
        sim.run(600, levels("b", SPEECH));
        assertEquals(List.of("b"), sim.last());
        // a rejoins: fresh state, must speak again to qualify
        sim.detector.onAudioLevel("a", SPEECH);
        assertEquals(List.of("b"), sim.detector.activeSpeakers());
        sim.run(1500, levels("a", SPEECH, "b", SPEECH));
        assertEquals(List.of("b", "a"), sim.last());
    }

    @Test
    void onAudioLevelDoesNotAllocateOnceWarm() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        ActiveSpeakerDetector d = new ActiveSpeakerDetector(() -> 0L);
        String[] ids = {"a", "b", "c", "d"};
        long now = 0;
        for (int i = 0; i < 20_000; i++) { // warm: every participant known, code compiled
            now += 5 * MS;
            d.onAudioLevel(ids[i & 3], i % 128, now);
        }
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            now += 5 * MS;
            d.onAudioLevel(ids[i & 3], (i * 7) % 128, now);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 100k levels");
    }

    @Test
    void invalidAndStaleInputIsCounted() {
        Sim sim = new Sim();
        sim.detector.onAudioLevel("a", 128);
        sim.detector.onAudioLevel("a", -1);
        assertEquals(2, sim.drops.get(SpeakerDrop.INVALID_LEVEL));
        assertEquals(0, sim.detector.trackedCount());
        sim.run(100, levels("a", SPEECH));
        sim.detector.onAudioLevel("a", SPEECH, sim.now - 5_000 * MS);
        assertEquals(1, sim.drops.get(SpeakerDrop.STALE_SAMPLE));
        assertNull(sim.detector.poll());
        assertThrows(IllegalArgumentException.class, () -> new ActiveSpeakerDetector.Config(3, 3, 50, 0, 0, 3, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ActiveSpeakerDetector.Config(1, 3, 127, 0, 0, 3, 1, 1, 0));
    }
}
