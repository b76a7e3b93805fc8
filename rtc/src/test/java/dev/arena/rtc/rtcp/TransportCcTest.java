package dev.arena.rtc.rtcp;

import static dev.arena.rtc.rtcp.RtcpReportsTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
class TransportCcTest {
    private final TransportCc tcc = new TransportCc();

    private List<String> visit(TransportCc t) {
        List<String> out = new ArrayList<>();
        t.forEachPacket((seq, received, at) -> out.add(received ? seq + "@" + at : seq + "-"));
        return out;
    }

    @Test
    void chromeFeedbackWithOneRunLengthChunk() {
        // Captured from Chrome (pion/rtcp test "example1"): P bit, one packet, small delta 37 ms.
        byte[] b = hex("af cd 00 05  fa 17 fa 17  43 03 2f a0  00 99 00 01  3d e8 02 17  20 01 94 01");
        assertTrue(tcc.wrap(b, 0, b.length), () -> String.valueOf(tcc.drop()));
        assertEquals(0xfa17fa17, tcc.senderSsrc());
        assertEquals(1124282272, tcc.mediaSsrc());
        assertEquals(153, tcc.baseSequenceNumber());
        assertEquals(1, tcc.packetStatusCount());
        assertEquals(4057090, tcc.referenceTime());
        assertEquals(23, tcc.feedbackPacketCount());
        assertEquals(1, tcc.receivedCount());
        assertEquals(List.of("153@" + (4057090L * 64000 + 37000)), visit(tcc));
    }

    @Test
    void chromeFeedbackWithSevenSmallDeltas() {
        // Captured from Chrome (pion/rtcp test "example4"): run of 7 "small delta", 3 bytes of padding.
        byte[] b = hex("af cd 00 07  fa 17 fa 17  19 3d d8 bb  00 04 00 07  10 63 6e 01"
                + "  20 07 4c 24  24 10 0c 0c  10 00 00 03");
        assertTrue(tcc.wrap(b, 0, b.length), () -> String.valueOf(tcc.drop()));
        long t = 1074030L * 64000;
        List<String> want = new ArrayList<>();
        int[] deltas = {19000, 9000, 9000, 4000, 3000, 3000, 4000};
        for (int i = 0; i < 7; i++) {
            t += deltas[i];
            want.add((4 + i) + "@" + t);
        }
        assertEquals(want, visit(tcc));
    }

    @Test
    void draftRunLengthExample() {
        // Section 3.1.3 example: 0x00DD = run of 221 "not received", then one received packet.
        byte[] b = hex("8f cd 00 06  00 00 00 01  00 00 00 02  00 0a 00 de  00 00 01 05"
                + "  00 dd 20 01  04 00 00 00");
        assertTrue(tcc.wrap(b, 0, b.length), () -> String.valueOf(tcc.drop()));
        List<String> got = visit(tcc);
        assertEquals(222, got.size());
        assertEquals("10-", got.get(0));
        assertEquals("230-", got.get(220));
        assertEquals("231@" + (64000 + 1000), got.get(221));
        assertEquals(1, tcc.receivedCount());
    }

    @Test
    void draftOneBitStatusVectorExampleAcrossTheWrap() {
        // Section 3.1.4 example: 0x9F1C = 1 lost, 5 received, 3 lost, 3 received, 2 lost.
        byte[] b = hex("8f cd 00 07  00 00 00 01  00 00 00 02  ff fe 00 0e  00 00 00 00"
                + "  9f 1c 01 02  03 04 05 06  07 08 00 00");
        assertTrue(tcc.wrap(b, 0, b.length), () -> String.valueOf(tcc.drop()));
        assertEquals(List.of("65534-", "65535@250", "0@750", "1@1500", "2@2500", "3@3750", "4-", "5-", "6-",
                "7@5250", "8@7000", "9@9000", "10-", "11-"), visit(tcc));
    }

