package dev.arena.rtc.srtp;

import java.security.GeneralSecurityException;

/**
 * The RFC 7714 framing shared by the AEAD_AES_128_GCM implementations (16-byte tag, 12-byte IV). RTP (section
 * 8): IV = (00 00 || SSRC || ROC || SEQ) XOR salt, AAD = the RTP header with CSRCs and extension. RTCP (section
 * 9): IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt, AAD = the 8-byte header plus the E||index
 * word, which follows the tag. Unencrypted SRTCP (E = 0) authenticates the whole packet as AAD (section 9.2).
 * A subclass only runs the cipher: {@link #seal} and {@link #open}, with the IV already in {@link #iv} and, for
 * RTCP, the E||index word in {@link #eword}. Nothing here allocates per packet.
 */
abstract sealed class AesGcmBase extends SrtpCrypto permits AesGcmCrypto, AesGcmJavaCrypto, AesGcmOpenSslCrypto {
    static final int TAG = 16;

    /** The constructor of an implementation, from the RTP and RTCP session keys and salts. */
    @FunctionalInterface
    interface Factory<T extends AesGcmBase> {
        T create(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt);
    }

    /** Derives the session keys and salts from the master key and salt (RFC 3711 section 4.3). */
    static <T extends AesGcmBase> T fromMaster(byte[] key, byte[] salt, Factory<T> factory) {
        return factory.create(
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_ENCRYPTION, 16),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_SALT, 12),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTCP_ENCRYPTION, 16),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTCP_SALT, 12));
    }

    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    /** The IV of the packet being processed. */
    final byte[] iv = new byte[12];
    /** The SRTCP E||index word of the packet being processed (RTCP only). */
    final byte[] eword = new byte[4];

    AesGcmBase(byte[] rtpSalt, byte[] rtcpSalt) {
        this.rtpSalt = rtpSalt.clone();
        this.rtcpSalt = rtcpSalt.clone();
    }

    /**
     * Encrypts {@code buf[off + aadLen, +n)} in place under the RTP or RTCP key and {@link #iv}, with AAD =
     * {@code buf[off, off + aadLen)}, followed by {@link #eword} when {@code rtcp}; writes the tag right after
     * the text.
     */
    abstract void seal(boolean rtcp, byte[] buf, int off, int aadLen, int n) throws GeneralSecurityException;

    /**
     * The inverse of {@link #seal}: checks the tag at {@code buf[off + aadLen + n]} and decrypts the text in
     * place; returns false, leaving the text encrypted, if the tag does not match.
     */
    abstract boolean open(boolean rtcp, byte[] buf, int off, int aadLen, int n) throws GeneralSecurityException;

    @Override
    final int rtpTagLength() {
        return TAG;
    }

    @Override
    final int rtcpIndexFromEnd() {
        return 4;
    }

    @Override
    final int rtcpOverhead() {
        return 4 + TAG;
    }

    /**
     * Sets {@link #iv} to (00 00 || SSRC || 48-bit index) XOR salt: for RTP the index is ROC || SEQ (RFC 7714
     * section 8.1), for RTCP 00 00 || 0 || the 31-bit SRTCP index (section 9.1).
     */
    private void setIv(byte[] s, int ssrc, long index) {
        iv[0] = s[0];
        iv[1] = s[1];
        iv[2] = (byte) (s[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (s[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (s[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (s[5] ^ ssrc);
        iv[6] = (byte) (s[6] ^ (index >>> 40));
        iv[7] = (byte) (s[7] ^ (index >>> 32));
        iv[8] = (byte) (s[8] ^ (index >>> 24));
        iv[9] = (byte) (s[9] ^ (index >>> 16));
        iv[10] = (byte) (s[10] ^ (index >>> 8));
        iv[11] = (byte) (s[11] ^ index);
    }

    @Override
    final int protectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index)
            throws GeneralSecurityException {
        setIv(rtpSalt, ssrc, index);
        seal(false, buf, off, hdr, len - hdr);
        return len + TAG;
    }

    @Override
    final int unprotectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index)
            throws GeneralSecurityException {
        setIv(rtpSalt, ssrc, index);
        int n = len - hdr - TAG;
        return open(false, buf, off, hdr, n) ? hdr + n : -1;
    }

    @Override
    final int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) throws GeneralSecurityException {
        setIv(rtcpSalt, ssrc, index & 0x7fffffffL);
        putInt(eword, 0, 0x80000000 | index);
        seal(true, buf, off, 8, len - 8);
        System.arraycopy(eword, 0, buf, off + len + TAG, 4);
        return len + TAG + 4;
    }

    @Override
    final int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int index, boolean encrypted)
            throws GeneralSecurityException {
        int body = len - 4; // header + (cipher)text + tag
        System.arraycopy(buf, off + body, eword, 0, 4);
        setIv(rtcpSalt, ssrc, index & 0x7fffffffL);
        if (encrypted) {
            int n = body - 8 - TAG;
            return open(true, buf, off, 8, n) ? 8 + n : -1;
        }
        int plain = body - TAG;
        return open(true, buf, off, plain, 0) ? plain : -1;
    }
}
