package dev.arena.sfu.speaker;

import dev.arena.rtc.rtp.RtpPacket;

/**
 * The RFC 6464 client-to-mixer audio level: one byte {@code | V (1) | level (7) |} carried in an RFC 8285
 * header extension ({@code urn:ietf:params:rtp-hdrext:ssrc-audio-level}). {@code level} is the audio level
 * of the packet in -dBov, 0 (loudest, 0 dBov) to 127 (-127 dBov or quieter, i.e. silence); V is the
 * sender's voice-activity flag.
 *
 * <p>The record is for tests and control code; the media path uses the static, allocation-free helpers
 * ({@link #read}, {@link #level(int)}, {@link #voice(int)}, {@link #energy(int)}) on the raw byte.
 *
 * @param level 0..127, the level in -dBov
 * @param voice the V bit
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6464#section-3">RFC 6464 section 3</a>
 */
public record AudioLevel(int level, boolean voice) {
    /** The quietest level, meaning silence (-127 dBov or below). */
    public static final int SILENCE = 127;

    /** The header-extension URI negotiated in SDP (a=extmap). */
    public static final String URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    private static final double[] ENERGY = new double[SILENCE + 1];

    static {
        for (int l = 0; l <= SILENCE; l++) {
            ENERGY[l] = Math.pow(10.0, -l / 10.0);
        }
        ENERGY[SILENCE] = 0; // 127 stands for digital silence
    }

    public AudioLevel {
        if (level < 0 || level > SILENCE) {
            throw new IllegalArgumentException("level must be 0..127: " + level);
        }
    }

    /** Decodes the extension byte (only its low 8 bits are read). */
    public static AudioLevel of(int extensionByte) {
        return new AudioLevel(level(extensionByte), voice(extensionByte));
    }

    /** The byte to put in the extension element. */
    public int toByte() {
        return (voice ? 0x80 : 0) | level;
    }

    /** Level 0..127 (-dBov) of a raw extension byte. */
    public static int level(int extensionByte) {
        return extensionByte & 0x7F;
    }

    /** The V bit of a raw extension byte. */
    public static boolean voice(int extensionByte) {
        return (extensionByte & 0x80) != 0;
    }

    /**
     * Linear energy (power relative to full scale) of a level: {@code 10^(-level/10)}, 1.0 at 0 dBov,
     * 0.1 at -10 dBov; 0 for 127, which RFC 6464 uses for silence. A table lookup, no allocation.
     */
    public static double energy(int level) {
        return ENERGY[level];
    }

    /**
     * Reads the audio-level byte from a wrapped packet (one-byte or two-byte extension form).
     *
     * @param extensionId the id the sender negotiated for {@link #URI}
     * @return the raw byte 0..255 (decode with {@link #level(int)} / {@link #voice(int)}), or -1 when the
     *     packet has no such element or it is empty
     */
    public static int read(RtpPacket packet, int extensionId) {
        if (!packet.hasExtension() || !packet.findExtension(extensionId) || packet.extensionValueLength() < 1) {
            return -1;
        }
        return packet.buffer()[packet.extensionValueOffset()] & 0xFF;
    }

    /** The energy of this level, see {@link #energy(int)}. */
    public double energy() {
        return energy(level);
    }
}
