package dev.arena.rtc.rtcp;

import static dev.arena.rtc.rtcp.RtcpReportsTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.util.DropCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compound packets (RFC 3550 section 6.1) and reduced-size RTCP (RFC 5506). */
class RtcpReaderTest {
    private final DropCounter<RtcpDrop> drops = new DropCounter<>(RtcpDrop.class);
    private final RtcpReader r = new RtcpReader(drops);

    private List<RtcpType> types(byte[] b, int off, int len) {
        List<RtcpType> out = new ArrayList<>();
        if (!r.reset(b, off, len)) {
            return out;
        }
        for (RtcpType t = r.next(); t != RtcpType.END; t = r.next()) {
            out.add(t);
            assertTrue(out.size() <= len / 4, "at most one packet per 4 bytes");
        }
        assertEquals(RtcpType.END, r.next(), "END stays END");
        return out;
    }

    private static byte[] concat(String... hexes) {
        StringBuilder sb = new StringBuilder();
        for (String h : hexes) {
            sb.append(h).append(' ');
        }
        return hex(sb.toString());
    }

    @Test
    void fullCompoundSrSdesBye() {
        byte[] b = concat(RtcpReportsTest.SR, RtcpReportsTest.SDES, "81 cb 00 01 de ad be ef");
        assertEquals(List.of(RtcpType.SR, RtcpType.SDES, RtcpType.BYE), types(b, 0, b.length));
        assertNull(r.drop());
        r.reset(b, 0, b.length);
        assertEquals(RtcpType.SR, r.next());
        assertEquals(0xdeadbeef, r.senderReport().senderSsrc());
        assertEquals(0, r.offset());
        assertEquals(52, r.length());
        assertEquals(RtcpType.SDES, r.next());
        assertEquals(52, r.offset());
        assertEquals("Y8RtfA9f5x1fKELd", r.sdes().cname());
        assertEquals(RtcpType.BYE, r.next());
        assertEquals(0xdeadbeef, r.bye().ssrc(0));
        assertEquals(203, r.packetType());
        assertEquals(1, r.count());
    }

    @Test
    void chromeStyleCompoundWithFeedback() {
        // RR + SDES + REMB + NACK + transport-cc, at an offset inside a larger buffer
        byte[] inner = concat("80 c9 00 01 00 00 00 01", RtcpReportsTest.SDES, RtcpFeedbackTest.REMB,
                RtcpFeedbackTest.NACK,
                "af cd 00 05  fa 17 fa 17  43 03 2f a0  00 99 00 01  3d e8 02 17  20 01 94 01");
        byte[] b = new byte[inner.length + 10];
        System.arraycopy(inner, 0, b, 3, inner.length);
        assertEquals(List.of(RtcpType.RR, RtcpType.SDES, RtcpType.REMB, RtcpType.NACK, RtcpType.TRANSPORT_CC),
                types(b, 3, inner.length));
        r.reset(b, 3, inner.length);
        while (r.next() != RtcpType.NACK) {
            // skip
        }
        List<Integer> lost = new ArrayList<>();
        r.nack().forEachLost(lost::add);
        assertEquals(List.of(100, 101, 103, 116), lost);
        assertEquals(RtcpType.TRANSPORT_CC, r.next());
        assertEquals(153, r.transportCc().baseSequenceNumber());
    }

    @Test
    void reducedSizeCompoundsAreAccepted() {
        // RFC 5506: feedback without a leading SR/RR
        byte[] pli = new byte[12];
        Pli.write(pli, 0, 1, 2);
        assertEquals(List.of(RtcpType.PLI), types(pli, 0, 12));
        assertEquals(2, r.pli().mediaSsrc());
        assertEquals(List.of(RtcpType.NACK), types(hex(RtcpFeedbackTest.NACK), 0, 16));
        byte[] b = concat(RtcpFeedbackTest.REMB, "84 ce 00 04  00 00 00 01  00 00 00 00  11 22 33 44  07 00 00 00");
        assertEquals(List.of(RtcpType.REMB, RtcpType.FIR), types(b, 0, b.length));
        assertEquals(0, drops.total());
    }

    @Test
    void otherTypesAreReportedNotParsed() {
        byte[] b = concat(
                "80 cf 00 02 00 00 00 01 04 00 00 00", // XR
                "80 c3 00 00", // PT 195 (IJ)
                "83 cd 00 03 00 00 00 01 00 00 00 02 01 02 03 04", // RTPFB FMT 3 (TMMBR)
                "8f ce 00 03 00 00 00 01 00 00 00 02 41 42 43 44", // AFB that is not REMB
                "82 ce 00 02 00 00 00 01 00 00 00 02", // SLI without FCI
                "80 cc 00 03 00 00 00 01 41 42 43 44 00 00 00 00"); // APP
        assertEquals(List.of(RtcpType.XR, RtcpType.UNKNOWN, RtcpType.RTPFB, RtcpType.PSFB, RtcpType.PSFB, RtcpType.APP),
                types(b, 0, b.length));
        r.reset(b, 0, b.length);
        r.next();
        r.next();
        r.next();
        assertEquals(3, r.feedback().fmt());
    }

