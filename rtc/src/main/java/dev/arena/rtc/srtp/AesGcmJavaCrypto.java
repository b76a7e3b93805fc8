package dev.arena.rtc.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM (RFC 7714) without JCE's AES/GCM: the counter blocks go through a reusable AES/ECB
 * cipher and {@link Ghash} authenticates, so a packet allocates nothing (JCE's GCM needs a new
 * GCMParameterSpec and re-init per packet, about 1.1 KB of garbage). Opt-in ({@code -Darena.srtp.gcm=ghash}):
 * without the CLMUL intrinsic the table GHASH is about 3x slower than JCE's. Same framing as
 * {@link AesGcmCrypto}; the RFC 7714 vectors and a cross-check against JCE cover both.
 */
final class AesGcmJavaCrypto extends SrtpCrypto {
    static final int TAG = 16;
    private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final class Key {
        final Cipher ecb;
        final Ghash ghash;
        final byte[] salt;

        Key(byte[] key, byte[] salt, boolean table) {
            try {
                ecb = Cipher.getInstance("AES/ECB/NoPadding");
                ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
                ghash = new Ghash(ecb.doFinal(new byte[16]), table);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/ECB unavailable", e);
            }
            this.salt = salt.clone();
        }
    }

    private final Key rtp;
    private final Key rtcp;
    private final byte[] iv = new byte[12];
    private final byte[] eword = new byte[4];
    private final byte[] tag = new byte[16];
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesGcmJavaCrypto(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        this.rtp = new Key(rtpKey, rtpSalt, true);
        this.rtcp = new Key(rtcpKey, rtcpSalt, false);
    }

    static AesGcmJavaCrypto fromMaster(byte[] key, byte[] salt) {
        return new AesGcmJavaCrypto(
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
        byte[] s = rtp.salt;
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
        byte[] s = rtcp.salt;
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

    /** keystream[0,16) = E(K, J0); keystream[16, 16+n) = the keystream for n bytes of text. */
    private void keystream(Key k, int n) throws GeneralSecurityException {
        int blocks = 1 + ((n + 15) >>> 4);
        int bytes = blocks << 4;
        if (counters.length < bytes) {
            int size = Math.max(bytes, Math.min(2 * counters.length, (1 << 16) + 32));
            counters = new byte[size];
            keystream = new byte[size];
        }
        long hi = (long) BE.get(iv, 0);
        long mid = ((long) (((iv[8] & 0xff) << 24) | ((iv[9] & 0xff) << 16) | ((iv[10] & 0xff) << 8) | (iv[11] & 0xff)))
                << 32;
        byte[] c = counters;
        for (int j = 0, p = 0; j < blocks; j++, p += 16) {
            BE.set(c, p, hi);
            BE.set(c, p + 8, mid | ((j + 1) & 0xffffffffL));
        }
        k.ecb.doFinal(c, 0, bytes, keystream, 0);
    }

    private void xor(byte[] buf, int at, int n) {
        byte[] k = keystream;
        int i = 0;
        for (; i <= n - 8; i += 8) {
            LE.set(buf, at + i, (long) LE.get(buf, at + i) ^ (long) LE.get(k, 16 + i));
        }
        for (; i < n; i++) {
            buf[at + i] ^= k[16 + i];
        }
    }

    private boolean tagMatches(byte[] buf, int at) {
        int diff = 0;
        for (int i = 0; i < TAG; i++) {
            diff |= tag[i] ^ buf[at + i];
        }
        return diff == 0;
    }

    @Override
    int protectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index) throws GeneralSecurityException {
        rtpIv(ssrc, index);
        int n = len - hdr;
        keystream(rtp, n);
        xor(buf, off + hdr, n);
        Ghash g = rtp.ghash;
        g.reset();
        g.update(buf, off, hdr);
        long a = g.pad();
        g.update(buf, off + hdr, n);
        long c = g.pad();
        g.finish(a, c, keystream, buf, off + len);
        return len + TAG;
    }

    @Override
    int unprotectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index) throws GeneralSecurityException {
        rtpIv(ssrc, index);
        int n = len - hdr - TAG;
        keystream(rtp, n);
        Ghash g = rtp.ghash;
        g.reset();
        g.update(buf, off, hdr);
        long a = g.pad();
        g.update(buf, off + hdr, n);
        long c = g.pad();
        g.finish(a, c, keystream, tag, 0);
        if (!tagMatches(buf, off + hdr + n)) {
            return -1;
        }
        xor(buf, off + hdr, n);
        return hdr + n;
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) throws GeneralSecurityException {
        rtcpIv(ssrc, index);
        putInt(eword, 0, 0x80000000 | index);
        int n = len - 8;
        keystream(rtcp, n);
        xor(buf, off + 8, n);
        Ghash g = rtcp.ghash;
        g.reset();
        g.update(buf, off, 8);
        g.update(eword, 0, 4);
        long a = g.pad();
        g.update(buf, off + 8, n);
        long c = g.pad();
        g.finish(a, c, keystream, buf, off + len);
        System.arraycopy(eword, 0, buf, off + len + TAG, 4);
        return len + TAG + 4;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int index, boolean encrypted)
            throws GeneralSecurityException {
        int body = len - 4;
        System.arraycopy(buf, off + body, eword, 0, 4);
        rtcpIv(ssrc, index);
        Ghash g = rtcp.ghash;
        g.reset();
        int n = encrypted ? body - 8 - TAG : 0;
        keystream(rtcp, n);
        if (encrypted) {
            g.update(buf, off, 8);
            g.update(eword, 0, 4);
            long a = g.pad();
            g.update(buf, off + 8, n);
            long c = g.pad();
            g.finish(a, c, keystream, tag, 0);
            if (!tagMatches(buf, off + 8 + n)) {
                return -1;
            }
            xor(buf, off + 8, n);
            return 8 + n;
        }
        int plain = body - TAG;
        g.update(buf, off, plain);
        g.update(eword, 0, 4);
        long a = g.pad();
        g.finish(a, 0, keystream, tag, 0);
        return tagMatches(buf, off + plain) ? plain : -1;
    }
}