    @Test
    void twoBitStatusVectorWithANegativeLargeDelta() {
        // 0xD800 = two-bit symbols: small, large, then 5 not received; large delta -200 ticks (-50 ms).
        byte[] b = hex("8f cd 00 06  00 00 00 01  00 00 00 02  00 64 00 07  00 00 10 00"
                + "  d8 00 10 ff  38 00 00 00");
        assertTrue(tcc.wrap(b, 0, b.length), () -> String.valueOf(tcc.drop()));
        assertEquals(List.of("100@1028000", "101@978000", "102-", "103-", "104-", "105-", "106-"), visit(tcc));
    }

    @Test
    void rejectsMalformedFeedback() {
        // Section 3.1.4 example 0xCD50 uses the reserved symbol 11: libwebrtc refuses it, so do we.
        assertBad(RtcpDrop.BAD_TWCC, "8f cd 00 06  00 00 00 01  00 00 00 02  00 01 00 07  00 00 00 00  cd 50 01 01  01 00 00 00");
        // run-length chunk of the reserved symbol
        assertBad(RtcpDrop.BAD_TWCC, "8f cd 00 05  00 00 00 01  00 00 00 02  00 01 00 01  00 00 00 00  60 01 00 00");
        // status count 0
        assertBad(RtcpDrop.BAD_TWCC, "8f cd 00 05  00 00 00 01  00 00 00 02  00 01 00 00  00 00 00 00  20 01 01 00");
        // chunks run past the packet: 20 statuses, one chunk of 14
        assertBad(RtcpDrop.BAD_TWCC, "8f cd 00 05  00 00 00 01  00 00 00 02  00 01 00 14  00 00 00 00  80 00 00 00");
        // deltas run past the packet: 4 received, 2 delta bytes
        assertBad(RtcpDrop.BAD_TWCC, "8f cd 00 05  00 00 00 01  00 00 00 02  00 01 00 04  00 00 00 00  20 04 01 01");
        // run length 0 chunks only: never covers the count, ends at the packet end
        assertBad(RtcpDrop.BAD_TWCC, "8f cd 00 05  00 00 00 01  00 00 00 02  00 01 00 01  00 00 00 00  20 00 20 00");
        assertBad(RtcpDrop.TOO_SHORT, "8f cd 00 03  00 00 00 01  00 00 00 02  00 01 00 01");
    }

    private void assertBad(RtcpDrop reason, String hex) {
        byte[] b = hex(hex);
        assertFalse(tcc.wrap(b, 0, b.length));
        assertEquals(reason, tcc.drop());
    }

    private final TransportCcWriter writer = new TransportCcWriter();

    private byte[] roundTrip(int[] seqs, long[] at, int maxLength, int expectWritten) {
        byte[] b = new byte[1500];
        int n = writer.write(b, 0, maxLength, 1, 2, 9, seqs, at, 0, seqs.length);
        assertTrue(n > 0 && n <= maxLength && n % 4 == 0);
        assertEquals(expectWritten, writer.written());
        assertTrue(tcc.wrap(b, 0, n), () -> String.valueOf(tcc.drop()));
        assertEquals(9, tcc.feedbackPacketCount());
        assertEquals(seqs[0], tcc.baseSequenceNumber());
        // every reported packet arrives at its time rounded down to the 250 us grid
        long ref = Math.floorDiv(at[0], 64000) * 64000;
        List<String> want = new ArrayList<>();
        int k = 0;
        int seq = seqs[0];
        int lastSeq = seqs[expectWritten - 1];
        while (true) {
            if (k < expectWritten && seqs[k] == seq) {
                want.add(seq + "@" + (ref + Math.floorDiv(at[k] - ref, 250) * 250 + (long) (tcc.referenceTime() - (ref / 64000)) * 64000));
                k++;
            } else {
                want.add(seq + "-");
            }
            if (seq == lastSeq) {
                break;
            }
            seq = (seq + 1) & 0xFFFF;
        }
        assertEquals(want, visit(tcc));
        return b;
    }

