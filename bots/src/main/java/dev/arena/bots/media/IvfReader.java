package dev.arena.bots.media;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads VP8 frames from an IVF file: a 32-byte header ({@code DKIF}, version, header size, fourcc, width, height,
 * timebase rate and scale, frame count) and then frames, each a 12-byte header (size, 64-bit pts) and the frame.
 * Everything little-endian. Bad input throws {@link MediaFormatException} naming what and where; nothing waits for
 * more bytes than the header promises, and no frame may claim more than {@link #MAX_FRAME_BYTES}.
 */
public final class IvfReader {
    public static final int MAX_FRAME_BYTES = 4 << 20;
    static final int FILE_HEADER_BYTES = 32;
    static final int FRAME_HEADER_BYTES = 12;

    /** One frame as stored: its bytes and its pts in the file's timebase. */
    public record Frame(byte[] data, long pts) {
    }

    private final InputStream in;
    private final String name;
    private final int width;
    private final int height;
    private final long timebaseNumerator;
    private final long timebaseDenominator;
    private long offset;
    private int frames;

    /** Reads and checks the file header; {@code name} is only for messages. */
    public IvfReader(InputStream in, String name) throws IOException {
        this.in = in;
        this.name = name;
        byte[] h = read(FILE_HEADER_BYTES);
        if (h.length < 4 || h[0] != 'D' || h[1] != 'K' || h[2] != 'I' || h[3] != 'F') {
            throw new MediaFormatException(name + ": not an IVF file (no DKIF signature)");
        }
        if (h.length < FILE_HEADER_BYTES) {
            throw new MediaFormatException(name + ": truncated IVF file header (" + h.length + " of 32 bytes)");
        }
        String fourcc = new String(h, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!fourcc.equals("VP80")) {
            throw new MediaFormatException(name + ": IVF codec is '" + printable(fourcc) + "', not VP80 (VP8)");
        }
        int headerBytes = u16(h, 6);
        if (headerBytes < FILE_HEADER_BYTES || headerBytes > 1024) {
            throw new MediaFormatException(name + ": IVF header size " + headerBytes + " is not in [32, 1024]");
        }
        width = u16(h, 12);
        height = u16(h, 14);
        // The timebase is scale/rate seconds per pts unit (libvpx ivfenc: rate at 16, scale at 20).
        timebaseDenominator = u32(h, 16);
        timebaseNumerator = u32(h, 20);
        if (timebaseDenominator == 0 || timebaseNumerator == 0) {
            throw new MediaFormatException(name + ": IVF timebase " + timebaseNumerator + "/" + timebaseDenominator
                    + " has a zero");
        }
        offset = FILE_HEADER_BYTES;
        if (headerBytes > FILE_HEADER_BYTES) {
            byte[] rest = read(headerBytes - FILE_HEADER_BYTES);
            if (rest.length < headerBytes - FILE_HEADER_BYTES) {
                throw new MediaFormatException(name + ": truncated IVF file header");
            }
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Seconds per pts unit: numerator / denominator. */
    public long timebaseNumerator() {
        return timebaseNumerator;
    }

    public long timebaseDenominator() {
        return timebaseDenominator;
    }

    /** The next frame, or null at the end of the file. */
    public Frame next() throws IOException {
        long at = offset;
        byte[] h = read(FRAME_HEADER_BYTES);
        if (h.length == 0) {
            return null;
        }
        if (h.length < FRAME_HEADER_BYTES) {
            throw new MediaFormatException(name + ": truncated header of frame " + frames + " at offset " + at
                    + " (" + h.length + " of 12 bytes)");
        }
        long size = u32(h, 0);
        long pts = u32(h, 4) | (u32(h, 8) << 32);
        if (size == 0) {
            throw new MediaFormatException(name + ": frame " + frames + " at offset " + at + " is empty");
        }
        if (size > MAX_FRAME_BYTES) {
            throw new MediaFormatException(name + ": frame " + frames + " at offset " + at + " claims " + size
                    + " bytes, over the limit of " + MAX_FRAME_BYTES);
        }
        byte[] data = read((int) size);
        if (data.length < size) {
            throw new MediaFormatException(name + ": truncated frame " + frames + " at offset " + at + " ("
                    + data.length + " of " + size + " bytes)");
        }
        frames++;
        return new Frame(data, pts);
    }

    /** Up to {@code n} bytes: fewer only at the end of the stream. */
    private byte[] read(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        offset += b.length;
        return b;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }
}
