package dev.arena.rtc.rtp;

/**
 * Why {@link RtpPacket#wrap} refused a datagram (RFC 3550 section 5.1, RFC 8285 section 4).
 * Counted in a {@link dev.arena.rtc.util.DropCounter} instead of thrown.
 */
public enum RtpDrop {
    /** buf is null or off/len lie outside the array. */
    BAD_BUFFER,
    /** Shorter than the 12-byte fixed header. */
    TOO_SHORT,
    /** Version field is not 2. */
    BAD_VERSION,
    /** The CSRC list (CC field) runs past the end of the packet. */
    TRUNCATED_CSRC,
    /** The header extension block (X bit and its length) runs past the end of the packet. */
    TRUNCATED_EXTENSION,
    /** A one-byte or two-byte extension element runs past the end of its extension block. */
    BAD_EXTENSION_ELEMENT,
    /** P bit set but the pad count is 0 or larger than the payload. */
    BAD_PADDING
}
