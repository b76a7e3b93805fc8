package dev.arena.rtc.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.ReceiverReport;
import dev.arena.rtc.rtcp.ReportBlock;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtcp.TransportCc;
import dev.arena.rtc.testing.Fuzz;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random streams (loss, reordering, duplicates, 16-bit wraparound) through the generators, everything they
 * write parsed back with the rtc RTCP parsers and checked against a simple model. Seed: arena.fuzz.seed.
 */
class FeedbackModelTest {
    private static final long MS = 1_000_000L;
    private final RtcpReader reader = new RtcpReader();
    private final byte[] buf = new byte[1500];

    /** Arrival order of a stream of {@code n} sequence numbers from {@code first}: losses, swaps, duplicates. */
    private static List<Integer> stream(Random r, int first, int n, double loss) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() >= loss) {
                order.add((first + i) & 0xFFFF);
            }
        }
        for (int i = 1; i + 3 < order.size(); i++) {
            if (r.nextInt(10) == 0) { // move a packet up to 3 places later
                int k = 1 + r.nextInt(3);
                order.add(i + k, order.remove(i));
            }
            if (r.nextInt(50) == 0) {
                order.add(i + 1, order.get(i)); // duplicate
                i++;
            }
        }
        return order;
    }

    @Test
    void twccReportsEveryReceivedPacketWithItsArrivalTime() {
        for (int round = 0; round < 20; round++) {
            Random r = new Random(Fuzz.seed() + round);
            TwccFeedbackGenerator g = new TwccFeedbackGenerator(1);
            List<Integer> order = stream(r, r.nextInt(65536), 3000, 0.1);
            Map<Integer, Long> firstArrival = new HashMap<>(); // seq -> us (all seqs distinct within 3000)
            Map<Integer, Long> reported = new HashMap<>();
            Set<Integer> reportedLost = new HashSet<>();
            long now = r.nextLong(1L << 50);
            int expectFb = 0;
            for (int seq : order) {
                now += r.nextInt(3 * 1000) * 1000L; // 0..3 ms
                g.onPacket(seq, now, 7);
                firstArrival.putIfAbsent(seq, now / 1000);
                for (int len = g.poll(now, buf, 0); len > 0; len = g.poll(now, buf, 0)) {
                    assertTrue(reader.reset(buf, 0, len));
                    assertEquals(RtcpType.TRANSPORT_CC, reader.next());
                    TransportCc t = reader.transportCc();
                    assertEquals(expectFb, t.feedbackPacketCount());
                    expectFb = (expectFb + 1) & 0xFF;
                    long ref = t.referenceTime();
                    t.forEachPacket((s, received, at) -> {
                        if (received) {
                            reported.put(s, at);
                        } else {
                            reportedLost.add(s);
                        }
                    });
                    // times are reported relative to the 24-bit reference time: compare modulo its span
                    assertTrue(ref >= 0 && ref < (1 << 24));
                }
            }
            now += 100 * MS;
            for (int len = g.poll(now, buf, 0); len > 0; len = g.poll(now, buf, 0)) {
                assertTrue(reader.reset(buf, 0, len));
                assertEquals(RtcpType.TRANSPORT_CC, reader.next());
                reader.transportCc().forEachPacket((s, received, at) -> {
                    if (received) {
                        reported.put(s, at);
                    }
                });
            }
            assertEquals(firstArrival.keySet(), reported.keySet(), "round " + round);
            long span = (1L << 24) * TransportCc.REFERENCE_TICK_US;
            for (Map.Entry<Integer, Long> e : firstArrival.entrySet()) {
                long want = Math.floorMod(Math.floorDiv(e.getValue(), 250) * 250, span);
                assertEquals(want, Math.floorMod(reported.get(e.getKey()), span), "seq " + e.getKey());
            }
            for (int s : reportedLost) {
                assertTrue(!firstArrival.containsKey(s) || reported.containsKey(s));
            }
        }
    }

    @Test
    void nackGeneratorNeverAsksForWhatArrivedAndAsksForEveryLoss() {
        for (int round = 0; round < 20; round++) {
            Random r = new Random(Fuzz.seed() + 100 + round);
            NackGenerator g = new NackGenerator(512, 3, 20 * MS, 2000 * MS, null);
            int first = r.nextInt(65536);
            List<Integer> order = stream(r, first, 3000, 0.05);
            Set<Integer> arrived = new HashSet<>();
            Map<Integer, Integer> asked = new HashMap<>();
            long now = r.nextLong();
            for (int seq : order) {
                now += r.nextInt(5) * MS;
                g.onPacket(seq, now);
                arrived.add(seq);
                int len = g.poll(now, buf, 0, 1, 2);
                if (len > 0) {
                    assertTrue(reader.reset(buf, 0, len));
                    assertEquals(RtcpType.NACK, reader.next());
                    Nack n = reader.nack();
                    n.forEachLost(s -> {
                        assertFalse(arrived.contains(s), "asked for " + s + " which arrived");
                        asked.merge(s, 1, Integer::sum);
                    });
                }
            }
            // losses before the first packet that arrived cannot be seen
            for (int i = ((order.get(0) - first) & 0xFFFF) + 1; i < 3000; i++) {
                int s = (first + i) & 0xFFFF;
                if (!arrived.contains(s) && i < 2990) { // the last few may be behind a late packet still
                    assertTrue(asked.containsKey(s), "never asked for lost " + s + " i=" + i + " round " + round);
                }
            }
            asked.values().forEach(c -> assertTrue(c <= 3));
        }
    }

    @Test
    void receiveStatisticsMatchesTheModel() {
        for (int round = 0; round < 20; round++) {
            Random r = new Random(Fuzz.seed() + 200 + round);
            ReceiveStatistics st = new ReceiveStatistics(90_000);
            int first = r.nextInt(65536);
            List<Integer> order = stream(r, first, 5000, 0.07);
            // keep the first packet first, as RFC 3550 A.1 takes it as the base
            order.remove(Integer.valueOf(order.get(0)));
            order.add(0, first);
            long received = 0;
            long maxExt = 0;
            long expectedPrior = 0;
            long receivedPrior = 0;
            long now = 0;
            ReportBlock block = new ReportBlock();
            for (int k = 0; k < order.size(); k++) {
                int seq = order.get(k);
                long ext = (seq - first) & 0xFFFF; // the stream spans < 65536
                maxExt = Math.max(maxExt, ext);
                received++;
                now += MS;
                assertTrue(st.onPacket(seq, 90L * k, now));
                if (k % 97 == 0 || k == order.size() - 1) {
                    ReceiverReport.write(buf, 0, 9);
                    int len = st.writeReportBlock(buf, 0, 5, now);
                    assertTrue(reader.reset(buf, 0, len));
                    assertEquals(RtcpType.RR, reader.next());
                    ReportBlock b = reader.receiverReport().reportBlock(0, block);
                    long expected = maxExt + 1;
                    assertEquals(first + maxExt, b.extendedHighestSequence());
                    assertEquals(expected - received, b.cumulativeLost());
                    long ei = expected - expectedPrior;
                    long li = ei - (received - receivedPrior);
                    assertEquals(ei == 0 || li <= 0 ? 0 : (int) Math.min(255, (li << 8) / ei), b.fractionLost());
                    expectedPrior = expected;
                    receivedPrior = received;
                }
            }
        }
    }
}
