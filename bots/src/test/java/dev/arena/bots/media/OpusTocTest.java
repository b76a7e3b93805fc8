package dev.arena.bots.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 6716 section 3.1, table 2 and figure 2-4: every configuration and every frame-count code. */
class OpusTocTest {
    /** Frame durations in tenths of a millisecond, by configuration 0..31, as table 2 lists them. */
    private static final int[] TENTHS_OF_MS = {
        100, 200, 400, 600, 100, 200, 400, 600, 100, 200, 400, 600, // SILK NB, MB, WB
        100, 200, 100, 200, // hybrid SWB, FB
        25, 50, 100, 200, 25, 50, 100, 200, 25, 50, 100, 200, 25, 50, 100, 200, // CELT NB, WB, SWB, FB
    };

    @Test
    void frameSizeOfEveryConfiguration() {
        for (int config = 0; config < 32; config++) {
            for (int stereo = 0; stereo < 2; stereo++) {
                int toc = config << 3 | stereo << 2;
                assertEquals(TENTHS_OF_MS[config] * 48 / 10, OpusToc.frameSamples(toc), "config " + config);
            }
        }
    }

    @Test
    void frameCountOfEveryCode() {
        for (int config = 0; config < 32; config++) {
            int frame = TENTHS_OF_MS[config] * 48 / 10;
            int toc = config << 3;
            assertEquals(frame, OpusToc.packetSamples(new byte[] {(byte) toc}, 0, 1), "code 0: one frame");
            assertEquals(2 * frame, OpusToc.packetSamples(new byte[] {(byte) (toc | 1), 0}, 0, 2), "code 1: two");
            assertEquals(2 * frame, OpusToc.packetSamples(new byte[] {(byte) (toc | 2), 0}, 0, 2), "code 2: two");
            for (int m = 1; m <= 48; m++) {
                // Code 3: M frames, with the VBR and padding flags set to show they do not count.
                byte[] packet = {(byte) (toc | 3), (byte) (0xC0 | m)};
                int expected = m * frame <= 5760 ? m * frame : -1;
                assertEquals(expected, OpusToc.packetSamples(packet, 0, 2), "config " + config + ", M " + m);
            }
        }
    }

    @Test
    void invalidPackets() {
        assertEquals(-1, OpusToc.packetSamples(new byte[0], 0, 0), "empty");
        assertEquals(-1, OpusToc.packetSamples(new byte[] {3}, 0, 1), "code 3 without its count byte");
        assertEquals(-1, OpusToc.packetSamples(new byte[] {3, 0}, 0, 2), "code 3 with zero frames");
        assertEquals(5760, OpusToc.packetSamples(new byte[] {(byte) (3 << 3 | 1)}, 0, 1), "120 ms: the most allowed");
    }

    @Test
    void readsAtAnOffset() {
        byte[] buf = {0, 0, (byte) (31 << 3 | 3), 6};
        assertEquals(6 * 960, OpusToc.packetSamples(buf, 2, 2));
    }
}
