package dev.arena.sfu.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtp.RtpPacket;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AudioLevelTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void decodesAndEncodesTheByte() {
        AudioLevel l = AudioLevel.of(0xba); // Chrome: V=1, level 58
        assertEquals(58, l.level());
        assertTrue(l.voice());
        assertEquals(0xba, l.toByte());
        assertEquals(new AudioLevel(127, false), AudioLevel.of(0x7f));
        assertEquals(0, AudioLevel.level(0x80));
        assertFalse(AudioLevel.voice(0x7f));
        assertThrows(IllegalArgumentException.class, () -> new AudioLevel(128, false));
        assertThrows(IllegalArgumentException.class, () -> new AudioLevel(-1, true));
    }

    @Test
    void energyIsLinearPowerAndSilenceIsZero() {
        assertEquals(1.0, AudioLevel.energy(0), 1e-12);
        assertEquals(0.1, AudioLevel.energy(10), 1e-12);
        assertEquals(1e-3, new AudioLevel(30, true).energy(), 1e-15);
        assertEquals(0.0, AudioLevel.energy(127));
        for (int i = 1; i < 127; i++) {
            assertTrue(AudioLevel.energy(i) < AudioLevel.energy(i - 1));
        }
    }

    @Test
    void readsFromOneByteAndTwoByteExtensions() {
        RtpPacket p = new RtpPacket();
        // one-byte form: audio level id 1 (V=1, 58), abs-send-time id 2, transport-cc id 3
        byte[] one = hex("906f4a5b 0000d2f0 12345678 bede0003 10ba2201 02033107 00000000 fcfffe01");
        assertTrue(p.wrap(one, 0, one.length));
        assertEquals(0xba, AudioLevel.read(p, 1));
        assertEquals(-1, AudioLevel.read(p, 5));
        // two-byte form: id 7, length 1, value 0x21 (V=0, level 33), padded
        byte[] two = hex("906f4a5b 0000d2f0 12345678 10000001 07012100 fcfffe01");
        assertTrue(p.wrap(two, 0, two.length));
        assertEquals(33, AudioLevel.level(AudioLevel.read(p, 7)));
        assertFalse(AudioLevel.voice(AudioLevel.read(p, 7)));
        // no extension block at all
        byte[] none = hex("806f4a5b 0000d2f0 12345678 fcfffe01");
        assertTrue(p.wrap(none, 0, none.length));
        assertEquals(-1, AudioLevel.read(p, 1));
    }
}
