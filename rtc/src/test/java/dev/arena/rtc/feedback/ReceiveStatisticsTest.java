package dev.arena.rtc.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.ReceiverReport;
import dev.arena.rtc.rtcp.ReportBlock;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtcp.SenderReport;
import org.junit.jupiter.api.Test;

class ReceiveStatisticsTest {
    private static final long MS = 1_000_000L;
    private static final int REPORTER = 0x0F0F0F0F;
    private static final int MEDIA = 0x12345678;
    private final byte[] buf = new byte[1500];
    private final RtcpReader reader = new RtcpReader();
    private final ReportBlock block = new ReportBlock();
    private long now = -7_000_000 * MS; // any origin, even negative

    /** Writes an RR with the block and parses it back. */
    private ReportBlock report(ReceiveStatistics st) {
        int len = ReceiverReport.write(buf, 0, REPORTER);
        len = st.writeReportBlock(buf, 0, MEDIA, now);
        assertEquals(8 + 24, len);
        assertTrue(reader.reset(buf, 0, len));
        assertEquals(RtcpType.RR, reader.next());
        ReceiverReport rr = reader.receiverReport();
        assertEquals(REPORTER, rr.senderSsrc());
        assertEquals(1, rr.reportCount());
        ReportBlock b = rr.reportBlock(0, block);
        assertEquals(MEDIA, b.ssrc());
        return b;
    }

    @Test
    void noLossNoJitter() {
        ReceiveStatistics st = new ReceiveStatistics(90_000);
        for (int i = 0; i < 100; i++) {
            st.onPacket(1000 + i, 3600L * i, now);
            now += 40 * MS; // 3600 ticks at 90 kHz
        }
        ReportBlock b = report(st);
        assertEquals(0, b.fractionLost());
        assertEquals(0, b.cumulativeLost());
        assertEquals(1099, b.extendedHighestSequence());
        assertEquals(0, b.jitter());
        assertEquals(0, b.lastSr());
        assertEquals(0, b.delaySinceLastSr());
    }

    @Test
    void fractionLostPerIntervalAndCumulative() {
        ReceiveStatistics st = new ReceiveStatistics(48_000);
        // interval 1: seq 0..99, 10 lost
        for (int s = 0; s < 100; s++) {
            if (s % 10 != 5) {
                st.onPacket(s, 960L * s, now);
            }
        }
        ReportBlock b = report(st);
        assertEquals((10 << 8) / 100, b.fractionLost()); // 25
        assertEquals(10, b.cumulativeLost());
        assertEquals(99, b.extendedHighestSequence());
        // interval 2: seq 100..149, 25 lost
        for (int s = 100; s < 150; s += 2) {
            st.onPacket(s, 960L * s, now);
        }
        b = report(st);
        assertEquals(24 * 256 / 49, b.fractionLost()); // expected 100..148, 24 of 49 lost
        assertEquals(34, b.cumulativeLost());
        // interval 3: nothing new
        b = report(st);
        assertEquals(0, b.fractionLost());
        // duplicates make it negative, which is reported as 0 fraction and a smaller cumulative loss
        st.onPacket(148, 0, now);
        st.onPacket(148, 0, now);
        b = report(st);
        assertEquals(0, b.fractionLost());
        assertEquals(32, b.cumulativeLost());
    }

    @Test
    void extendedHighestSequenceCountsCycles() {
        ReceiveStatistics st = new ReceiveStatistics(90_000);
        int s = 65000;
        for (int i = 0; i < 3 * 65536 / 1000 + 2; i++) {
            st.onPacket(s, 0, now);
            s = (s + 1000) & 0xFFFF; // big but legal steps (< MAX_DROPOUT)
        }
        long last = 65000L + 1000L * (3 * 65536 / 1000 + 1);
        assertEquals(last, st.extendedHighestSequence());
        ReportBlock b = report(st);
        assertEquals(last, b.extendedHighestSequence());
        assertEquals((last - 65000 + 1) - (3 * 65536 / 1000 + 2), b.cumulativeLost());
        // reordered packet within the window across the wrap does not move the highest
        st.onPacket((int) ((last - 3) & 0xFFFF), 0, now);
        assertEquals(last, st.extendedHighestSequence());
    }

