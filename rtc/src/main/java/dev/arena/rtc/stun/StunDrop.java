package dev.arena.rtc.stun;

/**
 * Why a STUN datagram was dropped by {@link StunMessage#wrap} or failed {@link StunMessage#verifyIntegrity}
 * (RFC 8489 section 6.3).
 */
public enum StunDrop {
    /** Shorter than the 20-byte header. */
    TOO_SHORT,
    /** The first two bits are not zero or the magic cookie is missing (not RFC 5389/8489 STUN). */
    NOT_STUN,
    /** Message length not a multiple of 4 or not equal to the datagram length minus 20. */
    BAD_LENGTH,
    /** An attribute overruns the message or has a length its type does not allow. */
    BAD_ATTRIBUTE,
    /** FINGERPRINT is not the last attribute. */
    FINGERPRINT_NOT_LAST,
    /** FINGERPRINT does not match the CRC-32 of the message. */
    BAD_FINGERPRINT,
    /** Integrity was asked for but the message has no MESSAGE-INTEGRITY. */
    MISSING_INTEGRITY,
    /** MESSAGE-INTEGRITY does not match the HMAC-SHA1 under the key. */
    BAD_INTEGRITY
}
