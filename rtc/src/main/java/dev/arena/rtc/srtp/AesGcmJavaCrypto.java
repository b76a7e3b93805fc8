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
 * {@link AesGcmCrypto} ({@link AesGcmBase}); the RFC 7714 vectors and a cross-check against JCE cover both.
 */
final class AesGcmJavaCrypto extends AesGcmBase {
    private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final class Key {
        final Cipher ecb;
        final Ghash ghash;

        Key(byte[] key, boolean table) {
            try {
                ecb = Cipher.getInstance("AES/ECB/NoPadding");
                ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
                ghash = new Ghash(ecb.doFinal(new byte[16]), table);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/ECB unavailable", e);
            }
        }
    }

    private final Key rtp;
    private final Key rtcp;
    private final byte[] tag = new byte[16];
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesGcmJavaCrypto(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        super(rtpSalt, rtcpSalt);
        this.rtp = new Key(rtpKey, true);
        this.rtcp = new Key(rtcpKey, false);
    }

    static AesGcmJavaCrypto fromMaster(byte[] key, byte[] salt) {
        return fromMaster(key, salt, AesGcmJavaCrypto::new);
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

    /** GHASH over AAD (buf[off, +aadLen), then eword for RTCP) and the ciphertext buf[off + aadLen, +n). */
    private void authenticate(Key k, boolean rtcp, byte[] buf, int off, int aadLen, int n, byte[] out, int outOff) {
        Ghash g = k.ghash;
        g.reset();
        g.update(buf, off, aadLen);
        if (rtcp) {
            g.update(eword, 0, 4);
        }
        long a = g.pad();
        g.update(buf, off + aadLen, n);
        long c = g.pad();
        g.finish(a, c, keystream, out, outOff);
    }

    @Override
    void seal(boolean rtcp, byte[] buf, int off, int aadLen, int n) throws GeneralSecurityException {
        Key k = rtcp ? this.rtcp : rtp;
        keystream(k, n);
        xor(buf, off + aadLen, n);
        authenticate(k, rtcp, buf, off, aadLen, n, buf, off + aadLen + n);
    }

    @Override
    boolean open(boolean rtcp, byte[] buf, int off, int aadLen, int n) throws GeneralSecurityException {
        Key k = rtcp ? this.rtcp : rtp;
        keystream(k, n);
        authenticate(k, rtcp, buf, off, aadLen, n, tag, 0);
        if (!tagMatches(buf, off + aadLen + n)) {
            return false;
        }
        xor(buf, off + aadLen, n);
        return true;
    }
}