    @Test
    void reorderingAcrossWrapKeepsCycles() {
        ReceiveStatistics st = new ReceiveStatistics(90_000);
        st.onPacket(65534, 0, now);
        st.onPacket(0, 0, now);
        st.onPacket(65535, 0, now); // late
        st.onPacket(1, 0, now);
        assertEquals(65536 + 1, st.extendedHighestSequence());
        assertEquals(0, st.cumulativeLost());
    }

    @Test
    void largeJumpIsDiscardedUnlessTheStreamRestarts() {
        ReceiveStatistics st = new ReceiveStatistics(90_000);
        for (int s = 0; s < 10; s++) {
            st.onPacket(s, 0, now);
        }
        assertFalse(st.onPacket(30_000, 0, now));
        assertEquals(9, st.extendedHighestSequence());
        assertEquals(1, st.drops().get(FeedbackDrop.STATS_BAD_SEQ));
        assertTrue(st.onPacket(30_001, 0, now)); // sequential after the jump: restart
        assertEquals(30_001, st.extendedHighestSequence());
        assertEquals(1, st.received());
        assertEquals(0, st.cumulativeLost());
    }

    @Test
    void jitterFollowsRfc3550() {
        ReceiveStatistics st = new ReceiveStatistics(8_000);
        // 20 ms packets (160 ticks) arriving alternately 0 and 5 ms (40 ticks) late
        double j = 0;
        for (int i = 0; i < 200; i++) {
            long arrival = now + i * 20 * MS + (i % 2 == 0 ? 0 : 5 * MS);
            st.onPacket(i, 160L * i + 0xFFFFFF00L & 0xFFFFFFFFL, arrival); // RTP timestamps wrap at 2^32
            if (i > 0) {
                j += (40 - j) / 16; // |D| = 40 each time
            }
        }
        assertEquals(Math.round(j), st.jitter(), 1.0);
        assertEquals(39, st.jitter()); // converged to 40 minus the integer estimator's bias
        ReportBlock b = report(st);
        assertEquals(st.jitter(), b.jitter());
    }

    @Test
    void lsrAndDlsrFromTheLastSenderReport() {
        ReceiveStatistics st = new ReceiveStatistics(90_000);
        st.onPacket(1, 0, now);
        // parse an SR, as the transport would
        long ntp = (3_900_000_000L << 32) | 0x8000_0000L; // seconds + 0.5
        int len = SenderReport.write(buf, 0, MEDIA, ntp, 0, 1, 100);
        assertTrue(reader.reset(buf, 0, len));
        assertEquals(RtcpType.SR, reader.next());
        st.onSenderReport(reader.senderReport().ntpTimestamp(), now);
        now += 1500 * MS;
        ReportBlock b = report(st);
        assertEquals(((3_900_000_000L & 0xFFFF) << 16) | 0x8000, b.lastSr());
        assertEquals(98_304, b.delaySinceLastSr()); // 1.5 * 65536
    }

    @Test
    void reportBlockGoesIntoASenderReportToo() {
        ReceiveStatistics st = new ReceiveStatistics(90_000);
        assertEquals(-1, st.writeReportBlock(buf, 0, MEDIA, now), "nothing received yet");
        st.onPacket(7, 0, now);
        SenderReport.write(buf, 0, REPORTER, 1, 2, 3, 4);
        int len = st.writeReportBlock(buf, 0, MEDIA, now);
        assertEquals(28 + 24, len);
        assertTrue(reader.reset(buf, 0, len));
        assertEquals(RtcpType.SR, reader.next());
        assertEquals(7, reader.senderReport().reportBlock(0, block).extendedHighestSequence());
        byte[] small = new byte[31];
        assertEquals(8, ReceiverReport.write(small, 0, REPORTER));
        assertEquals(-1, st.writeReportBlock(small, 0, MEDIA, now), "no room for the block");
    }
}
