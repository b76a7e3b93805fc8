package dev.arena.bots.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads Opus packets from an Ogg file (RFC 3533 pages, RFC 7845 Ogg Opus): pages are checked (capture pattern,
 * version, CRC), packets are reassembled from their lacing values, also across pages. The first logical stream must
 * be Opus: its {@code OpusHead} and {@code OpusTags} headers are read and skipped, pages of other streams ignored,
 * and reading stops at its end-of-stream page.
 * Each packet's duration comes from its TOC byte ({@link OpusToc}). Bad input throws {@link MediaFormatException}
 * naming what and where.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3533">RFC 3533</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7845">RFC 7845</a>
 */
public final class OggOpusReader {
    /** Bigger than any Opus packet (at most 120 ms of 1275-byte frames plus framing). */
    public static final int MAX_PACKET_BYTES = 64 << 10;
    /** OpusTags may carry cover art; it is read and dropped. */
    static final int MAX_TAGS_BYTES = 16 << 20;
    private static final int PAGE_HEADER_BYTES = 27;
    private static final int FLAG_CONTINUED = 1;
    private static final int FLAG_FIRST = 2;
    private static final int FLAG_LAST = 4;
    private static final int[] CRC_TABLE = crcTable();

    /** One audio packet and its duration in 48 kHz samples. */
    public record Packet(byte[] data, int samples) {
    }

    private final InputStream in;
    private final String name;
    private final int channels;
    private final int preSkip;
    private long offset;
    private long serial;
    private boolean streamFound;
    private boolean streamEnded;
    private int packetIndex;
    private int audioPackets;
    // The current page: its body, lacing values and how far they are consumed.
    private byte[] body = new byte[0];
    private final int[] lacing = new int[255];
    private int segments;
    private int segment;
    private int bodyPos;
    private boolean pageContinued;
    private long pageOffset;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /** Reads the Opus headers; {@code name} is only for messages. */
    public OggOpusReader(InputStream in, String name) throws IOException {
        this.in = in;
        this.name = name;
        byte[] head = nextPacket();
        if (head == null) {
            throw new MediaFormatException(name + ": no Ogg stream in the file");
        }
        if (!startsWith(head, "OpusHead")) {
            throw new MediaFormatException(name + ": the Ogg stream is not Opus (its first packet is not OpusHead)");
        }
        if (head.length < 19) {
            throw new MediaFormatException(name + ": OpusHead is " + head.length + " bytes, under 19");
        }
        if ((head[8] & 0xF0) != 0) {
            throw new MediaFormatException(name + ": unsupported Ogg Opus version " + (head[8] & 0xFF));
        }
        channels = head[9] & 0xFF;
        if (channels == 0) {
            throw new MediaFormatException(name + ": OpusHead says 0 channels");
        }
        preSkip = (head[10] & 0xFF) | (head[11] & 0xFF) << 8;
        byte[] tags = nextPacket();
        if (tags == null || !startsWith(tags, "OpusTags")) {
            throw new MediaFormatException(name + ": the Ogg Opus stream has no OpusTags after OpusHead");
        }
    }

    public int channels() {
        return channels;
    }

    /** Samples (48 kHz) the decoder drops at the start: encoder delay, not our concern for RTP. */
    public int preSkip() {
        return preSkip;
    }

    /** The next audio packet, or null at the end of the stream. */
    public Packet next() throws IOException {
        byte[] data = nextPacket();
        if (data == null) {
            return null;
        }
        int samples = OpusToc.packetSamples(data, 0, data.length);
        if (samples < 0) {
            throw new MediaFormatException(name + ": audio packet " + audioPackets + " (" + data.length
                    + " bytes) is not a valid Opus packet");
        }
        audioPackets++;
        return new Packet(data, samples);
    }

