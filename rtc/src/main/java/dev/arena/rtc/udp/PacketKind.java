package dev.arena.rtc.udp;

/**
 * What a datagram on a WebRTC port carries, told apart by its first byte
 * (<a href="https://www.rfc-editor.org/rfc/rfc7983#section-7">RFC 7983 section 7</a>).
 *
 * <pre>
 *                 +----------------+
 *                 |        [0..3] -+--&gt; forward to STUN
 *                 |                |
 *                 |      [16..19] -+--&gt; forward to ZRTP      (UNKNOWN here)
 *                 |                |
 *     packet --&gt;  |      [20..63] -+--&gt; forward to DTLS
 *                 |                |
 *                 |      [64..79] -+--&gt; forward to TURN Channel (UNKNOWN here)
 *                 |                |
 *                 |    [128..191] -+--&gt; forward to RTP/RTCP
 *                 +----------------+
 * </pre>
 */
public enum PacketKind {
    STUN, DTLS, RTP_RTCP, UNKNOWN;

    /** Classifies by the first byte of a datagram; never throws. */
    public static PacketKind of(byte firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 128 && b <= 191) {
            return RTP_RTCP;
        }
        return UNKNOWN;
    }
}
