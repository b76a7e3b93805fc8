/**
 * STUN (RFC 8489) as ICE uses it: {@link dev.arena.rtc.stun.StunMessage} parses a datagram in place and
 * verifies MESSAGE-INTEGRITY (short-term credentials, HMAC-SHA1, RFC 8489 section 9.1) and FINGERPRINT
 * without copying; {@link dev.arena.rtc.stun.StunWriter} builds requests and responses into a caller's
 * buffer. Bad input is counted as a {@link dev.arena.rtc.stun.StunDrop}, never thrown. Test vectors:
 * RFC 5769.
 */
package dev.arena.rtc.stun;