    @Test
    void writerUsesRunLengthForLongRuns() {
        int[] seqs = new int[40];
        long[] at = new long[40];
        for (int i = 0; i < 40; i++) {
            seqs[i] = 1000 + i;
            at[i] = 5_000_000 + i * 1000L;
        }
        byte[] b = roundTrip(seqs, at, 1500, 40);
        assertEquals(0x2000 | 40, RtcpReportsTest.u16(b, 20), "one run-length chunk of 40 small deltas");
        // a long gap of lost packets is one run-length chunk of "not received"
        int[] gap = new int[15];
        long[] gapAt = new long[15];
        for (int i = 0; i < 14; i++) {
            gap[i] = 10 + i;
            gapAt[i] = 100_000 + 250L * i;
        }
        gap[14] = 400;
        gapAt[14] = 150_000;
        b = roundTrip(gap, gapAt, 1500, 15);
        assertEquals(0x2000 | 14, RtcpReportsTest.u16(b, 20));
        assertEquals(376, RtcpReportsTest.u16(b, 22), "run-length chunk of 376 not received");
        assertEquals(0x2001, RtcpReportsTest.u16(b, 24));
    }

    @Test
    void writerUsesOneBitVectorsForScatteredLoss() {
        int[] seqs = {65530, 65532, 65534, 0, 2, 4, 6, 8};
        long[] at = new long[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            at[i] = 64_000_000L + 20_000L * i;
        }
        byte[] b = roundTrip(seqs, at, 1500, seqs.length);
        assertEquals(0x8000, RtcpReportsTest.u16(b, 20) & 0xC000, "one-bit status vector");
        assertEquals(15, tcc.packetStatusCount());
    }

    @Test
    void writerUsesTwoBitVectorsForLargeAndNegativeDeltas() {
        int[] seqs = {1, 2, 3, 5, 6};
        long[] at = {1_000_000, 1_100_000, 1_050_000, 1_050_250, 3_000_000};
        byte[] b = roundTrip(seqs, at, 1500, 5);
        assertEquals(0xC000, RtcpReportsTest.u16(b, 20) & 0xC000, "two-bit status vector");
    }

    @Test
    void writerStopsAtMaxLengthAndAtUnrepresentableDeltas() {
        int n = 500;
        int[] seqs = new int[n];
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            seqs[i] = 2 * i; // every other packet lost: one-bit vectors, 1 delta byte per packet
            at[i] = 10_000L * i;
        }
        int fit = expectedFit(seqs, at, 100);
        assertTrue(fit > 20 && fit < n, "fit " + fit);
        roundTrip(seqs, at, 100, fit);

        int[] s = {1, 2, 3};
        long[] far = {0, 1000, 9_000_000}; // 9 s after the previous: beyond 16 bits of 250 us ticks
        roundTrip(s, far, 1500, 2);
        assertEquals(24, writer.write(new byte[64], 0, 64, 1, 2, 0, new int[] {3}, new long[] {9_000_000}, 0, 1));
    }

    private int expectedFit(int[] seqs, long[] at, int max) {
        // the largest prefix whose feedback fits: compute by writing ever more pairs
        int best = 0;
        byte[] b = new byte[1500];
        for (int k = 1; k <= seqs.length; k++) {
            int len = writer.write(b, 0, 1500, 1, 2, 9, seqs, at, 0, k);
            if (len > max) {
                break;
            }
            best = k;
        }
        return best;
    }

    @Test
    void writerRefusesBadInput() {
        byte[] b = new byte[100];
        assertEquals(-1, writer.write(b, 0, 100, 1, 2, 0, new int[0], new long[0], 0, 0));
        assertEquals(-1, writer.write(b, 0, 20, 1, 2, 0, new int[] {1}, new long[] {0}, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> writer.write(b, 0, 100, 1, 2, 0, new int[] {5, 4}, new long[] {0, 0}, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> writer.write(b, 0, 100, 1, 2, 0, new int[] {5, 5}, new long[] {0, 0}, 0, 2));
    }
}
