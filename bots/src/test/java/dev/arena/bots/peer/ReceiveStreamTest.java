package dev.arena.bots.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.media.MediaKind;
import org.junit.jupiter.api.Test;

/** Receive accounting of one stream: duplicates, repairs, loss after retransmission, wraparound; NTP time. */
class ReceiveStreamTest {
    private static final byte[] DELTA_FRAME = {0x10, 0x01, 0, 0};
    private static final byte[] KEYFRAME = {0x10, 0x00, 0, 0};

    private static boolean packet(ReceiveStream s, int seq, boolean rtx) {
        return s.onPacket(seq & 0xFFFF, seq * 3000L, 100, DELTA_FRAME, 0, DELTA_FRAME.length, rtx, seq * 1_000_000L);
    }

    @Test
    void duplicatesAreIgnoredAndRepairsCountOnce() {
        ReceiveStream s = new ReceiveStream(1234, MediaKind.VIDEO, true, true);
        for (int seq = 65530; seq < 65540; seq++) {
            if (seq != 65534 && seq != 65535 && seq != 65536) {
                assertTrue(packet(s, seq, false));
            }
        }
        assertEquals(10, s.expected(), "across the wrap");
        assertEquals(3, s.lost());
        assertTrue(packet(s, 65535, true), "a repair");
        assertFalse(packet(s, 65535, true), "the same repair again");
        assertFalse(packet(s, 65533, false), "a duplicate");
        assertTrue(packet(s, 65536, false), "late, not a duplicate");
        assertEquals(1, s.lost());
        assertEquals(1, s.rtxRepaired);
        assertEquals(2, s.duplicates);
        assertEquals(9, s.packets);
    }

    @Test
    void aPacketOlderThanTheWindowCannotBeToldFromADuplicate() {
        ReceiveStream s = new ReceiveStream(1, MediaKind.AUDIO, false, false);
        packet(s, 10, false);
        packet(s, 2000, false);
        assertFalse(packet(s, 11, false));
        assertEquals(1991, s.expected());
    }

    @Test
    void keyframeRequestsUntilTheFirstKeyframe() {
        ReceiveStream s = new ReceiveStream(1, MediaKind.VIDEO, true, true);
        packet(s, 1, false);
        assertTrue(s.keyframeRequestDue(1_000_000_000L), "no keyframe yet");
        assertFalse(s.keyframeRequestDue(1_100_000_000L), "throttled");
        s.onPacket(2, 6000, 100, KEYFRAME, 0, KEYFRAME.length, false, 1_200_000_000L);
        assertFalse(s.keyframeRequestDue(5_000_000_000L), "a keyframe came");
    }

    @Test
    void ntpTimestampsRoundTrip() {
        long epochNanos = 1_764_000_000_123_456_789L;
        long ntp = WallClock.ntp(epochNanos);
        assertEquals(epochNanos / 1_000_000_000L + WallClock.NTP_UNIX_OFFSET_SECONDS, ntp >>> 32);
        assertTrue(Math.abs(WallClock.epochNanosOfNtp(ntp) - epochNanos) <= 1, "sub-nanosecond NTP fraction");
        long now = WallClock.epochNanos(System.nanoTime());
        assertTrue(Math.abs(now / 1_000_000L - System.currentTimeMillis()) < 50, "the wall clock follows the system's");
    }
}
