package dev.arena.sfu.room;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

/**
 * A synthetic camera clip for Chromium's {@code --use-file-for-fake-video-capture=FILE.y4m} (with
 * {@code --use-fake-device-for-media-stream}; Chromium loops the file). Unlike Chromium's built-in fake camera,
 * whose simple picture a VP8 encoder at 720p codes in under 0.5 Mbit/s, this one is hard to compress: a luma
 * gradient that moves every frame, chroma that changes every frame, and six tiles of fresh random noise (a sixth
 * of the picture, {@code noise} levels peak to peak around mid grey) that drift across it, so that the encoder has
 * real residual to spend its target bitrate on. Full-range noise is too much: VP8 then drops frames to hold its
 * target (at 720p, 2.5 Mbit/s: 5-7 fps with 256 levels, 13-20 with 96, 24-26 with 48, 30 with 32).
 * Format: YUV4MPEG2, I420 (4:2:0, {@code C420jpeg}), progressive.
 */
final class Y4mClip {
    private static final int TILES = 6;

    private Y4mClip() {}

    /**
     * Writes the clip to {@code file} unless a file of exactly this clip's length is already there (the content is
     * deterministic), and returns its absolute path.
     *
     * @param noise peak-to-peak amplitude of the noise tiles, 0-256 luma levels
     */
    static Path write(Path file, int width, int height, int fps, int frames, int noise) {
        if (width % 2 != 0 || height % 2 != 0 || width < 64 || height < 64 || fps <= 0 || frames <= 0
                || noise < 0 || noise > 256) {
            throw new IllegalArgumentException(width + "x" + height + " " + fps + " fps, " + frames + " frames");
        }
        byte[] header = String.format("YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", width, height, fps)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] frameHeader = "FRAME\n".getBytes(StandardCharsets.US_ASCII);
        int lumaSize = width * height;
        int frameSize = lumaSize + 2 * (width / 2) * (height / 2);
        long length = header.length + (long) frames * (frameHeader.length + frameSize);
        Path target = file.toAbsolutePath();
        try {
            if (Files.isRegularFile(target) && Files.size(target) == length) {
                return target;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(header);
                byte[] frame = new byte[frameSize];
                SplittableRandom random = new SplittableRandom(20261125L);
                for (int i = 0; i < frames; i++) {
                    drawFrame(frame, width, height, i, noise, random);
                    out.write(frameHeader);
                    out.write(frame);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static void drawFrame(byte[] frame, int w, int h, int i, int noise, SplittableRandom random) {
        // Luma: a diagonal gradient with a vertical ripple, moving 3 pixels per frame.
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int ripple = (int) (24 * Math.sin((y + 2.0 * i) / 23.0));
            for (int x = 0; x < w; x++) {
                frame[row + x] = (byte) (x + (y >> 1) + ripple + 3 * i);
            }
        }
        // Noise tiles: fresh random luma every frame, each tile on its own straight path, bouncing off the edges.
        int tw = w / 8;
        int th = h / 4;
        for (int t = 0; t < TILES; t++) {
            int tx = bounce(t * w / TILES + i * (5 + 2 * t), w - tw);
            int ty = bounce(t * h / (TILES + 1) + i * (3 + t), h - th);
            for (int y = ty; y < ty + th; y++) {
                int row = y * w;
                for (int x = tx; x < tx + tw; x += 8) {
                    long bits = random.nextLong();
                    for (int k = 0; k < 8 && x + k < tx + tw; k++) {
                        frame[row + x + k] = (byte) (128 - noise / 2 + ((int) (bits >>> (8 * k)) & 0xFF) * noise / 256);
                    }
                }
            }
        }
        // Chroma: U changes down the picture and over time, V across it, both moving.
        int cw = w / 2;
        int ch = h / 2;
        int u = w * h;
        int v = u + cw * ch;
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                frame[u + y * cw + x] = (byte) (96 + ((y + 2 * i) & 63));
                frame[v + y * cw + x] = (byte) (96 + ((x - 3 * i) & 63));
            }
        }
    }

    /** {@code p} folded into 0..max, back and forth. */
    private static int bounce(int p, int max) {
        int period = 2 * max;
        int q = Math.floorMod(p, period);
        return q <= max ? q : period - q;
    }
}
