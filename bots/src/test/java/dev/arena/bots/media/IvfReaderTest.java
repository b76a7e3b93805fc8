package dev.arena.bots.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.testing.Fuzz;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IvfReaderTest {
    @Test
    void readsTheSample() throws IOException {
        IvfReader reader = new IvfReader(new ByteArrayInputStream(TestMedia.resource(MediaSources.SAMPLE_VIDEO)),
                "sample");
        assertEquals(640, reader.width());
        assertEquals(360, reader.height());
        assertEquals(1, reader.timebaseNumerator());
        assertEquals(30, reader.timebaseDenominator());
        List<Integer> keyframes = new ArrayList<>();
        int frames = 0;
        for (IvfReader.Frame f; (f = reader.next()) != null; frames++) {
            assertEquals(frames, f.pts(), "pts counts frames at 1/30 s");
            if (Vp8Packetizer.isKeyframe(f.data())) {
                keyframes.add(frames);
            }
        }
        assertEquals(150, frames, "5 s at 30 fps");
        assertEquals(List.of(0, 60, 120), keyframes, "a keyframe every 2 s");
    }

    @Test
    void sampleAsMediaFile() {
        MediaFile file = MediaFile.resource(MediaKind.VIDEO, MediaSources.SAMPLE_VIDEO);
        assertEquals(150, file.frameCount());
        assertEquals(5 * 90_000, file.duration(), "149 frame intervals plus one");
        assertEquals(3000, file.timestamp(1));
        assertEquals(60 * 3000, file.timestamp(60));
        assertTrue(file.isKeyframe(60) && !file.isKeyframe(61));
        double bps = file.bitsPerSecond();
        assertTrue(bps > 800_000 && bps < 1_200_000, "about 1 Mbit/s: " + bps);
    }

    @Test
    void rejectsAWrongSignature() {
        byte[] file = ivf(List.of(TestMedia.vp8Frame(10, true)));
        file[0] = 'X';
        assertMessage("not an IVF file", file);
        assertMessage("not an IVF file", "RIFF....WEBPVP8 ".getBytes());
    }

    @Test
    void rejectsOtherCodecs() {
        byte[] file = TestMedia.ivf("VP90", 1, 30, List.of(TestMedia.vp8Frame(10, true)), new long[] {0});
        assertMessage("'VP90', not VP80", file);
    }

    @Test
    void rejectsTruncation() {
        byte[] file = ivf(List.of(TestMedia.vp8Frame(100, true), TestMedia.vp8Frame(50, false)));
        assertMessage("truncated IVF file header", Arrays.copyOf(file, 20));
        assertMessage("truncated header of frame 1", Arrays.copyOf(file, 32 + 12 + 100 + 5));
        assertMessage("truncated frame 1 at offset 144 (10 of 50 bytes)", Arrays.copyOf(file, file.length - 40));
        assertMessage("no frames", Arrays.copyOf(file, 32));
    }

    @Test
    void rejectsAbsurdSizes() {
        byte[] file = ivf(List.of(TestMedia.vp8Frame(100, true)));
        file[32 + 3] = (byte) 0x7F; // the size field's top byte
        assertMessage("over the limit of 4194304", file);
        byte[] empty = ivf(List.of(TestMedia.vp8Frame(100, true), new byte[0]));
        assertMessage("frame 1 at offset 144 is empty", empty);
    }

    @Test
    void rejectsTimestampsThatDoNotIncrease() {
        List<byte[]> frames = List.of(TestMedia.vp8Frame(10, true), TestMedia.vp8Frame(10, false));
        assertMessage("frame 1 has pts 0, not after", TestMedia.ivf("VP80", 1, 30, frames, new long[] {0, 0}));
        assertMessage("the first frame is not a keyframe",
                TestMedia.ivf("VP80", 1, 30, List.of(TestMedia.vp8Frame(10, false)), new long[] {0}));
    }

    @Test
    void convertsAnyTimebaseTo90kHz() throws IOException {
        List<byte[]> frames = List.of(TestMedia.vp8Frame(10, true), TestMedia.vp8Frame(10, false),
                TestMedia.vp8Frame(10, false));
        // Milliseconds, starting at an offset, 40 ms apart (25 fps).
        byte[] file = TestMedia.ivf("VP80", 1, 1000, frames, new long[] {1000, 1040, 1080});
        MediaFile media = MediaFile.readIvf(new ByteArrayInputStream(file), "ms");
        assertEquals(0, media.timestamp(0));
        assertEquals(3600, media.timestamp(1));
        assertEquals(7200, media.timestamp(2));
        assertEquals(10_800, media.duration());
    }

    @Test
    void skipsALongerHeader() throws IOException {
        byte[] file = ivf(List.of(TestMedia.vp8Frame(10, true)));
        byte[] longer = new byte[file.length + 8];
        System.arraycopy(file, 0, longer, 0, 32);
        System.arraycopy(file, 32, longer, 40, file.length - 32);
        longer[6] = 40;
        assertEquals(1, MediaFile.readIvf(new ByteArrayInputStream(longer), "longer").frameCount());
        longer[6] = 16;
        assertMessage("IVF header size 16 is not in [32, 1024]", longer);
    }

    @Test
    void readsToTheEndAndStops() throws IOException {
        IvfReader reader = new IvfReader(new ByteArrayInputStream(ivf(List.of(TestMedia.vp8Frame(10, true)))), "one");
        assertEquals(10, reader.next().data().length);
        assertNull(reader.next());
    }

    /** Mutated and random files either read or fail with a MediaFormatException; nothing else escapes. */
    @Test
    void fuzzedFilesFailCleanly() {
        byte[] seed = ivf(List.of(TestMedia.vp8Frame(40, true), TestMedia.vp8Frame(12, false),
                TestMedia.vp8Frame(30, false)));
        Fuzz.bytes(List.of(seed), 512, input -> {
            try {
                MediaFile.readIvf(new ByteArrayInputStream(input), "fuzz");
            } catch (MediaFormatException expected) {
                // a clear message is all we ask
            } catch (IOException e) {
                throw new AssertionError("not a format error", e);
            }
        });
    }

    private static byte[] ivf(List<byte[]> frames) {
        long[] pts = new long[frames.size()];
        Arrays.setAll(pts, i -> i);
        return TestMedia.ivf("VP80", 1, 30, frames, pts);
    }

    private static void assertMessage(String expected, byte[] file) {
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> MediaFile.readIvf(new ByteArrayInputStream(file), "test.ivf"));
        assertTrue(e.getMessage().startsWith("test.ivf: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
