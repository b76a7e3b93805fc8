package dev.arena.rtc.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** SR, RR, SDES, BYE, APP (RFC 3550 section 6.4 to 6.7) and the RFC 5761 demultiplexer. */
class RtcpReportsTest {
    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }

    // RFC 3550 6.4.1 layout, one report block.
    static final String SR = "81 c8 00 0c  de ad be ef"
            + " e8 4a 5b 3c  12 34 56 78  00 01 e2 40  00 00 00 0a  00 00 03 e8"
            + " 11 22 33 44  19 ff ff fe  00 01 00 05  00 00 00 20  a5 5b 3c 12  00 01 80 00";

    @Test
    void demultiplexesRtpAndRtcp() {
        assertTrue(RtcpPacket.isRtcp(hex(SR), 0, 52));
        assertTrue(RtcpPacket.isRtcp(hex("81 cd 00 00"), 0, 4));
        assertTrue(RtcpPacket.isRtcp(hex("80 c0 00 00"), 0, 4)); // 192
        assertTrue(RtcpPacket.isRtcp(hex("80 df 00 00"), 0, 4)); // 223
        assertFalse(RtcpPacket.isRtcp(hex("80 e0 00 00"), 0, 4)); // RTP marker + PT 96
        assertFalse(RtcpPacket.isRtcp(hex("80 6f 00 00"), 0, 4)); // RTP PT 111
        assertFalse(RtcpPacket.isRtcp(hex("80 ef 00 00"), 0, 4)); // RTP marker + PT 111
        assertFalse(RtcpPacket.isRtcp(hex("00 c8 00 00"), 0, 4)); // not version 2
        assertFalse(RtcpPacket.isRtcp(hex("80 c8"), 0, 2));
        assertFalse(RtcpPacket.isRtcp(null, 0, 4));
        assertFalse(RtcpPacket.isRtcp(new byte[4], 2, 4));
    }

    @Test
    void parsesSenderReport() {
        byte[] b = hex(SR);
        SenderReport sr = new SenderReport();
        assertTrue(sr.wrap(b, 0, b.length));
        assertEquals(52, sr.length());
        assertEquals(0xdeadbeef, sr.senderSsrc());
        assertEquals(0xe84a5b3c12345678L, sr.ntpTimestamp());
        assertEquals(123456, sr.rtpTimestamp());
        assertEquals(10, sr.packetCount());
        assertEquals(1000, sr.octetCount());
        assertEquals(1, sr.reportCount());
        ReportBlock rb = sr.reportBlock(0, new ReportBlock());
        assertEquals(0x11223344, rb.ssrc());
        assertEquals(25, rb.fractionLost());
        assertEquals(-2, rb.cumulativeLost());
        assertEquals(65541, rb.extendedHighestSequence());
        assertEquals(32, rb.jitter());
        assertEquals(0xa55b3c12L, rb.lastSr());
        assertEquals(0x18000, rb.delaySinceLastSr());
    }

    @Test
    void buildsTheSameSenderReport() {
        byte[] b = new byte[64];
        assertEquals(28, SenderReport.write(b, 0, 0xdeadbeef, 0xe84a5b3c12345678L, 123456, 10, 1000));
        assertEquals(52, ReportBlock.append(b, 0, 0x11223344, 25, -2, 65541, 32, 0xa55b3c12L, 0x18000));
        assertArrayEquals(hex(SR), Arrays.copyOf(b, 52));
        assertEquals(-1, SenderReport.write(new byte[27], 0, 1, 2, 3, 4, 5));
        assertEquals(-1, ReportBlock.append(b, 30, 1, 2, 3, 4, 5, 6, 7), "no room for another block");
    }

    @Test
    void receiverReportRoundTrip() {
        byte[] b = new byte[100];
        assertEquals(8, ReceiverReport.write(b, 0, 42));
        assertEquals(32, ReportBlock.append(b, 0, 1, 255, 0x7FFFFF, 0xFFFFFFFFL, 7, 8, 9));
        assertEquals(56, ReportBlock.append(b, 0, 2, 0, -0x800000, 0, 0, 0, 0));
        ReceiverReport rr = new ReceiverReport();
        assertTrue(rr.wrap(b, 0, 56));
        assertEquals(42, rr.senderSsrc());
        assertEquals(2, rr.reportCount());
        ReportBlock rb = new ReportBlock();
        rr.reportBlock(0, rb);
        assertEquals(255, rb.fractionLost());
        assertEquals(0x7FFFFF, rb.cumulativeLost());
        assertEquals(0xFFFFFFFFL, rb.extendedHighestSequence());
        assertEquals(9, rb.delaySinceLastSr());
        rr.reportBlock(1, rb);
        assertEquals(2, rb.ssrc());
        assertEquals(-0x800000, rb.cumulativeLost());
        // an RR with no blocks, e.g. from a receive-only peer
        assertTrue(rr.wrap(hex("80 c9 00 01 00 00 00 07"), 0, 8));
        assertEquals(0, rr.reportCount());
        // cumulative lost beyond 24 bits is clamped
        ReceiverReport.write(b, 0, 1);
        ReportBlock.append(b, 0, 1, 0, Integer.MAX_VALUE, 0, 0, 0, 0);
        assertTrue(rr.wrap(b, 0, 32));
        assertEquals(0x7FFFFF, rr.reportBlock(0, rb).cumulativeLost());
    }

    @Test
    void reportsRejectTruncation() {
        SenderReport sr = new SenderReport();
        assertFalse(sr.wrap(hex("80 c8 00 01 00 00 00 01"), 0, 8));
        assertEquals(RtcpDrop.TOO_SHORT, sr.drop());
        byte[] b = hex(SR);
        b[0] = (byte) 0x82; // RC 2 but only one block
        assertFalse(sr.wrap(b, 0, b.length));
        assertEquals(RtcpDrop.TRUNCATED, sr.drop());
        assertFalse(sr.wrap(hex("80 c9 00 01 00 00 00 07"), 0, 8));
        assertEquals(RtcpDrop.WRONG_TYPE, sr.drop());
        assertFalse(sr.wrap(b, 0, 40));
        assertEquals(RtcpDrop.BAD_LENGTH, sr.drop());
        ReceiverReport rr = new ReceiverReport();
        assertFalse(rr.wrap(hex("81 c9 00 01 00 00 00 07"), 0, 8));
        assertEquals(RtcpDrop.TRUNCATED, rr.drop());
    }

    // RFC 3550 6.5: one chunk, CNAME "Y8RtfA9f5x1fKELd" (16 bytes) + END + 1 null = 24 bytes.
    static final String SDES = "81 ca 00 06  00 00 30 39  01 10 59 38 52 74 66 41 39 66 35 78 31 66 4b 45 4c 64 00 00";

    @Test
    void parsesSdesCname() {
        byte[] b = hex(SDES);
        Sdes sdes = new Sdes();
        assertTrue(sdes.wrap(b, 0, b.length), () -> String.valueOf(sdes.drop()));
        assertEquals("Y8RtfA9f5x1fKELd", sdes.cname());
        assertTrue(sdes.nextChunk());
        assertEquals(12345, sdes.chunkSsrc());
        assertTrue(sdes.nextItem());
        assertEquals(Sdes.CNAME, sdes.itemType());
        assertEquals(16, sdes.itemLength());
        assertFalse(sdes.nextItem());
        assertFalse(sdes.nextChunk());

        byte[] out = new byte[64];
        int n = Sdes.writeCname(out, 0, 12345, "Y8RtfA9f5x1fKELd".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(b, Arrays.copyOf(out, n));
    }

    @Test
    void sdesWithSeveralChunksAndItems() {
        byte[] b = new byte[128];
        Sdes.write(b, 0);
        Sdes.appendChunk(b, 0, 1, Sdes.CNAME, "a".getBytes(StandardCharsets.US_ASCII), 0, 1);
        int n = Sdes.appendChunk(b, 0, 2, Sdes.TOOL, "arena".getBytes(StandardCharsets.US_ASCII), 0, 5);
        // a third chunk by hand: two items, NAME "x" then CNAME "cd", END, padding
        byte[] extra = hex("00 00 00 03  02 01 78  01 02 63 64  00");
        System.arraycopy(extra, 0, b, n, extra.length);
        b[0] = (byte) 0x83;
        b[3] = (byte) ((n + extra.length) / 4 - 1);
        Sdes sdes = new Sdes();
        assertTrue(sdes.wrap(b, 0, n + extra.length), () -> String.valueOf(sdes.drop()));
        StringBuilder seen = new StringBuilder();
        while (sdes.nextChunk()) {
            seen.append(sdes.chunkSsrc()).append('[');
            while (sdes.nextItem()) {
                seen.append(sdes.itemType()).append('=')
                        .append(new String(b, sdes.itemOffset(), sdes.itemLength(), StandardCharsets.US_ASCII)).append(' ');
            }
            seen.append(']');
        }
        assertEquals("1[1=a ]2[6=arena ]3[2=x 1=cd ]", seen.toString());
        // skipping items still finds the next chunk
        sdes.resetChunks();
        assertTrue(sdes.nextChunk());
        assertTrue(sdes.nextChunk());
        assertTrue(sdes.nextChunk());
        assertEquals(3, sdes.chunkSsrc());
        assertFalse(sdes.nextChunk());
    }

    @Test
    void sdesRejectsBadItems() {
        Sdes sdes = new Sdes();
        // item length runs past the packet
        assertFalse(sdes.wrap(hex("81 ca 00 02  00 00 00 01  01 09 41 00"), 0, 12));
        assertEquals(RtcpDrop.BAD_SDES, sdes.drop());
        // no END octet
        assertFalse(sdes.wrap(hex("81 ca 00 02  00 00 00 01  01 02 41 41"), 0, 12));
        assertEquals(RtcpDrop.BAD_SDES, sdes.drop());
        // SC 2 but one chunk
        assertFalse(sdes.wrap(hex("82 ca 00 02  00 00 00 01  01 01 41 00"), 0, 12));
        assertEquals(RtcpDrop.TRUNCATED, sdes.drop());
        // a chunk without items: SSRC then a null word
        assertTrue(sdes.wrap(hex("81 ca 00 02  00 00 00 01  00 00 00 00"), 0, 12));
        assertNull(sdes.cname());
    }

    @Test
    void byeRoundTrip() {
        byte[] b = new byte[64];
        int n = Bye.write(b, 0, new int[] {7, 8}, 2, "camera off".getBytes(StandardCharsets.UTF_8));
        assertEquals(4 + 8 + 12, n);
        Bye bye = new Bye();
        assertTrue(bye.wrap(b, 0, n));
        assertEquals(2, bye.ssrcCount());
        assertEquals(8, bye.ssrc(1));
        assertEquals("camera off", bye.reason());
        assertArrayEquals(hex("81 cb 00 01 00 00 00 09"), Arrays.copyOf(b, Bye.write(b, 0, 9)));
        assertTrue(bye.wrap(b, 0, 8));
        assertNull(bye.reason());
        assertEquals(-1, bye.reasonOffset());
        assertFalse(bye.wrap(hex("81 cb 00 02 00 00 00 09 05 41 42 43"), 0, 12));
        assertEquals(RtcpDrop.BAD_BYE, bye.drop());
        assertFalse(bye.wrap(hex("82 cb 00 01 00 00 00 09"), 0, 8));
        assertEquals(RtcpDrop.TRUNCATED, bye.drop());
    }

    @Test
    void appRoundTrip() {
        byte[] b = new byte[64];
        byte[] data = {1, 2, 3, 4, 5};
        int n = App.write(b, 0, 3, 0x1234, App.name("ARNA"), data, 0, 5);
        assertEquals(20, n);
        App app = new App();
        assertTrue(app.wrap(b, 0, n));
        assertEquals(3, app.subtype());
        assertEquals(0x1234, app.ssrc());
        assertEquals(App.name("ARNA"), app.name());
        assertEquals(8, app.dataLength());
        assertEquals(5, b[app.dataOffset() + 4]);
        assertEquals(0, b[app.dataOffset() + 5]);
        assertFalse(app.wrap(hex("80 cc 00 01 00 00 00 01"), 0, 8));
        assertEquals(RtcpDrop.TOO_SHORT, app.drop());
    }

    @Test
    void paddingIsValidated() {
        Bye bye = new Bye();
        // BYE with 4 bytes of padding (count 4)
        assertTrue(bye.wrap(hex("a1 cb 00 02 00 00 00 09 00 00 00 04"), 0, 12));
        assertEquals(8, bye.contentLength());
        assertEquals(12, bye.length());
        assertFalse(bye.wrap(hex("a1 cb 00 02 00 00 00 09 00 00 00 00"), 0, 12));
        assertEquals(RtcpDrop.BAD_PADDING, bye.drop());
        assertFalse(bye.wrap(hex("a1 cb 00 02 00 00 00 09 00 00 00 0d"), 0, 12));
        assertEquals(RtcpDrop.BAD_PADDING, bye.drop());
        assertFalse(bye.wrap(hex("41 cb 00 01 00 00 00 09"), 0, 8));
        assertEquals(RtcpDrop.BAD_VERSION, bye.drop());
        assertFalse(bye.wrap(null, 0, 8));
        assertEquals(RtcpDrop.BAD_BUFFER, bye.drop());
    }
}
