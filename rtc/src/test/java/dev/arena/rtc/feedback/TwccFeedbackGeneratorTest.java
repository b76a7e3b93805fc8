package dev.arena.rtc.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtcp.TransportCc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwccFeedbackGeneratorTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;
    private static final int SENDER = 0x5EED5EED;
    private static final int MEDIA = 0x0000BEEF;
    private final byte[] buf = new byte[1500];
    private final RtcpReader reader = new RtcpReader();
    private long now = 1_000_000 * MS; // 1000 s

    /** One parsed feedback: header fields and, per reported seq, arrival micros or -1 if not received. */
    private record Feedback(int base, int count, int referenceTime, int fbCount, int sender, int media,
                            Map<Integer, Long> packets) {}

    private Feedback poll(TwccFeedbackGenerator g) {
        int len = g.poll(now, buf, 0);
        if (len == 0) {
            return null;
        }
        assertEquals(0, len % 4);
        assertTrue(reader.reset(buf, 0, len), () -> String.valueOf(reader.drop()));
        assertEquals(RtcpType.TRANSPORT_CC, reader.next());
        TransportCc t = reader.transportCc();
        Map<Integer, Long> packets = new LinkedHashMap<>();
        t.forEachPacket((seq, received, at) -> packets.put(seq, received ? at : -1L));
        assertEquals(RtcpType.END, reader.next());
        assertEquals(t.packetStatusCount(), packets.size());
        return new Feedback(t.baseSequenceNumber(), t.packetStatusCount(), t.referenceTime(),
                t.feedbackPacketCount(), t.senderSsrc(), t.mediaSsrc(), packets);
    }

    /** What the feedback should report for an arrival time: floored to the 250 us grid. */
    private static long reported(long arrivalNanos) {
        return Math.floorDiv(arrivalNanos / US, 250) * 250;
    }

    @Test
    void reportsEveryFieldOfTheDraft() {
        TwccFeedbackGenerator g = new TwccFeedbackGenerator(SENDER);
        long t0 = now;
        long[] at = new long[6];
        int[] seqs = {100, 101, 102, 104, 105, 107}; // 103 and 106 lost
        for (int i = 0; i < seqs.length; i++) {
            at[i] = t0 + i * 3 * MS + i * 17 * US; // not on the 250 us grid
            g.onPacket(seqs[i], at[i], MEDIA);
        }
        Feedback f = poll(g);
        assertEquals(SENDER, f.sender());
        assertEquals(MEDIA, f.media());
        assertEquals(100, f.base());
        assertEquals(8, f.count());
        assertEquals(0, f.fbCount());
        assertEquals((int) ((t0 / US) / 64_000), f.referenceTime()); // 64 ms units
        assertEquals(-1L, f.packets().get(103));
        assertEquals(-1L, f.packets().get(106));
        for (int i = 0; i < seqs.length; i++) {
            assertEquals(reported(at[i]), f.packets().get(seqs[i]), "seq " + seqs[i]);
        }
        assertEquals(0, g.pending());
    }

    @Test
    void atMostEveryIntervalUnlessManyPacketsQueue() {
        TwccFeedbackGenerator g = new TwccFeedbackGenerator(SENDER, 50 * MS, 20, null);
        g.onPacket(1, now, MEDIA);
        assertEquals(0, poll(g).fbCount());
        g.onPacket(2, now, MEDIA);
        now += 49 * MS;
        assertEquals(null, poll(g));
        now += MS;
        Feedback f = poll(g);
        assertEquals(1, f.fbCount());
        assertEquals(2, f.base());
        assertEquals(1, f.count());
        now += MS;
        assertEquals(null, poll(g), "nothing new");
        for (int s = 3; s < 23; s++) {
            g.onPacket(s, now, MEDIA);
        }
        f = poll(g); // 20 queued: early
        assertEquals(3, f.base());
        assertEquals(20, f.count());
        assertEquals(2, f.fbCount());
    }

    @Test
    void feedbackCountWrapsAndSequenceNumbersWrap() {
        TwccFeedbackGenerator g = new TwccFeedbackGenerator(SENDER);
        int seq = 65536 - 300;
        List<Integer> seen = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
            g.onPacket(seq, now, MEDIA);
            g.onPacket(seq + 1 & 0xFFFF, now + MS, MEDIA);
            Feedback f = poll(g);
            assertEquals(k & 0xFF, f.fbCount());
            assertEquals(seq, f.base());
            assertEquals(2, f.count());
            seen.addAll(f.packets().keySet());
            seq = (seq + 2) & 0xFFFF;
            now += 50 * MS;
        }
        assertEquals(600, seen.size());
        for (int i = 0; i < 600; i++) {
            assertEquals((65536 - 300 + i) & 0xFFFF, seen.get(i));
        }
    }

    @Test
    void lateAndReorderedPacketsAreReported() {
        TwccFeedbackGenerator g = new TwccFeedbackGenerator(SENDER);
        long t0 = now;
        g.onPacket(65534, t0, MEDIA);
        g.onPacket(1, t0 + 2 * MS, MEDIA);
        g.onPacket(0, t0 + 3 * MS, MEDIA); // reordered: negative delta
        Feedback f = poll(g);
        assertEquals(65534, f.base());
        assertEquals(4, f.count());
        assertEquals(List.of(65534, 65535, 0, 1), List.copyOf(f.packets().keySet()));
        assertEquals(-1L, f.packets().get(65535));
        assertEquals(reported(t0 + 3 * MS), f.packets().get(0));
        assertEquals(reported(t0 + 2 * MS), f.packets().get(1));
        // 65535 arrives after the feedback: the next one goes back to it
        now += 50 * MS;
        g.onPacket(65535, t0 + 40 * MS, MEDIA);
        g.onPacket(2, t0 + 41 * MS, MEDIA);
        f = poll(g);
        assertEquals(65535, f.base());
        assertEquals(4, f.count());
        assertEquals(reported(t0 + 40 * MS), f.packets().get(65535));
        assertEquals(reported(t0 + 3 * MS), f.packets().get(0));
        assertEquals(reported(t0 + 41 * MS), f.packets().get(2));
        // duplicates and ancient packets are dropped
        g.onPacket(2, t0, MEDIA);
        assertEquals(1, g.drops().get(FeedbackDrop.TWCC_DUPLICATE));
        g.onPacket(3 + TwccFeedbackGenerator.WINDOW, t0, MEDIA);
        g.onPacket(3, t0, MEDIA);
        assertEquals(1, g.drops().get(FeedbackDrop.TWCC_TOO_OLD));
    }

    @Test
    void splitsWhatDoesNotFitOneFeedback() {
        TwccFeedbackGenerator g = new TwccFeedbackGenerator(SENDER, 50 * MS, 10_000, null);
        Map<Integer, Long> want = new LinkedHashMap<>();
        long t = now;
        for (int s = 0; s < 2000; s++) {
            t += (s % 2 == 0 ? 100 : -50) * MS / 10; // +10 ms / -5 ms: two-byte deltas everywhere
            g.onPacket(s, t, MEDIA);
            want.put(s, reported(t));
        }
        Map<Integer, Long> got = new LinkedHashMap<>();
        int feedbacks = 0;
        Feedback f;
        while ((f = poll(g)) != null) {
            assertEquals(feedbacks, f.fbCount());
            assertTrue(f.count() < 2000);
            got.putAll(f.packets());
            feedbacks++;
        }
        assertTrue(feedbacks >= 4, "1200-byte feedbacks: " + feedbacks);
        assertEquals(want, got);
        assertEquals(0, g.pending());
    }

    @Test
    void longGapsAreSplitWhereDeltasOverflow() {
        TwccFeedbackGenerator g = new TwccFeedbackGenerator(SENDER);
        g.onPacket(10, now, MEDIA);
        g.onPacket(11, now + 10_000 * MS, MEDIA); // 10 s: more than 16 bits of 250 us
        now += 10_000 * MS;
        Feedback a = poll(g);
        Feedback b = poll(g);
        assertEquals(Map.of(10, reported(now - 10_000 * MS)), a.packets());
        assertEquals(Map.of(11, reported(now)), b.packets());
        assertEquals(1, b.fbCount());
    }
}
