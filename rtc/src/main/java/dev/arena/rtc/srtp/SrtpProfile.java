package dev.arena.rtc.srtp;

/**
 * The SRTP protection profiles Arena negotiates in DTLS use_srtp (RFC 5764 section 4.1.2, RFC 7714
 * section 14.2), in order of preference: AEAD first, since crypto per subscriber is the floor of the
 * forwarding cost and GCM authenticates and encrypts in one pass.
 */
public enum SrtpProfile {
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10, 10);

    /** The two-byte identifier in the use_srtp extension. */
    public final int useSrtpId;
    public final int masterKeyLength;
    public final int masterSaltLength;
    /** Bytes appended to an SRTP packet (auth tag or AEAD tag). */
    public final int rtpTagLength;
    /** Bytes of tag in an SRTCP packet (not counting the 4-byte SRTCP index). */
    public final int rtcpTagLength;

    SrtpProfile(int useSrtpId, int masterKeyLength, int masterSaltLength, int rtpTagLength, int rtcpTagLength) {
        this.useSrtpId = useSrtpId;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /** Bytes of keying material to export from DTLS: two keys and two salts (RFC 5764 section 4.2). */
    public int keyingMaterialLength() {
        return 2 * (masterKeyLength + masterSaltLength);
    }

    public static SrtpProfile byUseSrtpId(int id) {
        for (SrtpProfile p : values()) {
            if (p.useSrtpId == id) {
                return p;
            }
        }
        return null;
    }
}
