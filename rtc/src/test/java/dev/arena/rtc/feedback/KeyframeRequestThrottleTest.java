package dev.arena.rtc.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import org.junit.jupiter.api.Test;

class KeyframeRequestThrottleTest {
    private static final long MS = 1_000_000L;
    private long now = 0;

    @Test
    void atMostOneRequestPerInterval() {
        KeyframeRequestThrottle t = new KeyframeRequestThrottle();
        assertTrue(t.tryRequest(now));
        for (int i = 0; i < 10; i++) { // ten subscribers ask within the interval
            now += 49 * MS;
            assertFalse(t.tryRequest(now));
        }
        assertEquals(10, t.throttled());
        now += 10 * MS; // 500 ms after the first
        assertTrue(t.tryRequest(now));
        assertEquals(2, t.granted());
        
    }

    @Test
    void aThrottledRequestIsGrantedLaterUnlessAKeyframeCame() {
        KeyframeRequestThrottle t = new KeyframeRequestThrottle(500 * MS);
        assertTrue(t.tryRequest(now));
        now += 100 * MS;
        assertFalse(t.tryRequest(now));
        assertTrue(t.pending());
        now += 399 * MS;
        assertFalse(t.poll(now));
        now += 1 * MS;
        assertTrue(t.poll(now));
        assertFalse(t.poll(now), "once");
        now += 100 * MS;
        assertFalse(t.tryRequest(now));
        t.onKeyframe();
        now += 1000 * MS;
        assertFalse(t.poll(now));
    }

    @Test
    void writesAPli() {
        KeyframeRequestThrottle t = new KeyframeRequestThrottle();
        byte[] buf = new byte[64];
        int len = t.write(buf, 4, 0x01010101, 0x02020202);
        assertEquals(12, len);
        RtcpReader r = new RtcpReader();
        assertTrue(r.reset(buf, 4, len));
        assertEquals(RtcpType.PLI, r.next());
        Pli p = r.pli();
        assertEquals(0x01010101, p.senderSsrc());
        assertEquals(0x02020202, p.mediaSsrc());
        assertEquals(RtcpType.END, r.next());
        assertEquals(-1, t.write(new byte[11], 0, 1, 2));
    }
}
