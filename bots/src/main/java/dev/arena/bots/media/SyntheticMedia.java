package dev.arena.bots.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Media made up without a file, for load at a chosen bitrate: packets of realistic sizes and timing, filled with
 * random bytes. Not decodable, but every frame starts as a real one does, so a receiver's parsing works: VP8 frames
 * have a valid frame tag (a keyframe also the start code and a 640x360 size), Opus packets a valid TOC byte (CELT,
 * fullband, 20 ms, stereo). One loop is short (video: one keyframe interval; audio: one second) and shared by every
 * source, which plays it as it plays a file ({@link FileVideoSource}, {@link FileAudioSource}).
 */
public final class SyntheticMedia {
    public static final int DEFAULT_FPS = 30;
    public static final int KEYFRAME_INTERVAL_SECONDS = 2;
    /** A keyframe is this many times a delta frame, roughly as a WebRTC VP8 encoder on a camera makes them. */
    public static final int KEYFRAME_SIZE_RATIO = 5;
    public static final long MIN_VIDEO_BPS = 50_000;
    public static final long MAX_VIDEO_BPS = 100_000_000;
    /** Opus's range (RFC 6716 section 2.1.1). */
    public static final long MIN_AUDIO_BPS = 6_000;
    public static final long MAX_AUDIO_BPS = 510_000;
    static final int AUDIO_FRAME_SAMPLES = 960;
    static final int OPUS_TOC_CELT_FB_20MS_STEREO = 31 << 3 | 0x04;
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;

    private SyntheticMedia() {
    }

    public static MediaFile video(long bitsPerSecond) {
        return video(bitsPerSecond, DEFAULT_FPS);
    }

    /**
     * One keyframe interval of VP8 at this bitrate and frame rate: a keyframe {@link #KEYFRAME_SIZE_RATIO} times the
     * size of each following delta frame, the sizes adding up to the bitrate exactly (to the byte).
     */
    public static MediaFile video(long bitsPerSecond, int fps) {
        if (bitsPerSecond < MIN_VIDEO_BPS || bitsPerSecond > MAX_VIDEO_BPS) {
            throw new IllegalArgumentException("synthetic video bitrate " + bitsPerSecond + " bit/s is not in ["
                    + MIN_VIDEO_BPS + ", " + MAX_VIDEO_BPS + "]");
        }
        if (fps < 1 || fps > 120) {
            throw new IllegalArgumentException("synthetic video frame rate " + fps + " is not in [1, 120]");
        }
        return cached("synthetic:video:" + bitsPerSecond + ":" + fps, () -> {
            int frameCount = fps * KEYFRAME_INTERVAL_SECONDS;
            long loopBytes = bitsPerSecond * KEYFRAME_INTERVAL_SECONDS / 8;
            long delta = loopBytes / (frameCount - 1 + KEYFRAME_SIZE_RATIO);
            long key = loopBytes - delta * (frameCount - 1);
            Random random = new Random(bitsPerSecond);
            List<byte[]> frames = new ArrayList<>();
            long[] timestamps = new long[frameCount];
            for (int i = 0; i < frameCount; i++) {
                frames.add(vp8Frame(random, (int) (i == 0 ? key : delta), i == 0));
                timestamps[i] = (long) i * MediaFile.VIDEO_CLOCK_RATE / fps;
            }
            String name = "synthetic VP8 " + bitsPerSecond / 1000 + " kbit/s " + fps + " fps";
            return new MediaFile(MediaKind.VIDEO, name, frames, timestamps,
                    (long) KEYFRAME_INTERVAL_SECONDS * MediaFile.VIDEO_CLOCK_RATE);
        });
    }

    /** One second of 20 ms Opus packets of bitrate*20ms/8 bytes (spread so the second adds up to the byte). */
    public static MediaFile audio(long bitsPerSecond) {
        if (bitsPerSecond < MIN_AUDIO_BPS || bitsPerSecond > MAX_AUDIO_BPS) {
            throw new IllegalArgumentException("synthetic Opus bitrate " + bitsPerSecond + " bit/s is not in ["
                    + MIN_AUDIO_BPS + ", " + MAX_AUDIO_BPS + "]");
        }
        return cached("synthetic:audio:" + bitsPerSecond, () -> {
            int packetsPerSecond = MediaFile.OPUS_CLOCK_RATE / AUDIO_FRAME_SAMPLES;
            Random random = new Random(bitsPerSecond);
            List<byte[]> packets = new ArrayList<>();
            long[] timestamps = new long[packetsPerSecond];
            for (int i = 0; i < packetsPerSecond; i++) {
                long bytesPerSecond = bitsPerSecond / 8;
                int size = (int) ((i + 1) * bytesPerSecond / packetsPerSecond - i * bytesPerSecond / packetsPerSecond);
                byte[] packet = new byte[size];
                random.nextBytes(packet);
                packet[0] = (byte) OPUS_TOC_CELT_FB_20MS_STEREO;
                packets.add(packet);
                timestamps[i] = (long) i * AUDIO_FRAME_SAMPLES;
            }
            return new MediaFile(MediaKind.AUDIO, "synthetic Opus " + bitsPerSecond / 1000 + " kbit/s", packets,
                    timestamps, MediaFile.OPUS_CLOCK_RATE);
        });
    }

    /** A VP8 frame of {@code size} bytes: frame tag (RFC 6386 section 9.1), for a keyframe start code and size. */
    private static byte[] vp8Frame(Random random, int size, boolean keyframe) {
        byte[] frame = new byte[size];
        random.nextBytes(frame);
        int header = keyframe ? 10 : 3;
        int firstPartition = Math.min((size - header) / 4, 0x7FFFF);
        int tag = (keyframe ? 0 : 1) | 1 << 4 | firstPartition << 5; // version 0, shown
        frame[0] = (byte) tag;
        frame[1] = (byte) (tag >>> 8);
        frame[2] = (byte) (tag >>> 16);
        if (keyframe) {
            frame[3] = (byte) 0x9d;
            frame[4] = 0x01;
            frame[5] = 0x2a;
            frame[6] = (byte) WIDTH;
            frame[7] = (byte) (WIDTH >>> 8);
            frame[8] = (byte) HEIGHT;
            frame[9] = (byte) (HEIGHT >>> 8);
        }
        return frame;
    }

    private static MediaFile cached(String key, MediaFile.Loader loader) {
        try {
            return MediaFile.cached(key, loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // nothing here reads a file
        }
    }
}
