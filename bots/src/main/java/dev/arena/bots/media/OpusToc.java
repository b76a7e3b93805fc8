package dev.arena.bots.media;

/**
 * The duration of an Opus packet from its TOC byte (RFC 6716 section 3.1), in 48 kHz samples: the configuration
 * (top 5 bits) gives the frame size, the code (low 2 bits) the frame count: 1, 2, 2, or for code 3 the count in the
 * low 6 bits of the second byte.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6716#section-3.1">RFC 6716 section 3.1</a>
 */
public final class OpusToc {
    /** An Opus packet lasts at most 120 ms (RFC 6716 section 3.2.5). */
    public static final int MAX_PACKET_SAMPLES = 5760;
    private static final int[] SILK_FRAME_SAMPLES = {480, 960, 1920, 2880};

    private OpusToc() {
    }

    /** Samples at 48 kHz of one frame of this TOC's configuration. */
    public static int frameSamples(int toc) {
        int config = (toc & 0xFF) >>> 3;
        if (config < 12) { // SILK-only: 10, 20, 40, 60 ms
            return SILK_FRAME_SAMPLES[config & 3];
        }
        if (config < 16) { // hybrid: 10, 20 ms
            return (config & 1) == 0 ? 480 : 960;
        }
        return 120 << (config & 3); // CELT-only: 2.5, 5, 10, 20 ms
    }

    /**
     * Samples at 48 kHz of the whole packet, or -1 if it is not a valid Opus packet by its first bytes (empty, a code 3
     * packet without a frame count, zero frames, or over 120 ms).
     */
    public static int packetSamples(byte[] packet, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int toc = packet[off] & 0xFF;
        int frames = switch (toc & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> len < 2 ? 0 : packet[off + 1] & 0x3F;
        };
        int samples = frames * frameSamples(toc);
        return frames == 0 || samples > MAX_PACKET_SAMPLES ? -1 : samples;
    }
}