    @Test
    void malformedPacketsAreSkippedAndCounted() {
        byte[] b = concat(
                "80 c9 00 00", // RR with no SSRC (length 0): too short
                "81 cd 00 02 00 00 00 01 12 34 56 78", // NACK without FCI
                "81 ce 00 02 00 00 00 01 00 00 00 02", // PLI: fine
                "a1 cb 00 01 00 00 00 00"); // BYE with pad count 0
        assertEquals(List.of(RtcpType.PLI), types(b, 0, b.length));
        assertEquals(3, r.skipped());
        assertEquals(RtcpDrop.BAD_PADDING, r.drop());
        assertEquals(1, drops.get(RtcpDrop.TOO_SHORT));
        assertEquals(1, drops.get(RtcpDrop.BAD_FCI));
        assertEquals(1, drops.get(RtcpDrop.BAD_PADDING));
    }

    @Test
    void zeroLengthPacketsEndTheWalk() {
        // 300 packets whose length field is 0: each is 4 bytes, the walk ends after 300 steps
        byte[] b = new byte[1200];
        for (int i = 0; i < b.length; i += 4) {
            b[i] = (byte) 0x80;
            b[i + 1] = (byte) 201;
        }
        assertEquals(List.of(), types(b, 0, b.length));
        assertEquals(300, r.skipped());
        for (int i = 0; i < b.length; i += 4) {
            b[i + 1] = (byte) 195;
        }
        assertEquals(300, types(b, 0, b.length).size());
    }

    @Test
    void brokenFramingRejectsTheCompound() {
        assertFraming(RtcpDrop.EMPTY, new byte[0], 0, 0);
        assertFraming(RtcpDrop.BAD_BUFFER, null, 0, 4);
        assertFraming(RtcpDrop.BAD_BUFFER, new byte[8], 6, 4);
        byte[] pli = new byte[12];
        Pli.write(pli, 0, 1, 2);
        assertFraming(RtcpDrop.BAD_LENGTH, pli, 0, 11);
        byte[] tail = concat("81 ce 00 02 00 00 00 01 00 00 00 02", "80 c9");
        assertFraming(RtcpDrop.TOO_SHORT, tail, 0, tail.length);
        assertFraming(RtcpDrop.NOT_RTCP, hex("80 60 00 01 00 00 00 01"), 0, 8);
        assertFraming(RtcpDrop.BAD_VERSION, hex("40 c9 00 01 00 00 00 01"), 0, 8);
        byte[] second = concat("81 ce 00 02 00 00 00 01 00 00 00 02", "81 e0 00 01 00 00 00 01");
        assertFraming(RtcpDrop.NOT_RTCP, second, 0, second.length);
        assertEquals(8, drops.total());
    }

    private void assertFraming(RtcpDrop reason, byte[] b, int off, int len) {
        assertFalse(r.reset(b, off, len));
        assertEquals(reason, r.drop());
        assertEquals(RtcpType.END, r.next());
    }

    @Test
    void buildsAndReadsACompound() {
        byte[] b = new byte[1500];
        int p = 0;
        p += SenderReport.write(b, p, 7, 1L << 32, 90000, 100, 120000);
        int srLen = ReportBlock.append(b, 0, 8, 1, 2, 3, 4, 5, 6);
        p = srLen;
        p += Sdes.writeCname(b, p, 7, "arena".getBytes(StandardCharsets.US_ASCII));
        p += Nack.write(b, p, 7, 8, new int[] {5, 6, 9}, 0, 3);
        p += Pli.write(b, p, 7, 8);
        p += Fir.write(b, p, 7, 8, 1);
        p += Remb.write(b, p, 7, 2_000_000, new int[] {8}, 1);
        p += App.write(b, p, 1, 7, App.name("TEST"), new byte[3], 0, 3);
        p += Bye.write(b, p, new int[] {7}, 1, "bye".getBytes(StandardCharsets.US_ASCII));
        TransportCcWriter w = new TransportCcWriter();
        p += w.write(b, p, 200, 7, 8, 0, new int[] {1, 2, 4}, new long[] {0, 500, 1000}, 0, 3);
        assertEquals(List.of(RtcpType.SR, RtcpType.SDES, RtcpType.NACK, RtcpType.PLI, RtcpType.FIR, RtcpType.REMB,
                RtcpType.APP, RtcpType.BYE, RtcpType.TRANSPORT_CC), types(b, 0, p));
        assertEquals(0, drops.total());
        r.reset(b, 0, p);
        r.next();
        assertEquals(1, r.senderReport().reportCount());
        r.next();
        assertEquals("arena", r.sdes().cname());
        r.next();
        assertEquals(3, r.nack().lostCount());
        r.next();
        r.next();
        assertEquals(8, r.fir().entrySsrc(0));
        r.next();
        assertEquals(2_000_000, r.remb().bitrate());
        r.next();
        assertEquals(App.name("TEST"), r.app().name());
        r.next();
        assertEquals("bye", r.bye().reason());
        r.next();
        assertEquals(4, r.transportCc().packetStatusCount());
        assertEquals(3, r.transportCc().receivedCount());
    }
}
