package dev.arena.rtc.rtcp;

import static dev.arena.rtc.rtcp.RtcpReportsTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generic NACK, PLI (RFC 4585), FIR (RFC 5104) and REMB. */
class RtcpFeedbackTest {
    // RFC 4585 6.2.1: PID 100, BLP 0x8005 -> 100, 101, 103, 116 lost.
    static final String NACK = "81 cd 00 03  00 00 00 01  12 34 56 78  00 64 80 05";

    @Test
    void nackBitmaskIteration() {
        byte[] b = hex(NACK);
        Nack nack = new Nack();
        assertTrue(nack.wrap(b, 0, b.length));
        assertEquals(1, nack.senderSsrc());
        assertEquals(0x12345678, nack.mediaSsrc());
        assertEquals(1, nack.entryCount());
        assertEquals(100, nack.pid(0));
        assertEquals(0x8005, nack.blp(0));
        List<Integer> lost = new ArrayList<>();
        nack.forEachLost(lost::add);
        assertEquals(List.of(100, 101, 103, 116), lost);
        assertEquals(4, nack.lostCount());
    }

    @Test
    void nackBuilderPacksAndWraps() {
        byte[] b = new byte[64];
        int n = Nack.write(b, 0, 1, 0x12345678, new int[] {100, 101, 103, 116}, 0, 4);
        assertArrayEquals(hex(NACK), Arrays.copyOf(b, n));

        int[] seqs = {65534, 65535, 0, 1, 14, 40, 40, 41, 500};
        n = Nack.write(b, 0, 9, 10, seqs, 0, seqs.length);
        Nack nack = new Nack();
        assertTrue(nack.wrap(b, 0, n));
        assertEquals(3, nack.entryCount(), "65534..14 in one entry, 40-41, 500");
        assertEquals(65534, nack.pid(0));
        List<Integer> lost = new ArrayList<>();
        nack.forEachLost(lost::add);
        assertEquals(List.of(65534, 65535, 0, 1, 14, 40, 41, 500), lost);

        // unsorted input still names every sequence number
        int[] unsorted = {300, 10, 12, 299};
        n = Nack.write(b, 0, 9, 10, unsorted, 0, 4);
        assertTrue(nack.wrap(b, 0, n));
        lost.clear();
        nack.forEachLost(lost::add);
        assertEquals(List.of(300, 10, 12, 299), lost);

        assertEquals(-1, Nack.write(b, 0, 1, 2, seqs, 0, 0));
        assertEquals(-1, Nack.write(new byte[19], 0, 1, 2, new int[] {1, 100}, 0, 2));
        assertEquals(Nack.maxLength(2), Nack.write(new byte[20], 0, 1, 2, new int[] {1, 100}, 0, 2));
    }

    @Test
    void nackRejectsMissingOrPartialFci() {
        Nack nack = new Nack();
        assertFalse(nack.wrap(hex("81 cd 00 02  00 00 00 01  12 34 56 78"), 0, 12));
        assertEquals(RtcpDrop.BAD_FCI, nack.drop());
        assertFalse(nack.wrap(hex("a1 cd 00 03  00 00 00 01  12 34 56 78  00 64 00 02"), 0, 16));
        assertEquals(RtcpDrop.BAD_FCI, nack.drop());
        assertFalse(nack.wrap(hex("81 cd 00 01  00 00 00 01"), 0, 8));
        assertEquals(RtcpDrop.TOO_SHORT, nack.drop());
        assertFalse(nack.wrap(hex("8f cd 00 03  00 00 00 01  12 34 56 78  00 64 80 05"), 0, 16));
        assertEquals(RtcpDrop.WRONG_TYPE, nack.drop());
    }

    @Test
    void pli() {
        byte[] b = new byte[12];
        assertEquals(12, Pli.write(b, 0, 0xAAAA, 0xBBBB));
        assertArrayEquals(hex("81 ce 00 02 00 00 aa aa 00 00 bb bb"), b);
        Pli pli = new Pli();
        assertTrue(pli.wrap(b, 0, 12));
        assertEquals(0xAAAA, pli.senderSsrc());
        assertEquals(0xBBBB, pli.mediaSsrc());
        assertEquals(-1, Pli.write(new byte[11], 0, 1, 2));
    }

    @Test
    void fir() {
        byte[] b = new byte[20];
        assertEquals(20, Fir.write(b, 0, 1, 0x11223344, 7));
        assertArrayEquals(hex("84 ce 00 04  00 00 00 01  00 00 00 00  11 22 33 44  07 00 00 00"), b);
        Fir fir = new Fir();
        assertTrue(fir.wrap(b, 0, 20));
        assertEquals(1, fir.entryCount());
        assertEquals(0x11223344, fir.entrySsrc(0));
        assertEquals(7, fir.entrySequenceNumber(0));
        assertEquals(0, fir.mediaSsrc());
        assertFalse(fir.wrap(hex("84 ce 00 03  00 00 00 01  00 00 00 00  11 22 33 44"), 0, 16));
        assertEquals(RtcpDrop.BAD_FCI, fir.drop());
    }

    // libwebrtc's remb unit test packet: bitrate 0x3fb93 * 2, SSRCs 0x23456789 and 0x2bcdef01.
    static final String REMB = "8f ce 00 06  12 34 56 78  00 00 00 00  52 45 4d 42  02 07 fb 93  23 45 67 89  2b cd ef 01";

    @Test
    void remb() {
        byte[] b = hex(REMB);
        Remb remb = new Remb();
        assertTrue(remb.wrap(b, 0, b.length));
        assertEquals(0x3fb93L * 2, remb.bitrate());
        assertEquals(2, remb.ssrcCount());
        assertEquals(0x2bcdef01, remb.ssrc(1));
        byte[] out = new byte[64];
        int n = Remb.write(out, 0, 0x12345678, 0x3fb93L * 2, new int[] {0x23456789, 0x2bcdef01}, 2);
        assertArrayEquals(b, Arrays.copyOf(out, n));

        for (long bps : new long[] {0, 1, 262143, 262144, 1_500_000, 30_000_000_000L, Long.MAX_VALUE}) {
            n = Remb.write(out, 0, 1, bps, new int[0], 0);
            assertTrue(remb.wrap(out, 0, n));
            long got = remb.bitrate();
            assertTrue(got <= bps && got > bps - (bps >>> 17) - 1, bps + " -> " + got);
        }
    }

    @Test
    void rembRejectsBadFields() {
        Remb remb = new Remb();
        byte[] b = hex(REMB);
        b[16] = 3; // three SSRCs announced, two present
        assertFalse(remb.wrap(b, 0, b.length));
        assertEquals(RtcpDrop.BAD_REMB, remb.drop());
        b = hex(REMB);
        b[17] = (byte) 0xff; // exponent 63 with a large mantissa overflows a long
        assertFalse(remb.wrap(b, 0, b.length));
        assertEquals(RtcpDrop.BAD_REMB, remb.drop());
        b = hex(REMB);
        b[12] = 'X';
        assertFalse(remb.wrap(b, 0, b.length));
        assertEquals(RtcpDrop.BAD_REMB, remb.drop());
    }
}
