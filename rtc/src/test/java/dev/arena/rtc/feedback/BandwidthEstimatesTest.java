package dev.arena.rtc.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Remb;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import org.junit.jupiter.api.Test;

class BandwidthEstimatesTest {
    private static final long MS = 1_000_000L;
    private final byte[] buf = new byte[1500];
    private final RtcpReader reader = new RtcpReader();

    @Test
    void keepsTheLatestRemb() {
        BandwidthEstimates e = new BandwidthEstimates();
        assertEquals(-1, e.rembBitrate());
        int len = Remb.write(buf, 0, 1, 2_500_000, new int[] {7}, 1);
        assertTrue(reader.reset(buf, 0, len));
        assertEquals(RtcpType.REMB, reader.next());
        e.onRemb(reader.remb(), 5 * MS);
        assertEquals(2_500_000 >> 4 << 4, e.rembBitrate()); // 18-bit mantissa
        assertEquals(5 * MS, e.rembAtNanos());
    }

    @Test
    void summarisesTransportCcFromOurOwnGenerator() {
        TwccFeedbackGenerator g = new TwccFeedbackGenerator(1);
        BandwidthEstimates e = new BandwidthEstimates();
        long now = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 10; i++) {
                if (i != 3) { // one lost per 10
                    g.onPacket(round * 10 + i, now, 2);
                }
            }
            // 9th packet last: 10 reported per feedback
            int len = g.poll(now, buf, 0);
            assertTrue(len > 0);
            now += 50 * MS;
            if (round == 2) {
                continue; // this feedback is lost on the way
            }
            assertTrue(reader.reset(buf, 0, len));
            assertEquals(RtcpType.TRANSPORT_CC, reader.next());
            e.onTransportCc(reader.transportCc(), now);
        }
        assertEquals(4, e.twccFeedbacks());
        assertEquals(40, e.twccPacketsReported());
        assertEquals(4, e.twccPacketsLost());
        assertEquals(0.1f, e.lastTwccLossFraction(), 1e-6);
        assertEquals(1, e.missedTwccFeedbacks());
    }
}