    /** The next packet of the Opus stream, or null at its end. */
    private byte[] nextPacket() throws IOException {
        int limit = packetIndex == 1 ? MAX_TAGS_BYTES : MAX_PACKET_BYTES;
        while (true) {
            while (segment < segments) {
                int n = lacing[segment++];
                if (partial.size() + n > limit) {
                    throw new MediaFormatException(name + ": the packet on the page at offset " + pageOffset
                            + " is over " + limit + " bytes");
                }
                partial.write(body, bodyPos, n);
                bodyPos += n;
                if (n < 255) {
                    byte[] packet = partial.toByteArray();
                    partial.reset();
                    packetIndex++;
                    return packet;
                }
            }
            if (streamEnded || !readPage()) {
                if (partial.size() > 0) {
                    throw new MediaFormatException(name + ": truncated: the last packet continues past the end");
                }
                return null;
            }
            if (pageContinued != partial.size() > 0) {
                throw new MediaFormatException(name + ": page at offset " + pageOffset + (pageContinued
                        ? " continues a packet that no page started" : " does not continue the unfinished packet"));
            }
        }
    }

    /** Reads the next page of the Opus stream; false at the end of the file. */
    private boolean readPage() throws IOException {
        while (true) {
            pageOffset = offset;
            byte[] h = read(PAGE_HEADER_BYTES);
            if (h.length == 0) {
                if (!streamFound) {
                    throw new MediaFormatException(name + ": empty file");
                }
                return false;
            }
            if (h.length < 4 || h[0] != 'O' || h[1] != 'g' || h[2] != 'g' || h[3] != 'S') {
                throw new MediaFormatException(name + (pageOffset == 0 ? ": not an Ogg file (no OggS signature)"
                        : ": no Ogg page at offset " + pageOffset + " (lost page sync)"));
            }
            if (h.length < PAGE_HEADER_BYTES) {
                throw new MediaFormatException(name + ": truncated page header at offset " + pageOffset);
            }
            if (h[4] != 0) {
                throw new MediaFormatException(name + ": page at offset " + pageOffset + " has Ogg version "
                        + (h[4] & 0xFF) + ", not 0");
            }
            int flags = h[5] & 0xFF;
            long pageSerial = u32(h, 14);
            int n = h[26] & 0xFF;
            byte[] table = read(n);
            if (table.length < n) {
                throw new MediaFormatException(name + ": truncated segment table at offset " + pageOffset);
            }
            int bodyBytes = 0;
            for (int i = 0; i < n; i++) {
                bodyBytes += table[i] & 0xFF;
            }
            byte[] pageBody = read(bodyBytes);
            if (pageBody.length < bodyBytes) {
                throw new MediaFormatException(name + ": truncated page at offset " + pageOffset + " ("
                        + pageBody.length + " of " + bodyBytes + " body bytes)");
            }
            long crc = u32(h, 22);
            h[22] = h[23] = h[24] = h[25] = 0;
            if (crc(crc(crc(0, h), table), pageBody) != crc) {
                throw new MediaFormatException(name + ": page at offset " + pageOffset + " fails its CRC check");
            }
            if (!streamFound) {
                if ((flags & FLAG_FIRST) == 0) {
                    throw new MediaFormatException(name + ": the first Ogg page does not start a stream");
                }
                streamFound = true;
                serial = pageSerial;
            } else if (pageSerial != serial) {
                continue; // another logical stream (e.g. video in the same file)
            }
            body = pageBody;
            bodyPos = 0;
            segments = n;
            segment = 0;
            for (int i = 0; i < n; i++) {
                lacing[i] = table[i] & 0xFF;
            }
            pageContinued = (flags & FLAG_CONTINUED) != 0;
            streamEnded = (flags & FLAG_LAST) != 0;
            return true;
        }
    }

    private byte[] read(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        offset += b.length;
        return b;
    }

    private static boolean startsWith(byte[] packet, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        return packet.length >= m.length && java.util.Arrays.equals(packet, 0, m.length, m, 0, m.length);
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }

    /** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0, no final xor. */
    private static long crc(long crc, byte[] b) {
        int c = (int) crc;
        for (byte x : b) {
            c = (c << 8) ^ CRC_TABLE[((c >>> 24) ^ x) & 0xFF];
        }
        return c & 0xFFFFFFFFL;
    }

    private static int[] crcTable() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int k = 0; k < 8; k++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
            }
            t[i] = r;
        }
        return t;
    }
}
