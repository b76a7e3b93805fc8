package dev.arena.rtc.rtcp;

/** Why an RTCP compound or one packet in it was refused. Counted, never thrown. */
public enum RtcpDrop {
    /** buf is null or off/len lie outside the array. */
    BAD_BUFFER,
    /** Zero bytes. */
    EMPTY,
    /** Shorter than a 4-byte common header, or than the packet type's fixed part. */
    TOO_SHORT,
    /** Version field is not 2. */
    BAD_VERSION,
    /** Packet type outside 192..223 (RFC 5761 section 4): not RTCP. */
    NOT_RTCP,
    /** A length field runs past the end of the compound. */
    BAD_LENGTH,
    /** P bit set but the pad count is 0 or larger than the packet body. */
    BAD_PADDING,
    /** A typed view was wrapped on a packet of another type. */
    WRONG_TYPE,
    /** The count field announces more report blocks, SSRCs or chunks than the packet holds. */
    TRUNCATED,
    /** SDES chunk or item runs past the packet, or a chunk lacks its terminating null octet. */
    BAD_SDES,
    /** BYE reason length runs past the packet. */
    BAD_BYE,
    /** Feedback control information missing or not a whole number of entries (NACK, FIR). */
    BAD_FCI,
    /** REMB without its identifier, with a short SSRC list, or a bitrate that overflows 63 bits. */
    BAD_REMB,
    /** Transport-cc feedback with no status, a reserved symbol, or chunks/deltas past the packet. */
    BAD_TWCC
}
