package dev.arena.rtc.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.util.DropCounter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NackGeneratorTest {
    private static final long MS = 1_000_000L;
    private static final int SENDER = 0x01020304;
    private static final int MEDIA = 0x0A0B0C0D;
    private final DropCounter<FeedbackDrop> drops = new DropCounter<>(FeedbackDrop.class);
    private final byte[] buf = new byte[1500];
    private final RtcpReader reader = new RtcpReader();
    private long now = 42_000 * MS;

    /** Polls and parses the NACK back; empty list if nothing was written. */
    private List<Integer> poll(NackGenerator g) {
        int len = g.poll(now, buf, 0, SENDER, MEDIA);
        List<Integer> lost = new ArrayList<>();
        if (len == 0) {
            return lost;
        }
        assertTrue(reader.reset(buf, 0, len));
        assertEquals(RtcpType.NACK, reader.next());
        Nack n = reader.nack();
        assertEquals(SENDER, n.senderSsrc());
        assertEquals(MEDIA, n.mediaSsrc());
        assertEquals(len, n.length());
        n.forEachLost(lost::add);
        assertEquals(RtcpType.END, reader.next());
        return lost;
    }

    @Test
    void requestsGapsAndForgetsRecoveredPackets() {
        NackGenerator g = new NackGenerator(64, 3, 100 * MS, 1000 * MS, drops);
        g.onPacket(10, now);
        g.onPacket(11, now);
        assertEquals(List.of(), poll(g));
        g.onPacket(14, now);  // 12, 13 lost
        g.onPacket(40, now);  // 15..39 lost: needs a second PID/BLP entry
        List<Integer> want = new ArrayList<>();
        for (int s = 12; s < 40; s++) {
            if (s != 14) {
                want.add(s);
            }
        }
        assertEquals(want, poll(g));
        assertEquals(27, g.missingCount());
        g.onPacket(13, now);  // late (or RTX OSN)
        assertFalse(g.isMissing(13));
        assertEquals(1, g.recovered());
        assertEquals(List.of(), poll(g), "nothing due before the retry interval");
        now += 100 * MS;
        want.remove(Integer.valueOf(13));
        assertEquals(want, poll(g));
    }

    @Test
    void retriesAtMostMaxRetriesThenGivesUp() {
        NackGenerator g = new NackGenerator(64, 3, 50 * MS, 10_000 * MS, drops);
        g.onPacket(1, now);
        g.onPacket(3, now);
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(2), poll(g), "try " + i);
            now += 49 * MS;
            assertEquals(List.of(), poll(g));
            now += 1 * MS;
        }
        assertEquals(List.of(), poll(g));
        assertEquals(0, g.missingCount());
        assertEquals(1, drops.get(FeedbackDrop.NACK_GAVE_UP));
        assertEquals(3, g.nacked());
    }

    @Test
    void forgetsAfterMaxAge() {
        NackGenerator g = new NackGenerator(64, 100, 10 * MS, 200 * MS, drops);
        g.onPacket(1, now);
        g.onPacket(3, now);
        assertEquals(List.of(2), poll(g));
        now += 200 * MS;
        assertEquals(List.of(2), poll(g));
        now += 1;
        assertEquals(List.of(), poll(g));
        assertEquals(1, drops.get(FeedbackDrop.NACK_EXPIRED));
    }

    @Test
    void handlesWraparound() {
        NackGenerator g = new NackGenerator();
        g.onPacket(65533, now);
        g.onPacket(2, now); // 65534, 65535, 0, 1 lost
        assertEquals(List.of(65534, 65535, 0, 1), poll(g));
        g.onPacket(65535, now);
        g.onPacket(65000, now); // very old, not missing: ignored
        assertEquals(3, g.missingCount());
        g.onPacket(3, now);
        now += NackGenerator.DEFAULT_RETRY_INTERVAL_NANOS;
        assertEquals(List.of(65534, 0, 1), poll(g));
    }

    @Test
    void missingSetIsBounded() {
        NackGenerator g = new NackGenerator(8, 3, 100 * MS, 1000 * MS, drops);
        g.onPacket(0, now);
        g.onPacket(6, now);  // 1..5
        g.onPacket(3, now);  // hole in the ring
        g.onPacket(10, now); // 7..9: 8 live entries would be 1,2,4,5,7,8,9 = 7
        assertEquals(7, g.missingCount());
        assertEquals(0, drops.get(FeedbackDrop.NACK_LIST_OVERFLOW));
        g.onPacket(13, now); // 11, 12: the oldest (1) goes
        assertEquals(8, g.missingCount());
        assertEquals(1, drops.get(FeedbackDrop.NACK_LIST_OVERFLOW));
        assertEquals(List.of(2, 4, 5, 7, 8, 9, 11, 12), poll(g));
        g.onPacket(100, now); // 86 lost, only the newest 8 remembered
        assertEquals(8, g.missingCount());
        assertEquals(List.of(92, 93, 94, 95, 96, 97, 98, 99), poll(g));
    }

    @Test
    void aJumpBeyondMaxDropoutIsARestartNotLoss() {
        NackGenerator g = new NackGenerator(64, 3, 100 * MS, 1000 * MS, drops);
        g.onPacket(65000, now);
        g.onPacket(65002, now);
        g.onPacket((65002 + 3001) & 0xFFFF, now);
        assertEquals(0, g.missingCount());
        assertEquals(List.of(), poll(g));
        assertEquals(1, drops.get(FeedbackDrop.NACK_SEQUENCE_JUMP));
        g.onPacket((65002 + 3003) & 0xFFFF, now);
        assertEquals(List.of((65002 + 3002) & 0xFFFF), poll(g));
        g.onPacket((65002 + 3003 + 3000) & 0xFFFF, now); // exactly MAX_DROPOUT ahead: still loss
        assertEquals(64, g.missingCount());
    }
}
