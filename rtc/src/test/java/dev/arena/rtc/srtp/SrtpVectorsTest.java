package dev.arena.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3711 appendix B and RFC 7714 sections 16 and 17 test vectors. */
class SrtpVectorsTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    // RFC 3711 B.2
    @Test
    void aesCmKeystreamRfc3711B2() throws Exception {
        AesCmHmacCrypto c = new AesCmHmacCrypto(hex("2B7E151628AED2A6ABF7158809CF4F3C"),
                hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20],
                new byte[16], new byte[14], new byte[20]);
        byte[] ks = new byte[1044512]; // 65282 blocks: XOR into zeros gives the keystream
        c.xorRtpKeystream(0, 0, ks, 0, ks.length);
        assertArrayEquals(hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0"), Arrays.copyOf(ks, 48));
        assertArrayEquals(hex("EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE"
                + "6A2CC3787889374FBEB4C81B17BA6C44"), Arrays.copyOfRange(ks, ks.length - 48, ks.length));
    }

    // RFC 3711 B.3
    @Test
    void keyDerivationRfc3711B3() {
        byte[] key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = hex("0EC675AD498AFEEBB6960B3AABE6");
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_ENCRYPTION, 16));
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"), SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_SALT, 14));
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_AUTH, 20));
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_AUTH, 94));
    }

    // RFC 7714 section 16: key 00..0f, salt "Quid pro quo", SSRC 0x5501a0b2, SEQ 0xf17b, ROC 0.
    static final byte[] GCM_KEY = hex("000102030405060708090a0b0c0d0e0f");
    static final byte[] GCM_SALT = hex("517569642070726f2071756f");
    static final byte[] RTP = hex("8040f17b8041f8d35501a0b247616c6c69612065737420"
            + "6f6d6e697320646976697361 20696e207061727465732074726573");
    static final byte[] SRTP_GCM = hex("8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd5"
            + "0d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce");
    // RFC 7714 section 17.1, SRTCP index 0x5d4.
    static final byte[] RTCP = hex("81c8000d4d6172734e5450314e5450325254502000000 42a0000e9304c756e61"
            + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
    static final byte[] SRTCP_GCM = hex("81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32d"
            + "c676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4");

    /** Every AEAD_AES_128_GCM implementation: "jce", "ghash" (AES/ECB + Java GHASH), "openssl" (libcrypto/FFM). */
    static SrtpCrypto gcm(String impl, byte[] key, byte[] salt) {
        return switch (impl) {
            case "jce" -> new AesGcmCrypto(key, salt, key, salt);
            case "ghash" -> new AesGcmJavaCrypto(key, salt, key, salt);
            case "openssl" -> {
                assertTrue(LibCrypto.available(), () -> "libcrypto: " + LibCrypto.unavailableReason());
                yield new AesGcmOpenSslCrypto(key, salt, key, salt);
            }
            default -> throw new IllegalArgumentException(impl);
        };
    }

    static SrtpCrypto gcm(String impl) {
        return gcm(impl, GCM_KEY, GCM_SALT);
    }

    static SrtpSession gcmVectorSession(String impl) {
        return new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, gcm(impl), gcm(impl), 16);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ghash", "jce", "openssl"})
    void gcmRtpEncryptionRfc7714Section16_1_1(String impl) {
        byte[] buf = Arrays.copyOf(RTP, RTP.length + 16);
        int n = gcmVectorSession(impl).protectRtp(buf, 0, RTP.length);
        assertEquals(SRTP_GCM.length, n);
        assertArrayEquals(SRTP_GCM, Arrays.copyOf(buf, n));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ghash", "jce", "openssl"})
    void gcmRtpDecryptionRfc7714Section16_1_2(String impl) {
        byte[] buf = SRTP_GCM.clone();
        int n = gcmVectorSession(impl).unprotectRtp(buf, 0, buf.length);
        assertEquals(RTP.length, n);
        assertArrayEquals(RTP, Arrays.copyOf(buf, n));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ghash", "jce", "openssl"})
    void gcmRtcpEncryptionRfc7714Section17_1(String impl) throws Exception {
        SrtpCrypto c = gcm(impl);
        byte[] buf = Arrays.copyOf(RTCP, RTCP.length + 20);
        int n = c.protectRtcp(buf, 0, RTCP.length, 0x4d617273, 0x5d4);
        assertEquals(SRTCP_GCM.length, n);
        assertArrayEquals(SRTCP_GCM, Arrays.copyOf(buf, n));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ghash", "jce", "openssl"})
    void gcmRtcpDecryptionRfc7714Section17_1(String impl) {
        byte[] buf = SRTCP_GCM.clone();
        SrtpSession s = gcmVectorSession(impl);
        int n = s.unprotectRtcp(buf, 0, buf.length);
        assertEquals(RTCP.length, n);
        assertArrayEquals(RTCP, Arrays.copyOf(buf, n));
        // the same SRTCP index again is a replay
        assertEquals(-1, s.unprotectRtcp(SRTCP_GCM.clone(), 0, SRTCP_GCM.length));
        assertEquals(1, s.drops().get(SrtpDrop.REPLAYED));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ghash", "jce", "openssl"})
    void gcmVectorsRejectTampering(String impl) {
        for (int i = 0; i < SRTP_GCM.length; i++) {
            byte[] buf = SRTP_GCM.clone();
            buf[i] ^= 0x01;
            SrtpSession s = gcmVectorSession(impl);
            assertEquals(-1, s.unprotectRtp(buf, 0, buf.length), "flipped byte " + i);
        }
        for (int i = 0; i < SRTCP_GCM.length; i++) {
            byte[] buf = SRTCP_GCM.clone();
            buf[i] ^= 0x01;
            SrtpSession s = gcmVectorSession(impl);
            assertEquals(-1, s.unprotectRtcp(buf, 0, buf.length), "flipped byte " + i);
        }
    }

    /**
     * JCE's GCM and another implementation (ECB+GHASH, OpenSSL) agree on random packets, both ways, RTP and
     * SRTCP (E = 0 and 1).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ghash", "openssl"})
    void gcmImplementationsAgreeWithJce(String impl) throws Exception {
        Random rnd = new Random(3);
        for (int i = 0; i < 300; i++) {
            byte[] key = new byte[16];
            byte[] salt = new byte[12];
            rnd.nextBytes(key);
            rnd.nextBytes(salt);
            SrtpCrypto jce = new AesGcmCrypto(key, salt, key, salt);
            SrtpCrypto java = gcm(impl, key, salt);
            int hdr = 12 + 4 * rnd.nextInt(20);
            int len = hdr + rnd.nextInt(1500);
            byte[] a = new byte[len + 40];
            rnd.nextBytes(a);
            byte[] b = a.clone();
            int ssrc = rnd.nextInt();
            long index = rnd.nextLong() & 0xffffffffffffL;
            int na = jce.protectRtp(a, 0, len, hdr, ssrc, index);
            int nb = java.protectRtp(b, 0, len, hdr, ssrc, index);
            assertEquals(na, nb);
            assertArrayEquals(a, b);
            assertEquals(len, java.unprotectRtp(a, 0, na, hdr, ssrc, index));
            assertEquals(len, jce.unprotectRtp(b, 0, nb, hdr, ssrc, index));
            assertArrayEquals(a, b);

            int rl = 8 + rnd.nextInt(200);
            byte[] r1 = new byte[rl + 40];
            rnd.nextBytes(r1);
            byte[] r2 = r1.clone();
            int idx = rnd.nextInt() & 0x7fffffff;
            int m1 = jce.protectRtcp(r1, 0, rl, ssrc, idx);
            assertEquals(m1, java.protectRtcp(r2, 0, rl, ssrc, idx));
            assertArrayEquals(r1, r2);
            assertEquals(rl, java.unprotectRtcp(r1, 0, m1, ssrc, idx, true));
            assertEquals(rl, jce.unprotectRtcp(r2, 0, m1, ssrc, idx, true));
            // E = 0: authentication only, as a peer may send
            byte[] u = new byte[rl + 40];
            rnd.nextBytes(u);
            byte[] aad = Arrays.copyOf(u, rl + 4);
            SrtpCrypto.putInt(aad, rl, idx);
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            byte[] iv = new byte[12];
            SrtpCrypto.putInt(iv, 2, ssrc);
            SrtpCrypto.putInt(iv, 8, idx);
            for (int k = 0; k < 12; k++) {
                iv[k] ^= salt[k];
            }
            c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(
                    key, "AES"), new javax.crypto.spec.GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            byte[] t = c.doFinal();
            System.arraycopy(t, 0, u, rl, 16);
            SrtpCrypto.putInt(u, rl + 16, idx);
            byte[] u2 = u.clone();
            assertEquals(rl, java.unprotectRtcp(u, 0, rl + 20, ssrc, idx, false));
            assertEquals(rl, jce.unprotectRtcp(u2, 0, rl + 20, ssrc, idx, false));
            u[rnd.nextInt(rl + 20)] ^= 4;
            assertEquals(-1, java.unprotectRtcp(u, 0, rl + 20, ssrc, idx, false));
            java.close();
        }
    }
}
