package dev.arena.bots.media;

/**
 * Plays a VP8 {@link MediaFile} forever: each frame is packetized ({@link Vp8Packetizer}) and every payload of a
 * frame gets the frame's timestamp and send time; the marker is on the frame's last payload. Each loop starts one
 * frame interval after the previous loop's last frame, so timestamps and send times keep increasing. The file is
 * shared; this keeps only its position, the PictureID and one payload buffer, which it reuses for every packet.
 */
public final class FileVideoSource implements MediaSource {
    private final MediaFile file;
    private final Vp8Packetizer packetizer;
    private final byte[] payload;
    private int frame = -1;
    private int payloadIndex;
    private int payloadCount;
    private long loopStart;
    private int pictureId = Vp8Packetizer.PICTURE_ID_MASK; // the first frame gets 0
    private long rtpTimestamp;
    private long sendAtNanos;
    private boolean keyframe;

    public FileVideoSource(MediaFile file) {
        this(file, Vp8Packetizer.DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public FileVideoSource(MediaFile file, int maxPayloadBytes) {
        if (file.kind() != MediaKind.VIDEO) {
            throw new IllegalArgumentException(file.name() + " is not video");
        }
        this.file = file;
        this.packetizer = new Vp8Packetizer(maxPayloadBytes);
        this.payload = new byte[maxPayloadBytes];
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String codec() {
        return "VP8";
    }

    @Override
    public int clockRate() {
        return MediaFile.VIDEO_CLOCK_RATE;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public MediaPacket next() {
        if (payloadIndex == payloadCount) {
            nextFrame();
        }
        byte[] data = file.frame(frame);
        int length = packetizer.write(data, data.length, payloadIndex, payloadCount, pictureId, payload);
        payloadIndex++;
        return new MediaPacket(payload, length, payloadIndex == payloadCount, rtpTimestamp, sendAtNanos, keyframe);
    }

    private void nextFrame() {
        frame++;
        if (frame == file.frameCount()) {
            frame = 0;
            loopStart += file.duration();
        }
        payloadIndex = 0;
        payloadCount = packetizer.payloadCount(file.frameLength(frame));
        pictureId = Vp8Packetizer.nextPictureId(pictureId);
        rtpTimestamp = loopStart + file.timestamp(frame);
        sendAtNanos = MediaFile.nanos(rtpTimestamp, MediaFile.VIDEO_CLOCK_RATE);
        keyframe = file.isKeyframe(frame);
    }

    public MediaFile file() {
        return file;
    }

    @Override
    public String toString() {
        return "video from " + file;
    }
}
