package dev.arena.rtc.feedback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtxPacket;
import dev.arena.rtc.util.DropCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class NackResponderTest {
    private static final long MS = 1_000_000L;
    private final DropCounter<FeedbackDrop> drops = new DropCounter<>(FeedbackDrop.class);
    private final PacketHistory history = new PacketHistory(64, 1500, 1000 * MS, drops);
    private final List<byte[]> out = new ArrayList<>();
    private final RtcpReader reader = new RtcpReader();
    private long now = 5_000 * MS;

    private void storeRange(int first, int n) {
        for (int i = 0; i < n; i++) {
            int s = (first + i) & 0xFFFF;
            byte[] p = Packets.rtp(s, 200);
            history.store(p, 0, p.length, s, now);
        }
    }

    /** Writes a NACK for {@code seqs} and parses it back, like a subscriber's RTCP. */
    private Nack nack(int... seqs) {
        byte[] buf = new byte[1500];
        int len = Nack.write(buf, 0, 0xAAAA, 0xBBBB, seqs, 0, seqs.length);
        assertTrue(reader.reset(buf, 0, len));
        assertEquals(RtcpType.NACK, reader.next());
        return reader.nack();
    }

    @Test
    void sendsEachFoundPacketOnceAndCounts() {
        storeRange(100, 10);
        NackResponder r = new NackResponder(history, (b, o, l) -> out.add(Packets.slice(b, o, l)), 100 * MS, drops);
        int sent = r.onNack(nack(101, 103, 103, 150), IntUnaryOperator.identity(), now);
        assertEquals(2, sent);
        assertArrayEquals(Packets.rtp(101, 200), out.get(0));
        assertArrayEquals(Packets.rtp(103, 200), out.get(1));
        assertEquals(3, r.requested(), "Nack.write merges the duplicate 103");
        assertEquals(2, r.sent());
        assertEquals(1, r.missing());
        assertEquals(1, drops.get(FeedbackDrop.NACK_MISSING));
    }

    @Test
    void suppressesTheSameSeqWithinTheInterval() {
        storeRange(0, 10);
        NackResponder r = new NackResponder(history, (b, o, l) -> out.add(Packets.slice(b, o, l)), 100 * MS, drops);
        r.onNack(nack(5), IntUnaryOperator.identity(), now);
        now += 99 * MS;
        assertEquals(0, r.onNack(nack(5), IntUnaryOperator.identity(), now));
        assertEquals(1, r.suppressed());
        now += 1 * MS;
        assertEquals(1, r.onNack(nack(5), IntUnaryOperator.identity(), now));
        assertEquals(2, out.size());
    }

    @Test
    void mapsSubscriberSequenceNumbersAcrossWraparound() {
        storeRange(65530, 12); // 65530..65535, 0..5
        NackResponder r = new NackResponder(history, (b, o, l) -> out.add(Packets.slice(b, o, l)));
        // the subscriber's numbering is 1000 ahead of the track's
        IntUnaryOperator outToIn = s -> (s - 1000) & 0xFFFF;
        int sent = r.onNack(nack((65534 + 1000) & 0xFFFF, (65535 + 1000) & 0xFFFF, 1000, 1001),
                outToIn, now);
        assertEquals(4, sent);
        RtpPacket p = new RtpPacket();
        int[] want = {65534, 65535, 0, 1};
        for (int i = 0; i < 4; i++) {
            byte[] b = out.get(i);
            assertTrue(p.wrap(b, 0, b.length));
            assertEquals(want[i], p.sequenceNumber());
        }
        assertEquals(0, r.onNack(nack(7), s -> -1, now));
        assertEquals(1, r.drops().get(FeedbackDrop.NACK_UNMAPPED));
        assertEquals(1, r.missing());
    }
}
