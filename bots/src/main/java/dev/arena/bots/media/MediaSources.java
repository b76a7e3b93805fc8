package dev.arena.bots.media;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where publishing bots get their media. Each call returns a new source (its own position) over media read or made
 * once and shared, so thousands of sources cost little more than one.
 */
public final class MediaSources {
    /** 640x360, 30 fps, about 1 Mbit/s, a keyframe every 2 s, 5 s; made by bots/samples/make-samples.sh. */
    public static final String SAMPLE_VIDEO = "sample-vp8.ivf";
    /** 48 kHz stereo Opus, 48 kbit/s, 20 ms packets, 5 s. */
    public static final String SAMPLE_AUDIO = "sample-opus.ogg";

    private MediaSources() {
    }

    /** The bundled VP8 sample. */
    public static MediaSource sampleVideo() {
        return new FileVideoSource(MediaFile.resource(MediaKind.VIDEO, SAMPLE_VIDEO));
    }

    /** The bundled Opus sample. */
    public static MediaSource sampleAudio() {
        return new FileAudioSource(MediaFile.resource(MediaKind.AUDIO, SAMPLE_AUDIO));
    }

    /** VP8 from an IVF file. */
    public static MediaSource video(Path ivf) throws IOException {
        return new FileVideoSource(MediaFile.video(ivf));
    }

    /** Opus from an Ogg file. */
    public static MediaSource audio(Path ogg) throws IOException {
        return new FileAudioSource(MediaFile.audio(ogg));
    }

    /** Made-up media at this bitrate: VP8 at 30 fps with a keyframe every 2 s, or Opus in 20 ms packets. */
    public static MediaSource synthetic(MediaKind kind, long bitsPerSecond) {
        return kind == MediaKind.VIDEO ? new FileVideoSource(SyntheticMedia.video(bitsPerSecond))
                : new FileAudioSource(SyntheticMedia.audio(bitsPerSecond));
    }

    /** A new source over media already in memory. */
    public static MediaSource of(MediaFile file) {
        return file.kind() == MediaKind.VIDEO ? new FileVideoSource(file) : new FileAudioSource(file);
    }
}
