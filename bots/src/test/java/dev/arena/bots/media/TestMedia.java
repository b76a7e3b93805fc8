package dev.arena.bots.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds small IVF and Ogg files for the tests, written independently of the readers. */
final class TestMedia {
    private TestMedia() {
    }

    static byte[] resource(String name) {
        try (InputStream in = MediaSources.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An IVF file with these frames, pts and a timebase of num/den seconds. */
    static byte[] ivf(String fourcc, long num, long den, List<byte[]> frames, long[] pts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        h.put("DKIF".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0).putShort((short) 32)
                .put(fourcc.getBytes(StandardCharsets.US_ASCII)).putShort((short) 640).putShort((short) 360)
                .putInt((int) den).putInt((int) num).putInt(frames.size()).putInt(0);
        out.writeBytes(h.array());
        for (int i = 0; i < frames.size(); i++) {
            ByteBuffer f = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            f.putInt(frames.get(i).length).putLong(pts[i]);
            out.writeBytes(f.array());
            out.writeBytes(frames.get(i));
        }
        return out.toByteArray();
    }

    /** A VP8-looking frame: the tag's first bit says key (0) or delta (1); the rest is filler. */
    static byte[] vp8Frame(int size, boolean keyframe) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (i * 31 + size);
        }
        f[0] = (byte) (keyframe ? 0x10 : 0x11);
        return f;
    }

    static byte[] opusHead(int channels) {
        ByteBuffer b = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        b.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) channels)
                .putShort((short) 312).putInt(48000).putShort((short) 0).put((byte) 0);
        return b.array();
    }

    static byte[] opusTags() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(0);
        return b.array();
    }

    /**
     * Writes Ogg pages (RFC 3533) for one logical stream: packets are laced into pages of at most
     * {@code maxSegments} segments, so a long packet spans pages (the continued flag set on the next page).
     */
    static final class OggWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int serial;
        private final int maxSegments;
        private int sequence;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final ByteArrayOutputStream lacing = new ByteArrayOutputStream();
        private boolean continued;

        OggWriter(int serial, int maxSegments) {
            this.serial = serial;
            this.maxSegments = maxSegments;
        }

        /** Laces a packet; pages are flushed when full. */
        OggWriter packet(byte[] packet) {
            int left = packet.length;
            int pos = 0;
            while (true) {
                int n = Math.min(255, left);
                lacing.write(n);
                body.write(packet, pos, n);
                pos += n;
                left -= n;
                boolean done = n < 255;
                if (lacing.size() == maxSegments) {
                    page(0, !done);
                }
                if (done) {
                    return this;
                }
            }
        }

        /** Ends the current page (if it has segments). */
        OggWriter flush() {
            if (lacing.size() > 0) {
                page(0, false);
            }
            return this;
        }

        byte[] finish() {
            page(4, false);
            return out.toByteArray();
        }

        private void page(int flags, boolean packetContinues) {
            ByteBuffer h = ByteBuffer.allocate(27).order(ByteOrder.LITTLE_ENDIAN);
            h.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0)
                    .put((byte) (flags | (sequence == 0 ? 2 : 0) | (continued ? 1 : 0)))
                    .putLong(0).putInt(serial).putInt(sequence++).putInt(0).put((byte) lacing.size());
            ByteArrayOutputStream page = new ByteArrayOutputStream();
            page.writeBytes(h.array());
            page.writeBytes(lacing.toByteArray());
            page.writeBytes(body.toByteArray());
            byte[] p = page.toByteArray();
            fixCrc(p, 0);
            out.writeBytes(p);
            continued = packetContinues;
            lacing.reset();
            body.reset();
        }
    }

    /** An Ogg Opus file holding these audio packets, with OpusHead and OpusTags each on their own page. */
    static byte[] oggOpus(List<byte[]> packets, int maxSegments) {
        OggWriter w = new OggWriter(0x1234, maxSegments);
        w.packet(opusHead(2)).flush().packet(opusTags()).flush();
        packets.forEach(w::packet);
        return w.finish();
    }

    /** Recomputes the CRC of every whole page from {@code off} on, so a mutated file still passes the check. */
    static byte[] fixCrcs(byte[] file) {
        int off = 0;
        while (off + 27 <= file.length && file[off] == 'O' && file[off + 1] == 'g') {
            int n = file[off + 26] & 0xFF;
            if (off + 27 + n > file.length) {
                break;
            }
            int len = 27 + n;
            for (int i = 0; i < n; i++) {
                len += file[off + 27 + i] & 0xFF;
            }
            if (off + len > file.length) {
                break;
            }
            fixCrc(file, off);
            off += len;
        }
        return file;
    }

    private static void fixCrc(byte[] file, int off) {
        int n = file[off + 26] & 0xFF;
        int len = 27 + n;
        for (int i = 0; i < n; i++) {
            len += file[off + 27 + i] & 0xFF;
        }
        file[off + 22] = file[off + 23] = file[off + 24] = file[off + 25] = 0;
        int crc = 0;
        for (int i = off; i < off + len; i++) { // bit by bit, unlike the reader's table
            crc ^= (file[i] & 0xFF) << 24;
            for (int k = 0; k < 8; k++) {
                crc = crc < 0 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
            }
        }
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(off + 22, crc);
    }
}
