package dev.arena.bots.media;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One track's media in memory, read once and shared by every source that plays it (thousands of bots may publish
 * the same file): VP8 frames or Opus packets with their timestamps in the codec clock, counted from the first
 * frame, and the duration of one loop. Immutable. Files are cached by path, so a file is read and parsed once.
 */
public final class MediaFile {
    /** What a file may hold in memory, so a wrong file fails clearly instead of filling the heap. */
    public static final long MAX_TOTAL_BYTES = 256L << 20;
    public static final int VIDEO_CLOCK_RATE = 90_000;
    public static final int OPUS_CLOCK_RATE = 48_000;

    private static final ConcurrentHashMap<String, MediaFile> CACHE = new ConcurrentHashMap<>();

    private final MediaKind kind;
    private final String name;
    private final byte[][] frames;
    private final long[] timestamps;
    private final long duration;
    private final long totalBytes;
    private final int maxFrameBytes;

    MediaFile(MediaKind kind, String name, List<byte[]> frames, long[] timestamps, long duration) {
        this.kind = kind;
        this.name = name;
        this.frames = frames.toArray(byte[][]::new);
        this.timestamps = timestamps;
        this.duration = duration;
        long total = 0;
        int max = 0;
        for (byte[] f : this.frames) {
            total += f.length;
            max = Math.max(max, f.length);
        }
        this.totalBytes = total;
        this.maxFrameBytes = max;
    }

    /** A VP8 IVF file, read once per path. */
    public static MediaFile video(Path path) throws IOException {
        return cached("video:" + path.toAbsolutePath().normalize(), () -> {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
                return readIvf(in, path.toString());
            }
        });
    }

    /** An Ogg Opus file, read once per path. */
    public static MediaFile audio(Path path) throws IOException {
        return cached("audio:" + path.toAbsolutePath().normalize(), () -> {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
                return readOggOpus(in, path.toString());
            }
        });
    }

    /** A file bundled next to this class, read once. */
    static MediaFile resource(MediaKind kind, String resource) {
        try {
            return cached("resource:" + resource, () -> {
                try (InputStream raw = MediaFile.class.getResourceAsStream(resource)) {
                    if (raw == null) {
                        throw new IOException("missing bundled media " + resource);
                    }
                    InputStream in = new BufferedInputStream(raw);
                    return kind == MediaKind.VIDEO ? readIvf(in, resource) : readOggOpus(in, resource);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Loader {
        MediaFile load() throws IOException;
    }

    static MediaFile cached(String key, Loader loader) throws IOException {
        MediaFile file = CACHE.get(key);
        if (file == null) {
            // Two threads may both read a new file; one copy wins and the other becomes garbage.
            file = loader.load();
            MediaFile raced = CACHE.putIfAbsent(key, file);
            file = raced != null ? raced : file;
        }
        return file;
    }

    /**
     * Reads VP8 frames from IVF. The pts become 90 kHz timestamps from the first frame; they must increase; the
     * first frame must be a keyframe (a receiver starts, and each loop restarts, there); a loop lasts until one mean
     * frame interval after the last frame.
     */
    public static MediaFile readIvf(InputStream in, String name) throws IOException {
        IvfReader reader = new IvfReader(in, name);
        List<byte[]> frames = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        long firstPts = 0;
        long total = 0;
        for (IvfReader.Frame f; (f = reader.next()) != null; ) {
            total += f.data().length;
            if (total > MAX_TOTAL_BYTES) {
                throw new MediaFormatException(name + ": over " + MAX_TOTAL_BYTES + " bytes of frames");
            }
            if (frames.isEmpty()) {
                firstPts = f.pts();
                if (!Vp8Packetizer.isKeyframe(f.data())) {
                    throw new MediaFormatException(name + ": the first frame is not a keyframe");
                }
            }
            long ts;
            try {
                ts = Math.multiplyExact(Math.multiplyExact(Math.subtractExact(f.pts(), firstPts), VIDEO_CLOCK_RATE),
                        reader.timebaseNumerator()) / reader.timebaseDenominator();
            } catch (ArithmeticException e) {
                throw new MediaFormatException(name + ": pts " + f.pts() + " of frame " + frames.size()
                        + " is out of range");
            }
            if (!times.isEmpty() && ts <= times.getLast()) {
                throw new MediaFormatException(name + ": frame " + frames.size() + " has pts " + f.pts()
                        + ", not after the previous frame's");
            }
            frames.add(f.data());
            times.add(ts);
        }
        if (frames.isEmpty()) {
            throw new MediaFormatException(name + ": no frames");
        }
        long last = times.getLast();
        long frameInterval = frames.size() > 1 ? Math.round((double) last / (frames.size() - 1))
                : Math.max(1, VIDEO_CLOCK_RATE * reader.timebaseNumerator() / reader.timebaseDenominator());
        return new MediaFile(MediaKind.VIDEO, name, frames, toArray(times), last + frameInterval);
    }

    /** Reads Opus packets from Ogg; timestamps (48 kHz) add up the packets' durations. */
    public static MediaFile readOggOpus(InputStream in, String name) throws IOException {
        OggOpusReader reader = new OggOpusReader(in, name);
        List<byte[]> packets = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        long samples = 0;
        long total = 0;
        for (OggOpusReader.Packet p; (p = reader.next()) != null; ) {
            total += p.data().length;
            if (total > MAX_TOTAL_BYTES) {
                throw new MediaFormatException(name + ": over " + MAX_TOTAL_BYTES + " bytes of audio");
            }
            packets.add(p.data());
            times.add(samples);
            samples += p.samples();
        }
        if (packets.isEmpty()) {
            throw new MediaFormatException(name + ": no audio packets");
        }
        return new MediaFile(MediaKind.AUDIO, name, packets, toArray(times), samples);
    }

    private static long[] toArray(List<Long> list) {
        return list.stream().mapToLong(Long::longValue).toArray();
    }

    public MediaKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public int clockRate() {
        return kind == MediaKind.VIDEO ? VIDEO_CLOCK_RATE : OPUS_CLOCK_RATE;
    }

    public int frameCount() {
        return frames.length;
    }

    /** The frame's timestamp in the codec clock, from the first frame (0). */
    public long timestamp(int frame) {
        return timestamps[frame];
    }

    /** One loop in the codec clock: where the next loop's first frame goes. */
    public long duration() {
        return duration;
    }

    public boolean isKeyframe(int frame) {
        return kind == MediaKind.VIDEO && Vp8Packetizer.isKeyframe(frames[frame]);
    }

    public int frameLength(int frame) {
        return frames[frame].length;
    }

    /** A copy of the frame's bytes. */
    public byte[] copyOfFrame(int frame) {
        return frames[frame].clone();
    }

    /** The shared bytes, for the sources: never modified. */
    byte[] frame(int frame) {
        return frames[frame];
    }

    public long totalBytes() {
        return totalBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Frame bytes per loop duration, in bits per second (codec payload only, no RTP or descriptor overhead). */
    public double bitsPerSecond() {
        return totalBytes * 8.0 * clockRate() / duration;
    }

    /** Codec clock ticks as nanoseconds, without overflow for any tick count a run reaches. */
    static long nanos(long ticks, int clockRate) {
        return ticks / clockRate * 1_000_000_000L + ticks % clockRate * 1_000_000_000L / clockRate;
    }

    @Override
    public String toString() {
        return name + " (" + kind.sdpName() + ", " + frames.length + " frames, "
                + duration * 1000 / clockRate() + " ms, " + Math.round(bitsPerSecond() / 1000) + " kbit/s)";
    }
}
