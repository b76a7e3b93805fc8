package dev.arena.bots.media;

/**
 * RTP payloads for Opus (RFC 7587): one Opus packet is one payload, as it is; the marker stays false because a bot
 * never stops talking (no DTX, so no talkspurts to mark). Allocation-free.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7587#section-4.2">RFC 7587 section 4.2</a>
 */
public final class OpusPacketizer {
    public static final boolean MARKER = false;

    private OpusPacketizer() {
    }

    /** Copies the packet into {@code out}; returns the payload length. */
    public static int write(byte[] packet, int length, byte[] out) {
        if (length < 1 || length > out.length) {
            throw new IllegalArgumentException("Opus packet of " + length + " bytes for a " + out.length
                    + "-byte buffer");
        }
        System.arraycopy(packet, 0, out, 0, length);
        return length;
    }
}
