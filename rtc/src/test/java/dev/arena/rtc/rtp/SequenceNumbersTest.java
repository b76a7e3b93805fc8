package dev.arena.rtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceNumbersTest {
    @Test
    void comparesAcrossTheWrap() {
        assertTrue(SequenceNumbers.isNewer(0, 65535));
        assertTrue(SequenceNumbers.isNewer(5, 65530));
        assertFalse(SequenceNumbers.isNewer(65535, 0));
        assertTrue(SequenceNumbers.isOlder(65535, 0));
        assertFalse(SequenceNumbers.isNewer(7, 7));
        assertEquals(1, SequenceNumbers.diff(0, 65535));
        assertEquals(-1, SequenceNumbers.diff(65535, 0));
        assertEquals(11, SequenceNumbers.diff(5, 65530));
        assertEquals(-32768, SequenceNumbers.diff(32768, 0));
        assertEquals(0, SequenceNumbers.add(65535, 1));
        assertEquals(65535, SequenceNumbers.add(0, -1));
        assertEquals(2, SequenceNumbers.max(65535, 2));
    }

    @Test
    void unwrapsMonotonically() {
        SequenceNumbers.Unwrapper u = new SequenceNumbers.Unwrapper();
        assertEquals(-1, u.highest());
        assertEquals(65534, u.unwrap(65534));
        assertEquals(65535, u.unwrap(65535));
        assertEquals(65536, u.unwrap(0));
        assertEquals(65535, u.unwrap(65535), "reordered packet keeps its old cycle");
        assertEquals(65536 + 10, u.unwrap(10));
        assertEquals(65536 + 10, u.highest());
        assertEquals(65536 + 9, u.peek(9));
        long v = u.highest();
        for (int i = 0; i < 300_000; i += 1000) {
            v = u.unwrap((int) ((65536 + 10 + i) & 0xFFFF));
        }
        assertEquals(65536 + 10 + 299_000, v);
        u.reset();
        assertEquals(3, u.unwrap(3));
    }
}
