package dev.arena.rtc.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711 sections 4.1.1 and 4.2.1). The counter-mode keystream is AES/ECB over
 * counter blocks built in a reusable buffer, so nothing is allocated per packet (AES/CTR would need a new
 * IvParameterSpec and a re-init per packet). Counter block: {@code (k_s << 16) XOR (SSRC << 64) XOR (i << 16)}.
 */
final class AesCmHmacCrypto extends SrtpCrypto {
    static final int TAG = 10;
    private static final int MAX_PACKET = 1 << 16;
    private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher rtpEcb;
    private final Cipher rtcpEcb;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final byte[] mac = new byte[HmacSha1.LENGTH];
    private final byte[] roc = new byte[4];
    private final byte[] block = new byte[16];
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCmHmacCrypto(byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuth, byte[] rtcpKey, byte[] rtcpSalt, byte[] rtcpAuth) {
        this.rtpEcb = ecb(rtpKey);
        this.rtcpEcb = ecb(rtcpKey);
        this.rtpSalt = rtpSalt.clone();
        this.rtcpSalt = rtcpSalt.clone();
        this.rtpMac = new HmacSha1(rtpAuth);
        this.rtcpMac = new HmacSha1(rtcpAuth);
    }

    static AesCmHmacCrypto fromMaster(byte[] key, byte[] salt) {
        return new AesCmHmacCrypto(
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_ENCRYPTION, 16),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_SALT, 14),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_AUTH, 20),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTCP_ENCRYPTION, 16),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTCP_SALT, 14),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTCP_AUTH, 20));
    }

    private static Cipher ecb(byte[] key) {
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB unavailable", e);
        }
    }

    @Override
    int rtpTagLength() {
        return TAG;
    }

    @Override
    int rtcpIndexFromEnd() {
        return 4 + TAG;
    }

    @Override
    int rtcpOverhead() {
        return 4 + TAG;
    }

    @Override
    int protectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index) throws GeneralSecurityException {
        xorKeystream(rtpEcb, rtpSalt, ssrc, index, buf, off + hdr, len - hdr);
        putInt(roc, 0, (int) (index >>> 16));
        rtpMac.start();
        rtpMac.update(buf, off, len);
        rtpMac.update(roc, 0, 4);
        rtpMac.finish(mac, 0);
        System.arraycopy(mac, 0, buf, off + len, TAG);
        return len + TAG;
    }

    @Override
    int unprotectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index) throws GeneralSecurityException {
        int authLen = len - TAG;
        putInt(roc, 0, (int) (index >>> 16));
        rtpMac.start();
        rtpMac.update(buf, off, authLen);
        rtpMac.update(roc, 0, 4);
        rtpMac.finish(mac, 0);
        if (!tagEquals(buf, off + authLen)) {
            return -1;
        }
        xorKeystream(rtpEcb, rtpSalt, ssrc, index, buf, off + hdr, authLen - hdr);
        return authLen;
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) throws GeneralSecurityException {
        xorKeystream(rtcpEcb, rtcpSalt, ssrc, index & 0x7fffffffL, buf, off + 8, len - 8);
        putInt(buf, off + len, 0x80000000 | index);
        rtcpMac.start();
        rtcpMac.update(buf, off, len + 4);
        rtcpMac.finish(mac, 0);
        System.arraycopy(mac, 0, buf, off + len + 4, TAG);
        return len + 4 + TAG;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int index, boolean encrypted)
            throws GeneralSecurityException {
        int authLen = len - TAG;
        rtcpMac.start();
        rtcpMac.update(buf, off, authLen);
        rtcpMac.finish(mac, 0);
        if (!tagEquals(buf, off + authLen)) {
            return -1;
        }
        int plain = authLen - 4;
        if (encrypted) {
            xorKeystream(rtcpEcb, rtcpSalt, ssrc, index & 0x7fffffffL, buf, off + 8, plain - 8);
        }
        return plain;
    }

    /** XORs the SRTP (not SRTCP) keystream into buf; for the RFC 3711 appendix B.2 vector. */
    void xorRtpKeystream(int ssrc, long index, byte[] buf, int at, int n) throws GeneralSecurityException {
        xorKeystream(rtpEcb, rtpSalt, ssrc, index, buf, at, n);
    }

    private boolean tagEquals(byte[] buf, int at) {
        int diff = 0;
        for (int i = 0; i < TAG; i++) {
            diff |= mac[i] ^ buf[at + i];
        }
        return diff == 0;
    }

    /** XORs the AES-CM keystream for (ssrc, index) into buf[at, at+n). */
    void xorKeystream(Cipher ecb, byte[] salt, int ssrc, long index, byte[] buf, int at, int n)
            throws GeneralSecurityException {
        if (n <= 0) {
            return;
        }
        int blocks = (n + 15) >>> 4;
        int bytes = blocks << 4;
        if (counters.length < bytes) {
            int size = Math.max(bytes, Math.min(2 * counters.length, MAX_PACKET + 16));
            counters = new byte[size];
            keystream = new byte[size];
        }
        byte[] b = block;
        System.arraycopy(salt, 0, b, 0, 14);
        b[4] ^= (byte) (ssrc >>> 24);
        b[5] ^= (byte) (ssrc >>> 16);
        b[6] ^= (byte) (ssrc >>> 8);
        b[7] ^= (byte) ssrc;
        b[8] ^= (byte) (index >>> 40);
        b[9] ^= (byte) (index >>> 32);
        b[10] ^= (byte) (index >>> 24);
        b[11] ^= (byte) (index >>> 16);
        b[12] ^= (byte) (index >>> 8);
        b[13] ^= (byte) index;
        long hi = (long) BE.get(b, 0);
        long lo = (long) BE.get(b, 8) & ~0xffffL;
        byte[] c = counters;
        for (int j = 0, p = 0; j < blocks; j++, p += 16) {
            BE.set(c, p, hi);
            BE.set(c, p + 8, lo | (j & 0xffff));
        }
        byte[] k = keystream;
        ecb.doFinal(c, 0, bytes, k, 0);
        int i = 0;
        for (; i <= n - 8; i += 8) {
            LE.set(buf, at + i, (long) LE.get(buf, at + i) ^ (long) LE.get(k, i));
        }
        for (; i < n; i++) {
            buf[at + i] ^= k[i];
        }
    }
}
