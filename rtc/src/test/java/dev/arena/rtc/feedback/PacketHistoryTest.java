package dev.arena.rtc.feedback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.util.DropCounter;
import org.junit.jupiter.api.Test;

class PacketHistoryTest {
    private static final long MS = 1_000_000L;
    private final DropCounter<FeedbackDrop> drops = new DropCounter<>(FeedbackDrop.class);
    private final byte[] dst = new byte[1500];
    private long now = 123_456_789_000L; // fake clock

    @Test
    void storesAndCopiesOutExactBytes() {
        PacketHistory h = new PacketHistory(16, 1500, 1000 * MS, drops);
        byte[] p = Packets.rtp(4711, 1200);
        assertTrue(h.store(p, 0, p.length, 4711, now));
        now += 20 * MS;
        assertEquals(1200, h.copyOut(4711, dst, 0, now));
        assertArrayEquals(p, Packets.slice(dst, 0, 1200));
        assertEquals(-1, h.copyOut(4712, dst, 0, now), "never stored");
        assertEquals(-1, h.copyOut(4711 + 16, dst, 0, now), "same slot, other seq");
    }

    @Test
    void storeCopiesSoTheSourceMayBeReused() {
        PacketHistory h = new PacketHistory(16, 1500, 1000 * MS, drops);
        byte[] buf = new byte[1600];
        byte[] p = Packets.rtp(1, 300);
        System.arraycopy(p, 0, buf, 100, 300);
        h.store(buf, 100, 300, 1, now);
        java.util.Arrays.fill(buf, (byte) 0);
        assertEquals(300, h.copyOut(1, dst, 7, now));
        assertArrayEquals(p, Packets.slice(dst, 7, 300));
    }

    @Test
    void overwrittenAfterCapacityPackets() {
        PacketHistory h = new PacketHistory(8, 1500, 1000 * MS, drops);
        for (int s = 0; s < 9; s++) {
            byte[] p = Packets.rtp(s, 100);
            h.store(p, 0, p.length, s, now);
        }
        assertEquals(-1, h.copyOut(0, dst, 0, now), "slot 0 now holds seq 8");
        assertEquals(100, h.copyOut(8, dst, 0, now));
        assertEquals(100, h.copyOut(1, dst, 0, now));
    }

    @Test
    void tooOldIsMissing() {
        PacketHistory h = new PacketHistory(8, 1500, 1000 * MS, drops);
        byte[] p = Packets.rtp(3, 100);
        h.store(p, 0, p.length, 3, now);
        assertEquals(100, h.copyOut(3, dst, 0, now + 1000 * MS));
        assertEquals(-1, h.copyOut(3, dst, 0, now + 1000 * MS + 1));
        assertFalse(h.contains(3, now + 1001 * MS));
    }

    @Test
    void wrapsAroundSixteenBits() {
        PacketHistory h = new PacketHistory(8, 1500, 1000 * MS, drops);
        for (int i = 0; i < 6; i++) {
            int s = (65533 + i) & 0xFFFF;
            byte[] p = Packets.rtp(s, 100);
            assertTrue(h.store(p, 0, p.length, s, now));
        }
        for (int i = 0; i < 6; i++) {
            int s = (65533 + i) & 0xFFFF;
            assertEquals(100, h.copyOut(s, dst, 0, now), "seq " + s);
            assertArrayEquals(Packets.rtp(s, 100), Packets.slice(dst, 0, 100));
        }
        // a late packet 8 older than 65536+2 = seq 65530 maps to the slot of 2 and must not evict it
        byte[] late = Packets.rtp(65530, 100);
        assertFalse(h.store(late, 0, 100, 65530, now));
        assertEquals(1, drops.get(FeedbackDrop.HISTORY_STALE));
        assertEquals(100, h.copyOut(2, dst, 0, now));
    }

    @Test
    void rejectsBadLengthsAndSmallDestinations() {
        PacketHistory h = new PacketHistory(8, 200, 1000 * MS, drops);
        byte[] p = Packets.rtp(1, 201);
        assertFalse(h.store(p, 0, p.length, 1, now));
        assertFalse(h.store(p, 0, 11, 1, now));
        assertEquals(2, drops.get(FeedbackDrop.HISTORY_BAD_LENGTH));
        assertTrue(h.store(p, 0, 200, 1, now));
        assertEquals(-1, h.copyOut(1, new byte[199], 0, now));
        assertEquals(-1, h.copyOut(1, new byte[300], 101, now));
        assertEquals(200, h.copyOut(1, new byte[300], 100, now));
    }

    @Test
    void videoDefaultMemory() {
        PacketHistory h = PacketHistory.forVideo(drops);
        assertEquals(1024, h.capacity());
        assertEquals(1024L * 1500 + 1024L * 16, h.memoryBytes()); // 1,552,384 bytes, about 1.5 MiB
        assertThrows(IllegalArgumentException.class, () -> new PacketHistory(1000, 1500, MS));
    }
}
