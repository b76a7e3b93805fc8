package dev.arena.bots.peer;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaPacket;
import dev.arena.bots.media.MediaSource;

/**
 * A test-only source of VP8-looking or Opus-looking payloads (the real ones are the media package's): video at 30
 * frames/s, each frame {@code frameBytes} split into packets of at most 1100 bytes, a keyframe every 30 frames; the
 * first packet of a frame starts with a VP8 payload descriptor with S=1 (and a payload header whose P bit tells a
 * keyframe), so keyframe detection works. Audio: one 80-byte packet every 20 ms.
 */
final class TestSource implements MediaSource {
    private static final int MAX_PAYLOAD = 1100;
    private static final long FRAME_NANOS = 1_000_000_000L / 30;
    private static final long AUDIO_NANOS = 20_000_000L;

    private final MediaKind kind;
    private final int frameBytes;
    private final byte[] payload = new byte[MAX_PAYLOAD];
    private long frame;
    private int frameOffset;

    private TestSource(MediaKind kind, int frameBytes) {
        this.kind = kind;
        this.frameBytes = frameBytes;
    }

    /** VP8-looking video at about {@code bitsPerSecond}. */
    static TestSource video(int bitsPerSecond) {
        return new TestSource(MediaKind.VIDEO, Math.max(1, bitsPerSecond / 8 / 30));
    }

    static TestSource audio() {
        return new TestSource(MediaKind.AUDIO, 80);
    }

    @Override
    public MediaKind kind() {
        return kind;
    }

    @Override
    public String codec() {
        return kind == MediaKind.AUDIO ? "opus" : "VP8";
    }

    @Override
    public int clockRate() {
        return kind == MediaKind.AUDIO ? 48000 : 90000;
    }

    @Override
    public int channels() {
        return kind == MediaKind.AUDIO ? 2 : 1;
    }

    @Override
    public MediaPacket next() {
        if (kind == MediaKind.AUDIO) {
            long n = frame++;
            payload[0] = (byte) 0x78; // an Opus TOC byte (CELT FB 20 ms)
            return new MediaPacket(payload, frameBytes, n == 0, n * 960, n * AUDIO_NANOS, false);
        }
        boolean key = frame % 30 == 0;
        int len = Math.min(MAX_PAYLOAD, frameBytes - frameOffset + 1);
        boolean first = frameOffset == 0;
        payload[0] = (byte) (first ? 0x10 : 0x00); // X=0, N=0, S=first, PID=0
        payload[1] = (byte) (key ? 0x00 : 0x01); // VP8 payload header: P=0 on a keyframe
        frameOffset += len - 1;
        boolean last = frameOffset >= frameBytes;
        MediaPacket p = new MediaPacket(payload, Math.max(2, len), last, frame * 3000, frame * FRAME_NANOS, key);
        if (last) {
            frame++;
            frameOffset = 0;
        }
        return p;
    }
}
