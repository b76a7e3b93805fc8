package dev.arena.rtc.rtp;

import static dev.arena.rtc.rtp.RtpTestBytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.util.DropCounter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    private final DropCounter<RtpDrop> drops = new DropCounter<>(RtpDrop.class);
    private final RtpPacket p = new RtpPacket(drops);

    // An Opus packet as Chrome sends it: PT 111, one-byte extensions ssrc-audio-level (id 1, 1 byte),
    // abs-send-time (id 2, 3 bytes), transport-cc (id 3, 2 bytes) padded to 12 bytes, 4 payload bytes.
    static final String OPUS = "90 6f 4a 5b  00 00 d2 f0  12 34 56 78"
            + " be de 00 03  10 ba 22 01 02 03 31 07  00 00 00 00"
            + " fc ff fe 01";

    @Test
    void parsesFixedHeaderAndOneByteExtensions() {
        byte[] b = hex(OPUS);
        assertTrue(p.wrap(b, 0, b.length));
        assertNull(p.drop());
        assertEquals(2, p.version());
        assertFalse(p.marker());
        assertEquals(111, p.payloadType());
        assertEquals(0x4a5b, p.sequenceNumber());
        assertEquals(0xd2f0, p.timestamp());
        assertEquals(0x12345678, p.ssrc());
        assertEquals(0, p.csrcCount());
        assertEquals(RtpPacket.EXT_ONE_BYTE, p.extensionFormat());
        assertEquals(0xBEDE, p.extensionProfile());
        assertEquals(12, p.extensionDataLength());
        assertEquals(28, p.headerLength());
        assertEquals(28, p.payloadOffset());
        assertEquals(4, p.payloadLength());
        assertEquals(0, p.paddingLength());

        List<String> seen = new ArrayList<>();
        p.resetExtensions();
        while (p.nextExtension()) {
            seen.add(p.extensionId() + ":" + p.extensionValueLength());
        }
        assertEquals(List.of("1:1", "2:3", "3:2"), seen);

        assertTrue(p.findExtension(2));
        assertEquals(3, p.extensionValueLength());
        assertEquals(0x01, b[p.extensionValueOffset()]);
        assertEquals(0x0700, RtpPacket.u16(b, p.extensionValueOffset(3)));
        assertEquals(0xba, b[p.extensionValueOffset(1)] & 0xFF);
        assertEquals(-1, p.extensionValueOffset(4));
    }

    @Test
    void parsesAtAnOffsetInsideALargerBuffer() {
        byte[] inner = hex(OPUS);
        byte[] b = new byte[inner.length + 20];
        System.arraycopy(inner, 0, b, 7, inner.length);
        assertTrue(p.wrap(b, 7, inner.length));
        assertEquals(7 + 28, p.payloadOffset());
        assertEquals(4, p.payloadLength());
        assertTrue(p.findExtension(3));
        assertEquals(7 + 23, p.extensionValueOffset());
    }

    @Test
    void csrcList() {
        byte[] b = hex("82 e0 00 01  00 00 00 02  00 00 00 03  00 00 00 0a  00 00 00 0b  aa");
        assertTrue(p.wrap(b, 0, b.length));
        assertTrue(p.marker());
        assertEquals(96, p.payloadType());
        assertEquals(2, p.csrcCount());
        assertEquals(10, p.csrc(0));
        assertEquals(11, p.csrc(1));
        assertEquals(20, p.headerLength());
        assertEquals(1, p.payloadLength());
        p.setCsrc(1, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, p.csrc(1));
        assertThrows(IndexOutOfBoundsException.class, () -> p.csrc(2));
    }

    @Test
    void twoByteExtensionsWithEmptyValueAndPadding() {
        // 0x1001: two-byte form with app bits 1; elements id 1 len 0, padding byte, id 200 len 3,
        // id 5 len 1 -> 2 + 1 + 5 + 3 = 11 bytes, padded to 12.
        byte[] b = hex("90 60 00 01  00 00 00 01  00 00 00 02"
                + " 10 01 00 03  01 00 00 c8  03 aa bb cc  05 01 ee 00"
                + " 55");
        assertTrue(p.wrap(b, 0, b.length));
        assertEquals(RtpPacket.EXT_TWO_BYTE, p.extensionFormat());
        List<String> seen = new ArrayList<>();
        p.resetExtensions();
        while (p.nextExtension()) {
            seen.add(p.extensionId() + ":" + p.extensionValueLength());
        }
        assertEquals(List.of("1:0", "200:3", "5:1"), seen);
        assertTrue(p.findExtension(200));
        assertEquals(0xaa, b[p.extensionValueOffset()] & 0xFF);
        assertEquals(1, p.payloadLength());
    }

    @Test
    void oneByteId15StopsTheBlock() {
        byte[] b = hex("90 60 00 01  00 00 00 01  00 00 00 02  be de 00 02  10 aa f0 ff  20 bb 00 00");
        assertTrue(p.wrap(b, 0, b.length));
        assertTrue(p.findExtension(1));
        assertFalse(p.findExtension(2), "elements after id 15 are ignored");
    }

    @Test
    void otherExtensionProfileIsOpaque() {
        byte[] b = hex("90 60 00 01  00 00 00 01  00 00 00 02  ab cd 00 01  ff ff ff ff  99");
        assertTrue(p.wrap(b, 0, b.length));
        assertEquals(RtpPacket.EXT_OTHER, p.extensionFormat());
        assertEquals(0xabcd, p.extensionProfile());
        assertFalse(p.findExtension(15));
        assertEquals(20, p.headerLength());
        assertEquals(0, p.rewriteExtensionIds(new byte[16]));
        assertEquals((byte) 0xff, b[16], "opaque blocks are never touched");
    }

    @Test
    void padding() {
        byte[] b = hex("a0 60 00 01  00 00 00 01  00 00 00 02  11 22 33  00 00 03");
        assertTrue(p.wrap(b, 0, b.length));
        assertTrue(p.hasPadding());
        assertEquals(3, p.paddingLength());
        assertEquals(3, p.payloadLength());

        byte[] onlyPadding = hex("a0 60 00 01  00 00 00 01  00 00 00 02  00 00 00 04");
        assertTrue(p.wrap(onlyPadding, 0, onlyPadding.length));
        assertEquals(0, p.payloadLength());
    }

    @Test
    void rejectsMalformedWithTypedReasons() {
        assertDrop(RtpDrop.BAD_BUFFER, null, 0, 0);
        assertDrop(RtpDrop.BAD_BUFFER, new byte[12], 4, 12);
        assertDrop(RtpDrop.BAD_BUFFER, new byte[12], -1, 4);
        assertDrop(RtpDrop.TOO_SHORT, hex("80 60 00 01 00 00 00 01 00 00 00"));
        assertDrop(RtpDrop.BAD_VERSION, hex("40 60 00 01  00 00 00 01  00 00 00 02"));
        assertDrop(RtpDrop.TRUNCATED_CSRC, hex("83 60 00 01  00 00 00 01  00 00 00 02  00 00 00 01  00 00 00 02"));
        assertDrop(RtpDrop.TRUNCATED_EXTENSION, hex("90 60 00 01  00 00 00 01  00 00 00 02  be de"));
        assertDrop(RtpDrop.TRUNCATED_EXTENSION, hex("90 60 00 01  00 00 00 01  00 00 00 02  be de 00 02  10 aa 00 00"));
        // one-byte element claims 3 bytes but the block ends after 2
        assertDrop(RtpDrop.BAD_EXTENSION_ELEMENT, hex("90 60 00 01  00 00 00 01  00 00 00 02  be de 00 01  00 00 22 aa"));
        // two-byte element header cut by the end of the block
        assertDrop(RtpDrop.BAD_EXTENSION_ELEMENT, hex("90 60 00 01  00 00 00 01  00 00 00 02  10 00 00 01  00 00 00 07"));
        // two-byte element longer than the block
        assertDrop(RtpDrop.BAD_EXTENSION_ELEMENT, hex("90 60 00 01  00 00 00 01  00 00 00 02  10 00 00 01  07 03 aa bb"));
        assertDrop(RtpDrop.BAD_PADDING, hex("a0 60 00 01  00 00 00 01  00 00 00 02  11 22 33 00"));
        assertDrop(RtpDrop.BAD_PADDING, hex("a0 60 00 01  00 00 00 01  00 00 00 02  11 22 33 05"));
        assertDrop(RtpDrop.BAD_PADDING, hex("a0 60 00 01  00 00 00 01  00 00 00 02"));
        assertEquals(14, drops.total());
        assertEquals(3, drops.get(RtpDrop.BAD_PADDING));
    }

    private void assertDrop(RtpDrop reason, byte[] b) {
        assertDrop(reason, b, 0, b.length);
    }

    private void assertDrop(RtpDrop reason, byte[] b, int off, int len) {
        assertFalse(p.wrap(b, off, len));
        assertEquals(reason, p.drop());
    }

    @Test
    void settersWriteInPlace() {
        byte[] b = hex(OPUS);
        byte[] before = b.clone();
        assertTrue(p.wrap(b, 0, b.length));
        p.setMarker(true);
        p.setPayloadType(100);
        p.setSequenceNumber(65535);
        p.setTimestamp(0xFFFFFFFEL);
        p.setSsrc(0xDEADBEEF);
        assertTrue(p.wrap(b, 0, b.length));
        assertTrue(p.marker());
        assertEquals(100, p.payloadType());
        assertEquals(65535, p.sequenceNumber());
        assertEquals(0xFFFFFFFEL, p.timestamp());
        assertEquals(0xDEADBEEF, p.ssrc());
        p.setMarker(false);
        assertFalse(p.marker());
        assertEquals(100, p.payloadType(), "marker and PT share a byte");
        assertArrayEquals(Arrays.copyOfRange(before, 12, b.length), Arrays.copyOfRange(b, 12, b.length),
                "nothing after the fixed header changed");
    }

    @Test
    void rewritesExtensionIdsInPlace() {
        byte[] b = hex(OPUS);
        assertTrue(p.wrap(b, 0, b.length));
        byte[] idMap = new byte[16];
        idMap[1] = 10; // audio level 1 -> 10
        idMap[2] = 0; // abs-send-time stripped
        idMap[3] = 5; // transport-cc 3 -> 5
        assertEquals(2, p.rewriteExtensionIds(idMap));
        assertTrue(p.wrap(b, 0, b.length), "still a valid packet");
        assertTrue(p.findExtension(10));
        assertEquals(0xba, b[p.extensionValueOffset()] & 0xFF);
        assertTrue(p.findExtension(5));
        assertEquals(0x0700, RtpPacket.u16(b, p.extensionValueOffset()));
        assertFalse(p.findExtension(2));
        assertFalse(p.findExtension(1));
        assertEquals(b.length, p.length(), "length unchanged");
        assertEquals(hex("fc ff fe 01")[0], b[p.payloadOffset()]);
    }

    @Test
    void rewriteStripsIdsTheOneByteFormCannotCarry() {
        byte[] b = hex(OPUS);
        assertTrue(p.wrap(b, 0, b.length));
        byte[] idMap = new byte[4];
        idMap[1] = (byte) 200; // > 14: not representable in one-byte form
        idMap[2] = 2;
        // id 3 is beyond... no, inside the table: map to 0 -> strip
        assertEquals(1, p.rewriteExtensionIds(idMap));
        assertTrue(p.wrap(b, 0, b.length));
        assertTrue(p.findExtension(2));
        assertFalse(p.findExtension(1));
        assertFalse(p.findExtension(3));
    }

    @Test
    void rewriteTwoByteIds() {
        byte[] b = hex("90 60 00 01  00 00 00 01  00 00 00 02"
                + " 10 00 00 02  01 00 00 c8  03 aa bb cc  55");
        assertTrue(p.wrap(b, 0, b.length));
        byte[] idMap = new byte[256];
        idMap[1] = (byte) 250;
        idMap[200] = 0;
        assertEquals(1, p.rewriteExtensionIds(idMap));
        assertTrue(p.wrap(b, 0, b.length));
        assertTrue(p.findExtension(250));
        assertEquals(0, p.extensionValueLength());
        assertFalse(p.findExtension(200));
    }

    @Test
    void removeExtension() {
        byte[] b = hex(OPUS);
        assertTrue(p.wrap(b, 0, b.length));
        assertTrue(p.removeExtension(2));
        assertFalse(p.removeExtension(2));
        assertTrue(p.wrap(b, 0, b.length));
        assertFalse(p.findExtension(2));
        assertTrue(p.findExtension(1));
        assertTrue(p.findExtension(3));
    }

    @Test
    void writerBuildsWhatTheParserReads() {
        byte[] b = new byte[200];
        byte[] payload = {1, 2, 3, 4, 5};
        RtpPacketWriter w = new RtpPacketWriter();
        int len = w.start(b, 3, 190, 96, 1234, 90000L * 5, 0x11223344)
                .marker(true).csrc(77).csrc(78)
                .beginExtensions(false)
                .extension(1, new byte[] {'0'}, 0, 1)
                .extension(2, 0x123456, 3)
                .extension(3, 42, 2)
                .payload(payload, 0, payload.length)
                .finish(4);
        assertTrue(p.wrap(b, 3, len));
        assertEquals(96, p.payloadType());
        assertTrue(p.marker());
        assertEquals(1234, p.sequenceNumber());
        assertEquals(450000, p.timestamp());
        assertEquals(0x11223344, p.ssrc());
        assertEquals(2, p.csrcCount());
        assertEquals(78, p.csrc(1));
        assertTrue(p.findExtension(2));
        assertEquals(0x123456, (RtpPacket.u16(b, p.extensionValueOffset()) << 8) | (b[p.extensionValueOffset() + 2] & 0xFF));
        assertTrue(p.findExtension(3));
        assertEquals(42, RtpPacket.u16(b, p.extensionValueOffset()));
        assertEquals(5, p.payloadLength());
        assertEquals(4, p.paddingLength());
        assertEquals(3, b[p.payloadOffset() + 2]);

        len = w.start(b, 0, 200, 97, 1, 2, 3).beginExtensions(true)
                .extension(100, new byte[0], 0, 0).extension(7, 0xABCD, 2).finish();
        assertTrue(p.wrap(b, 0, len));
        assertEquals(RtpPacket.EXT_TWO_BYTE, p.extensionFormat());
        assertTrue(p.findExtension(100));
        assertEquals(0, p.extensionValueLength());
        assertTrue(p.findExtension(7));
        assertEquals(0, p.payloadLength());

        assertThrows(IllegalArgumentException.class, () -> w.start(b, 0, 200, 97, 1, 2, 3).beginExtensions(false).extension(15, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> w.start(b, 0, 14, 97, 1, 2, 3).payload(payload, 0, 5));
        assertThrows(IllegalStateException.class, () -> w.start(b, 0, 200, 97, 1, 2, 3).payload(payload, 0, 1).csrc(1));
    }
}
