package dev.arena.bots.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.testing.Fuzz;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OggOpusReaderTest {
    @Test
    void readsTheSample() throws IOException {
        OggOpusReader reader = new OggOpusReader(
                new ByteArrayInputStream(TestMedia.resource(MediaSources.SAMPLE_AUDIO)), "sample");
        assertEquals(2, reader.channels());
        assertEquals(312, reader.preSkip(), "libopus's encoder delay at 48 kHz");
        int packets = 0;
        for (OggOpusReader.Packet p; (p = reader.next()) != null; packets++) {
            assertEquals(960, p.samples(), "20 ms frames");
            assertEquals(120, p.data().length, "constant 48 kbit/s: 120 bytes per 20 ms");
        }
        // 5 s plus the 312-sample encoder delay, in whole 20 ms packets (ffprobe counts 251 too).
        assertEquals(251, packets);
    }

    @Test
    void sampleAsMediaFile() {
        MediaFile file = MediaFile.resource(MediaKind.AUDIO, MediaSources.SAMPLE_AUDIO);
        assertEquals(251, file.frameCount());
        assertEquals(251 * 960, file.duration());
        assertEquals(960 * 100, file.timestamp(100));
        assertEquals(48_000, file.bitsPerSecond(), 1);
    }

    @Test
    void reassemblesPacketsAcrossPages() throws IOException {
        // Pages of at most 3 segments: a 1000-byte packet spans two pages; 255 and 510 bytes end in a 0 lacing value.
        List<byte[]> packets = List.of(opus(1000, 0), opus(255, 1), opus(510, 2), opus(3, 3), opus(700, 4));
        OggOpusReader reader = new OggOpusReader(new ByteArrayInputStream(TestMedia.oggOpus(packets, 3)), "pages");
        for (byte[] expected : packets) {
            assertArrayEquals(expected, reader.next().data());
        }
        assertNull(reader.next());
    }

    @Test
    void takesDurationsFromEachTocByte() throws IOException {
        List<byte[]> packets = List.of(
                new byte[] {(byte) (2 << 3)}, // SILK 40 ms
                new byte[] {(byte) (3 << 3)}, // SILK 60 ms
                new byte[] {(byte) (18 << 3)}, // CELT 10 ms
                new byte[] {(byte) (19 << 3 | 3), 3}, // CELT 20 ms, code 3, three frames
                new byte[] {(byte) (16 << 3 | 2), 1, 0}); // CELT 2.5 ms, code 2: two frames
        MediaFile file = MediaFile.readOggOpus(new ByteArrayInputStream(TestMedia.oggOpus(packets, 255)), "toc");
        assertEquals(List.of(0L, 1920L, 4800L, 5280L, 8160L), timestamps(file));
        assertEquals(8160 + 2 * 120, file.duration(), "the last packet lasts 5 ms");
    }

    @Test
    void ignoresOtherLogicalStreams() throws IOException {
        byte[] opus = TestMedia.oggOpus(List.of(opus(50, 1), opus(60, 2)), 255);
        byte[] other = new TestMedia.OggWriter(99, 255).packet("\u0001vorbis".getBytes(StandardCharsets.US_ASCII))
                .flush().packet(new byte[70]).finish();
        // Interleave: the Opus BOS page, the other stream's pages, the rest of the Opus pages.
        int firstPage = pageLength(opus, 0);
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.write(opus, 0, firstPage);
        mixed.writeBytes(other);
        mixed.write(opus, firstPage, opus.length - firstPage);
        MediaFile file = MediaFile.readOggOpus(new ByteArrayInputStream(mixed.toByteArray()), "mixed");
        assertEquals(2, file.frameCount());
        assertEquals(60, file.frameLength(1));
    }

    @Test
    void rejectsNonOgg() {
        assertMessage("not an Ogg file", "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII));
        assertMessage("not an Ogg file", TestMedia.resource(MediaSources.SAMPLE_VIDEO));
        assertMessage("empty file", new byte[0]);
    }

    @Test
    void rejectsNonOpus() {
        byte[] vorbis = new TestMedia.OggWriter(7, 255).packet("\u0001vorbis....".getBytes(StandardCharsets.US_ASCII))
                .finish();
        assertMessage("not Opus (its first packet is not OpusHead)", vorbis);
        byte[] noTags = new TestMedia.OggWriter(7, 255).packet(TestMedia.opusHead(2)).flush().packet(opus(20, 0))
                .finish();
        assertMessage("no OpusTags", noTags);
    }

    @Test
    void rejectsTruncationAndCorruption() {
        byte[] file = TestMedia.oggOpus(List.of(opus(1000, 0), opus(100, 1)), 2);
        assertMessage("truncated page at offset", Arrays.copyOf(file, file.length - 10));
        assertMessage("truncated page header", Arrays.copyOf(file, pageOffsets(file).get(3) + 10));
        // Cut at a page boundary in the middle of the 1000-byte packet.
        assertMessage("the last packet continues past the end", Arrays.copyOf(file, pageOffsets(file).get(3)));
        byte[] corrupt = file.clone();
        corrupt[corrupt.length - 1] ^= 1;
        assertMessage("fails its CRC check", corrupt);
        byte[] lostSync = file.clone();
        lostSync[pageOffsets(file).get(2)] = 'X';
        assertMessage("lost page sync", lostSync);
    }

    @Test
    void rejectsBrokenContinuations() {
        // Pages of 2 segments: head, tags, the 1000-byte packet on pages 2 and 3, the 100-byte one on page 4.
        byte[] file = TestMedia.oggOpus(List.of(opus(1000, 0), opus(100, 1)), 2);
        List<Integer> pages = pageOffsets(file);
        byte[] notContinued = file.clone();
        notContinued[pages.get(3) + 5] &= ~1;
        assertMessage("does not continue the unfinished packet", TestMedia.fixCrcs(notContinued));
        byte[] strayContinued = file.clone();
        strayContinued[pages.get(4) + 5] |= 1;
        assertMessage("continues a packet that no page started", TestMedia.fixCrcs(strayContinued));
    }

    @Test
    void rejectsInvalidOpusPackets() {
        byte[] codeThreeWithoutCount = {(byte) 0x03};
        assertMessage("audio packet 1 (1 bytes) is not a valid Opus packet",
                TestMedia.oggOpus(List.of(opus(10, 0), codeThreeWithoutCount), 255));
        byte[] tooLong = {(byte) (3 << 3 | 3), 3}; // three 60 ms frames: 180 ms
        assertMessage("not a valid Opus packet", TestMedia.oggOpus(List.of(tooLong), 255));
        assertMessage("no audio packets", TestMedia.oggOpus(List.of(), 255));
    }

    @Test
    void rejectsAbsurdPackets() {
        assertMessage("is over 65536 bytes", TestMedia.oggOpus(List.of(opus(70_000, 0)), 255));
    }

    /** Mutated files (CRCs fixed up so mutations get past the check) read or fail with a MediaFormatException. */
    @Test
    void fuzzedFilesFailCleanly() {
        byte[] seed = TestMedia.oggOpus(List.of(opus(300, 0), opus(20, 1), opus(5, 2)), 2);
        Fuzz.bytes(List.of(seed), 2048, input -> TestMedia.fixCrcs(input), input -> {
            try {
                MediaFile.readOggOpus(new ByteArrayInputStream(input), "fuzz");
            } catch (MediaFormatException expected) {
                // a clear message is all we ask
            } catch (IOException e) {
                throw new AssertionError("not a format error", e);
            }
        });
    }

    /** A 20 ms CELT packet (config 31, code 0) of this size, its bytes marked by {@code tag}. */
    static byte[] opus(int size, int tag) {
        byte[] p = new byte[size];
        Arrays.fill(p, (byte) tag);
        p[0] = (byte) (31 << 3);
        return p;
    }

    private static List<Long> timestamps(MediaFile file) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < file.frameCount(); i++) {
            out.add(file.timestamp(i));
        }
        return out;
    }

    private static int pageLength(byte[] file, int off) {
        int n = file[off + 26] & 0xFF;
        int len = 27 + n;
        for (int i = 0; i < n; i++) {
            len += file[off + 27 + i] & 0xFF;
        }
        return len;
    }

    private static List<Integer> pageOffsets(byte[] file) {
        List<Integer> out = new ArrayList<>();
        for (int off = 0; off < file.length; off += pageLength(file, off)) {
            out.add(off);
        }
        return out;
    }

    private static void assertMessage(String expected, byte[] file) {
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> MediaFile.readOggOpus(new ByteArrayInputStream(file), "test.ogg"));
        assertTrue(e.getMessage().startsWith("test.ogg: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
