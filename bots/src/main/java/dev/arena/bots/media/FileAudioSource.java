package dev.arena.bots.media;

/**
 * Plays an Opus {@link MediaFile} forever: one packet per payload ({@link OpusPacketizer}), 48 kHz timestamps and
 * send times from the packets' cumulative durations; each loop starts right after the previous loop's last packet.
 * The file is shared; this keeps only its position and one payload buffer, which it reuses for every packet.
 */
public final class FileAudioSource implements MediaSource {
    private final MediaFile file;
    private final byte[] payload;
    private int packet = -1;
    private long loopStart;

    public FileAudioSource(MediaFile file) {
        if (file.kind() != MediaKind.AUDIO) {
            throw new IllegalArgumentException(file.name() + " is not audio");
        }
        this.file = file;
        this.payload = new byte[file.maxFrameBytes()];
    }

    @Override
    public MediaKind kind() {
        return MediaKind.AUDIO;
    }

    @Override
    public String codec() {
        return "opus";
    }

    @Override
    public int clockRate() {
        return MediaFile.OPUS_CLOCK_RATE;
    }

    /** Opus is always {@code opus/48000/2} in SDP, whatever the file's channel count (RFC 7587 section 7). */
    @Override
    public int channels() {
        return 2;
    }

    @Override
    public MediaPacket next() {
        packet++;
        if (packet == file.frameCount()) {
            packet = 0;
            loopStart += file.duration();
        }
        byte[] data = file.frame(packet);
        int length = OpusPacketizer.write(data, data.length, payload);
        long rtpTimestamp = loopStart + file.timestamp(packet);
        return new MediaPacket(payload, length, OpusPacketizer.MARKER, rtpTimestamp,
                MediaFile.nanos(rtpTimestamp, MediaFile.OPUS_CLOCK_RATE), false);
    }

    public MediaFile file() {
        return file;
    }

    @Override
    public String toString() {
        return "audio from " + file;
    }
}
