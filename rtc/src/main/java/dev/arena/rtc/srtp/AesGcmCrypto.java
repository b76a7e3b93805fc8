package dev.arena.rtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM (RFC 7714): 16-byte tag, 12-byte IV. RTP (section 8): IV = (00 00 || SSRC || ROC || SEQ)
 * XOR salt, AAD = the RTP header with CSRCs and extension. RTCP (section 9): IV = (00 00 || SSRC || 00 00 ||
 * 0 || SRTCP index) XOR salt, AAD = the 8-byte header plus the E||index word, which follows the tag.
 * Unencrypted SRTCP (E = 0) authenticates the whole packet as AAD (section 9.2). On JCE's AES/GCM/NoPadding,
 * whose CTR and GHASH intrinsics make it the fastest option on the JDK; it needs a new GCMParameterSpec and
 * an init per packet, about 1.1 KB of garbage per packet (docs/performance.md).
 */
final class AesGcmCrypto extends SrtpCrypto {
    static final int TAG = 16;

    private final Cipher gcm;
    private final SecretKeySpec rtpKey;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[12];
    private final byte[] eword = new byte[4];

    AesGcmCrypto(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
        this.rtpKey = new SecretKeySpec(rtpKey, "AES");
        this.rtcpKey = new SecretKeySpec(rtcpKey, "AES");
        this.rtpSalt = rtpSalt.clone();
        this.rtcpSalt = rtcpSalt.clone();
    }

    static AesGcmCrypto fromMaster(byte[] key, byte[] salt) {
        return new AesGcmCrypto(
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_ENCRYPTION, 16),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_SALT, 12),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTCP_ENCRYPTION, 16),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTCP_SALT, 12));
    }

    @Override
    int rtpTagLength() {
        return TAG;
    }

    @Override
    int rtcpIndexFromEnd() {
        return 4;
    }

    @Override
    int rtcpOverhead() {
        return 4 + TAG;
    }

    private void rtpIv(int ssrc, long index) {
        byte[] s = rtpSalt;
        int roc = (int) (index >>> 16);
        iv[0] = s[0];
        iv[1] = s[1];
        iv[2] = (byte) (s[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (s[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (s[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (s[5] ^ ssrc);
        iv[6] = (byte) (s[6] ^ (roc >>> 24));
        iv[7] = (byte) (s[7] ^ (roc >>> 16));
        iv[8] = (byte) (s[8] ^ (roc >>> 8));
        iv[9] = (byte) (s[9] ^ roc);
        iv[10] = (byte) (s[10] ^ (index >>> 8));
        iv[11] = (byte) (s[11] ^ index);
    }

    private void rtcpIv(int ssrc, int index) {
        byte[] s = rtcpSalt;
        iv[0] = s[0];
        iv[1] = s[1];
        iv[2] = (byte) (s[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (s[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (s[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (s[5] ^ ssrc);
        iv[6] = s[6];
        iv[7] = s[7];
        iv[8] = (byte) (s[8] ^ ((index >>> 24) & 0x7f));
        iv[9] = (byte) (s[9] ^ (index >>> 16));
        iv[10] = (byte) (s[10] ^ (index >>> 8));
        iv[11] = (byte) (s[11] ^ index);
    }

    @Override
    int protectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index) throws GeneralSecurityException {
        rtpIv(ssrc, index);
        gcm.init(Cipher.ENCRYPT_MODE, rtpKey, new GCMParameterSpec(TAG * 8, iv));
        gcm.updateAAD(buf, off, hdr);
        int n = gcm.doFinal(buf, off + hdr, len - hdr, buf, off + hdr);
        return hdr + n;
    }

    @Override
    int unprotectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index) throws GeneralSecurityException {
        rtpIv(ssrc, index);
        gcm.init(Cipher.DECRYPT_MODE, rtpKey, new GCMParameterSpec(TAG * 8, iv));
        gcm.updateAAD(buf, off, hdr);
        try {
            return hdr + gcm.doFinal(buf, off + hdr, len - hdr, buf, off + hdr);
        } catch (AEADBadTagException e) {
            return -1;
        }
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) throws GeneralSecurityException {
        rtcpIv(ssrc, index);
        putInt(eword, 0, 0x80000000 | index);
        gcm.init(Cipher.ENCRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
        gcm.updateAAD(buf, off, 8);
        gcm.updateAAD(eword, 0, 4);
        int n = gcm.doFinal(buf, off + 8, len - 8, buf, off + 8);
        System.arraycopy(eword, 0, buf, off + 8 + n, 4);
        return 8 + n + 4;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int index, boolean encrypted)
            throws GeneralSecurityException {
        int body = len - 4; // header + (cipher)text + tag
        System.arraycopy(buf, off + body, eword, 0, 4);
        rtcpIv(ssrc, index);
        gcm.init(Cipher.DECRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
        try {
            if (encrypted) {
                gcm.updateAAD(buf, off, 8);
                gcm.updateAAD(eword, 0, 4);
                return 8 + gcm.doFinal(buf, off + 8, body - 8, buf, off + 8);
            }
            int plain = body - TAG;
            gcm.updateAAD(buf, off, plain);
            gcm.updateAAD(eword, 0, 4);
            gcm.doFinal(buf, off + plain, TAG, buf, off + plain);
            return plain;
        } catch (AEADBadTagException e) {
            return -1;
        }
    }
}
