package dev.arena.bots.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.codec.Vp8;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaSourcesTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void videoLoopsWithIncreasingTimesAndIntactFrames() {
        MediaSource source = MediaSources.sampleVideo();
        assertEquals("VP8", source.codec());
        assertEquals(90_000, source.clockRate());
        assertEquals(1, source.channels());
        MediaFile file = ((FileVideoSource) source).file();
        int frames = 3 * file.frameCount();
        long previousTimestamp = -1;
        long previousSendAt = -1;
        MediaPacket packet = source.next();
        for (int f = 0; f < frames; f++) {
            int loop = f / file.frameCount();
            int inFile = f % file.frameCount();
            assertTrue(Vp8.isFrameStart(packet.payload(), 0, packet.length()), "frame " + f + " starts");
            assertEquals(file.isKeyframe(inFile), Vp8.isKeyframeStart(packet.payload(), 0, packet.length()));
            long timestamp = packet.rtpTimestamp();
            long sendAt = packet.sendAtNanos();
            assertTrue(timestamp > previousTimestamp && sendAt > previousSendAt, "frame " + f + " is later");
            assertEquals(loop * 450_000L + inFile * 3000L, timestamp, "the next loop starts one frame later");
            assertEquals(timestamp * SECOND / 90_000, sendAt);
            int pictureId = (packet.payload()[2] & 0x7F) << 8 | packet.payload()[3] & 0xFF;
            assertEquals(f, pictureId, "the PictureID counts frames, across loops too");
            ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
            boolean keyframe = packet.keyframe();
            assertEquals(file.isKeyframe(inFile), keyframe);
            for (int payloads = 1; ; payloads++) {
                assertTrue(payloads < 10_000, "no marker");
                assertTrue(packet.length() <= Vp8Packetizer.DEFAULT_MAX_PAYLOAD_BYTES);
                assertEquals(timestamp, packet.rtpTimestamp(), "all payloads of a frame share its timestamp");
                assertEquals(sendAt, packet.sendAtNanos(), "and its send time");
                assertEquals(keyframe, packet.keyframe());
                reassembled.write(packet.payload(), 4, packet.length() - 4);
                boolean last = packet.marker();
                packet = source.next();
                assertEquals(last, Vp8.isFrameStart(packet.payload(), 0, packet.length()),
                        "the marker is on the frame's last payload");
                if (last) {
                    break;
                }
            }
            assertArrayEquals(file.copyOfFrame(inFile), reassembled.toByteArray(), "frame " + f);
            previousTimestamp = timestamp;
            previousSendAt = sendAt;
        }
    }

    @Test
    void audioLoopsWithIncreasingTimes() {
        MediaSource source = MediaSources.sampleAudio();
        assertEquals("opus", source.codec());
        assertEquals(48_000, source.clockRate());
        assertEquals(2, source.channels());
        MediaFile file = ((FileAudioSource) source).file();
        long previousSendAt = -1;
        for (int i = 0; i < 3 * file.frameCount(); i++) {
            MediaPacket p = source.next();
            assertEquals(i * 960L, p.rtpTimestamp(), "20 ms packets, continuing across loops");
            assertTrue(p.sendAtNanos() > previousSendAt);
            assertEquals(i * 20_000_000L, p.sendAtNanos());
            assertFalse(p.marker());
            assertFalse(p.keyframe());
            byte[] expected = file.copyOfFrame(i % file.frameCount());
            assertArrayEquals(expected, Arrays.copyOf(p.payload(), p.length()));
            previousSendAt = p.sendAtNanos();
        }
    }

    @Test
    void sourcesShareTheFileAndKeepTheirOwnPosition() {
        FileVideoSource a = (FileVideoSource) MediaSources.sampleVideo();
        FileVideoSource b = (FileVideoSource) MediaSources.sampleVideo();
        assertSame(a.file(), b.file(), "read once");
        for (int i = 0; i < 100; i++) {
            a.next();
        }
        MediaPacket first = b.next();
        assertEquals(0, first.rtpTimestamp());
        assertTrue(first.keyframe());
        assertSame(((FileAudioSource) MediaSources.sampleAudio()).file(),
                ((FileAudioSource) MediaSources.sampleAudio()).file());
    }

    @Test
    void filesFromPaths(@TempDir Path dir) throws IOException {
        Path ivf = dir.resolve("clip.ivf");
        Files.write(ivf, TestMedia.ivf("VP80", 1, 30, List.of(TestMedia.vp8Frame(3000, true),
                TestMedia.vp8Frame(500, false)), new long[] {0, 1}));
        MediaSource video = MediaSources.video(ivf);
        assertEquals(MediaKind.VIDEO, video.kind());
        assertEquals(3, countUntilMarker(video), "3000 bytes in three payloads");
        assertSame(MediaFile.video(ivf), MediaFile.video(dir.resolve("./clip.ivf")), "cached by path");

        Path ogg = dir.resolve("clip.ogg");
        Files.write(ogg, TestMedia.oggOpus(List.of(OggOpusReaderTest.opus(80, 1)), 255));
        MediaSource audio = MediaSources.audio(ogg);
        assertEquals(80, audio.next().length());
        assertEquals(960, audio.next().rtpTimestamp(), "one packet, looping");

        Path bad = dir.resolve("bad.ivf");
        Files.write(bad, TestMedia.resource(MediaSources.SAMPLE_AUDIO));
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> MediaSources.video(bad));
        assertEquals(bad + ": not an IVF file (no DKIF signature)", e.getMessage());
        assertThrows(MediaFormatException.class, () -> MediaSources.audio(ivf));
        assertThrows(NoSuchFileException.class, () -> MediaSources.video(dir.resolve("missing.ivf")));
    }

    @Test
    void syntheticVideoMeetsItsBitrate() {
        for (long bps : new long[] {100_000, 1_000_000, 2_500_000}) {
            MediaSource source = MediaSources.synthetic(MediaKind.VIDEO, bps);
            long payloadBytes = 0;
            long frameBytes = 0;
            List<Long> keyframeTimes = new ArrayList<>();
            int frames = 0;
            int keyframeSize = 0;
            int deltaSize = 0;
            int frameSize = 0;
            int packets = 0;
            for (MediaPacket p = source.next(); p.sendAtNanos() < 60 * SECOND; p = source.next()) {
                assertTrue(++packets < 1_000_000, "60 s never comes");
                assertTrue(p.length() <= Vp8Packetizer.DEFAULT_MAX_PAYLOAD_BYTES);
                payloadBytes += p.length();
                frameBytes += p.length() - Vp8Packetizer.DESCRIPTOR_BYTES;
                frameSize += p.length() - Vp8Packetizer.DESCRIPTOR_BYTES;
                if (Vp8.isFrameStart(p.payload(), 0, p.length())) {
                    frames++;
                    assertEquals(Vp8.isKeyframeStart(p.payload(), 0, p.length()), p.keyframe());
                    if (p.keyframe()) {
                        keyframeTimes.add(p.sendAtNanos());
                    }
                }
                if (p.marker()) {
                    if (p.keyframe()) {
                        keyframeSize = frameSize;
                    } else {
                        deltaSize = frameSize;
                    }
                    frameSize = 0;
                }
            }
            double seconds = 60;
            assertEquals(bps, payloadBytes * 8 / seconds, bps * 0.05, "payload bitrate at " + bps);
            assertEquals(bps * 60 / 8, frameBytes, "frame bytes add up exactly");
            assertEquals(1800, frames, "30 fps");
            assertEquals(30, keyframeTimes.size());
            for (int k = 0; k < keyframeTimes.size(); k++) {
                assertEquals(2 * k * SECOND, keyframeTimes.get(k), "a keyframe every 2 s");
            }
            assertTrue(keyframeSize >= SyntheticMedia.KEYFRAME_SIZE_RATIO * deltaSize,
                    keyframeSize + " vs " + deltaSize);
        }
    }

    @Test
    void syntheticAudioMeetsItsBitrate() {
        for (long bps : new long[] {6_000, 24_000, 48_000, 510_000}) {
            MediaSource source = MediaSources.synthetic(MediaKind.AUDIO, bps);
            long bytes = 0;
            int packets = 0;
            for (MediaPacket p = source.next(); p.sendAtNanos() < 60 * SECOND; p = source.next()) {
                assertTrue(packets < 1_000_000, "60 s never comes");
                assertEquals(960, OpusToc.packetSamples(p.payload(), 0, p.length()), "a valid 20 ms Opus TOC");
                assertEquals(packets * 960L, p.rtpTimestamp());
                int expected = (int) (bps / 400);
                assertTrue(Math.abs(p.length() - expected) <= 1, p.length() + " bytes at " + bps);
                bytes += p.length();
                packets++;
            }
            assertEquals(3000, packets);
            assertEquals(bps, bytes * 8 / 60.0, bps * 0.05, "bitrate at " + bps);
        }
    }

    @Test
    void syntheticRejectsImpossibleBitrates() {
        assertThrows(IllegalArgumentException.class, () -> MediaSources.synthetic(MediaKind.VIDEO, 10_000));
        assertThrows(IllegalArgumentException.class, () -> MediaSources.synthetic(MediaKind.AUDIO, 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> SyntheticMedia.video(1_000_000, 0));
    }

    /** On the steady path next() copies into its reused buffer: the only allocation is the MediaPacket record. */
    @Test
    void nextAllocatesOnlyThePacketRecord() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (MediaSource source : List.of(MediaSources.sampleVideo(), MediaSources.sampleAudio(),
                MediaSources.synthetic(MediaKind.VIDEO, 1_000_000))) {
            long sum = 0;
            for (int i = 0; i < 200_000; i++) { // warm up, and loop the file a few times
                sum += source.next().length();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            int n = 200_000;
            for (int i = 0; i < n; i++) {
                sum += source.next().length();
            }
            long perPacket = (threads.getCurrentThreadAllocatedBytes() - before) / n;
            assertNotEquals(0, sum);
            assertTrue(perPacket <= 48, source + ": " + perPacket + " bytes per packet");
        }
    }

    private static int countUntilMarker(MediaSource source) {
        int n = 1;
        while (!source.next().marker()) {
            assertTrue(++n < 10_000, "no marker");
        }
        return n;
    }
}
