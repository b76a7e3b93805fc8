package dev.arena.rtc.rtp;

import static dev.arena.rtc.rtp.RtpTestBytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtxPacketTest {
    private final RtpPacket p = new RtpPacket();

    @Test
    void roundTripThroughACallerBuffer() {
        byte[] original = hex(RtpPacketTest.OPUS);
        assertTrue(p.wrap(original, 0, original.length));
        byte[] rtx = new byte[100];
        int n = RtxPacket.wrap(p, rtx, 5, 0x0BADF00D, 97, 777);
        assertEquals(original.length + 2, n);

        RtpPacket r = new RtpPacket();
        assertTrue(r.wrap(rtx, 5, n));
        assertEquals(0x0BADF00D, r.ssrc());
        assertEquals(97, r.payloadType());
        assertEquals(777, r.sequenceNumber());
        assertEquals(p.timestamp(), r.timestamp());
        assertEquals(0x4a5b, RtxPacket.originalSequenceNumber(r));
        assertTrue(r.findExtension(3), "extensions travel with the RTX packet");

        byte[] back = new byte[100];
        int m = RtxPacket.unwrap(r, back, 0, 0x12345678, 111);
        assertArrayEquals(original, Arrays.copyOf(back, m));

        m = RtxPacket.unwrapInPlace(r, 0x12345678, 111);
        assertArrayEquals(original, Arrays.copyOfRange(rtx, 5, 5 + m));
    }

    @Test
    void paddingAndMarkerAndCsrcs() {
        byte[] original = hex("a2 e0 00 09  00 00 00 01  00 00 00 02  00 00 00 0a  00 00 00 0b  11 22 33  00 02");
        assertTrue(p.wrap(original, 0, original.length));
        byte[] rtx = new byte[64];
        int n = RtxPacket.wrap(p, rtx, 0, 99, 97, 1);
        RtpPacket r = new RtpPacket();
        assertTrue(r.wrap(rtx, 0, n));
        assertFalse(r.hasPadding(), "padding is not carried");
        assertTrue(r.marker());
        assertEquals(2, r.csrcCount());
        assertEquals(5, r.payloadLength());
        assertEquals(9, RtxPacket.originalSequenceNumber(r));
        byte[] back = new byte[64];
        int m = RtxPacket.unwrap(r, back, 0, 2, 96);
        RtpPacket o = new RtpPacket();
        assertTrue(o.wrap(back, 0, m));
        assertEquals(9, o.sequenceNumber());
        assertEquals(96, o.payloadType());
        assertTrue(o.marker());
        assertEquals(3, o.payloadLength());
        assertArrayEquals(Arrays.copyOfRange(original, 20, 23), Arrays.copyOfRange(back, 20, 23));
    }

    @Test
    void inPlaceConversionInTheSameBuffer() {
        byte[] original = hex(RtpPacketTest.OPUS);
        byte[] b = Arrays.copyOf(original, original.length + 2);
        assertTrue(p.wrap(b, 0, original.length));
        int n = RtxPacket.wrap(p, b, 0, 5, 97, 6);
        RtpPacket r = new RtpPacket();
        assertTrue(r.wrap(b, 0, n));
        assertEquals(0x4a5b, RtxPacket.originalSequenceNumber(r));
        int m = RtxPacket.unwrapInPlace(r, 0x12345678, 111);
        assertArrayEquals(original, Arrays.copyOf(b, m));
    }

    @Test
    void refusesWhatDoesNotFitOrHasNoOsn() {
        byte[] original = hex(RtpPacketTest.OPUS);
        assertTrue(p.wrap(original, 0, original.length));
        assertEquals(-1, RtxPacket.wrap(p, new byte[original.length + 1], 0, 1, 2, 3));
        byte[] empty = hex("80 61 00 01  00 00 00 01  00 00 00 02  07");
        assertTrue(p.wrap(empty, 0, empty.length));
        assertEquals(-1, RtxPacket.originalSequenceNumber(p));
        assertEquals(-1, RtxPacket.unwrap(p, new byte[64], 0, 1, 2));
        assertEquals(-1, RtxPacket.unwrapInPlace(p, 1, 2));
    }
}
