package dev.arena.rtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM (RFC 7714, framing in {@link AesGcmBase}) on JCE's AES/GCM/NoPadding, whose CTR and GHASH
 * intrinsics make it the fastest option on the JDK; it needs a new GCMParameterSpec and an init per packet,
 * about 1.1 KB of garbage per packet (docs/performance.md).
 */
final class AesGcmCrypto extends AesGcmBase {
    private final Cipher gcm;
    private final SecretKeySpec rtpKey;
    private final SecretKeySpec rtcpKey;

    AesGcmCrypto(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        super(rtpSalt, rtcpSalt);
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
        this.rtpKey = new SecretKeySpec(rtpKey, "AES");
        this.rtcpKey = new SecretKeySpec(rtcpKey, "AES");
    }

    static AesGcmCrypto fromMaster(byte[] key, byte[] salt) {
        return fromMaster(key, salt, AesGcmCrypto::new);
    }

    private void init(int mode, boolean rtcp, byte[] buf, int off, int aadLen) throws GeneralSecurityException {
        gcm.init(mode, rtcp ? rtcpKey : rtpKey, new GCMParameterSpec(TAG * 8, iv));
        gcm.updateAAD(buf, off, aadLen);
        if (rtcp) {
            gcm.updateAAD(eword, 0, 4);
        }
    }

    @Override
    void seal(boolean rtcp, byte[] buf, int off, int aadLen, int n) throws GeneralSecurityException {
        init(Cipher.ENCRYPT_MODE, rtcp, buf, off, aadLen);
        gcm.doFinal(buf, off + aadLen, n, buf, off + aadLen);
    }

    @Override
    boolean open(boolean rtcp, byte[] buf, int off, int aadLen, int n) throws GeneralSecurityException {
        init(Cipher.DECRYPT_MODE, rtcp, buf, off, aadLen);
        try {
            gcm.doFinal(buf, off + aadLen, n + TAG, buf, off + aadLen);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        }
    }
}
