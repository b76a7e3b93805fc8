package dev.arena.bots.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.codec.Vp8;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class Vp8PacketizerTest {
    private static final MediaFile SAMPLE = MediaFile.resource(MediaKind.VIDEO, MediaSources.SAMPLE_VIDEO);

    @Test
    void everyPayloadParsesAndFramesReassemble() {
        for (int limit : new int[] {1200, 500, 5}) {
            Vp8Packetizer packetizer = new Vp8Packetizer(limit);
            byte[] out = new byte[limit];
            int pictureId = 32_700; // wraps within the sample
            for (int f = 0; f < SAMPLE.frameCount(); f++) {
                byte[] frame = SAMPLE.copyOfFrame(f);
                int count = packetizer.payloadCount(frame.length);
                ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
                int smallest = Integer.MAX_VALUE;
                int largest = 0;
                for (int i = 0; i < count; i++) {
                    int len = packetizer.write(frame, frame.length, i, count, pictureId, out);
                    assertTrue(len <= limit, "payload of " + len + " bytes over " + limit);
                    assertEquals(i == 0, Vp8.isFrameStart(out, 0, len), "frame start only on the first");
                    assertEquals(i == 0 && SAMPLE.isKeyframe(f), Vp8.isKeyframeStart(out, 0, len));
                    int start = Vp8.payloadStart(out, 0, len);
                    assertEquals(Vp8Packetizer.DESCRIPTOR_BYTES, start);
                    assertEquals(pictureId, (out[2] & 0x7F) << 8 | out[3] & 0xFF, "15-bit PictureID");
                    assertTrue((out[2] & 0x80) != 0, "M: the long PictureID");
                    reassembled.write(out, start, len - start);
                    smallest = Math.min(smallest, len);
                    largest = Math.max(largest, len);
                }
                assertArrayEquals(frame, reassembled.toByteArray(), "frame " + f + " with limit " + limit);
                assertTrue(largest - smallest <= 1, "payloads are even: " + smallest + ".." + largest);
                assertEquals((frame.length + limit - 5) / (limit - 4), count, "no more payloads than needed");
                pictureId = Vp8Packetizer.nextPictureId(pictureId);
            }
        }
    }

    @Test
    void sampleHasKeyframesEveryTwoSeconds() {
        for (int f = 0; f < SAMPLE.frameCount(); f++) {
            assertEquals(f % 60 == 0, SAMPLE.isKeyframe(f), "frame " + f);
        }
    }

    @Test
    void pictureIdWrapsAt15Bits() {
        assertEquals(0, Vp8Packetizer.nextPictureId(0x7FFF));
        assertEquals(1, Vp8Packetizer.nextPictureId(0));
    }

    @Test
    void rejectsImpossibleLimits() {
        assertThrows(IllegalArgumentException.class, () -> new Vp8Packetizer(4));
        assertThrows(IllegalArgumentException.class, () -> new Vp8Packetizer().payloadCount(0));
        assertFalse(Vp8Packetizer.isKeyframe(new byte[0]));
    }
}
