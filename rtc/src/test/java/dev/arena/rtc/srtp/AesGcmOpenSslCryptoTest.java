package dev.arena.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AEAD_AES_128_GCM on OpenSSL libcrypto through FFM (RFC 7714): selection, sessions talking to JCE sessions
 * both ways, tampering, replay, buffer growth and close. The RFC 7714 vectors run in {@link SrtpVectorsTest}.
 */
class AesGcmOpenSslCryptoTest {

    @BeforeAll
    static void libcryptoLoads() {
        // surefire runs with --enable-native-access=ALL-UNNAMED and these machines have libssl3
        assertTrue(LibCrypto.available(), () -> "libcrypto: " + LibCrypto.unavailableReason());
    }

    /** A DTLS-client session on {@code implA} and a DTLS-server session on {@code implB}, same keying material. */
    static SrtpSession[] pair(String implA, String implB, long seed) {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        byte[] km = new byte[p.keyingMaterialLength()];
        new Random(seed).nextBytes(km);
        return new SrtpSession[] {session(implA, SrtpKeys.split(p, km, true)), session(implB, SrtpKeys.split(p, km, false))};
    }

    static SrtpSession session(String impl, SrtpKeys k) {
        String old = System.getProperty("arena.srtp.gcm");
        System.setProperty("arena.srtp.gcm", impl);
        try {
            return k.newSession();
        } finally {
            if (old == null) {
                System.clearProperty("arena.srtp.gcm");
            } else {
                System.setProperty("arena.srtp.gcm", old);
            }
        }
    }

    static SrtpCrypto sendCrypto(SrtpSession s) throws Exception {
        Field f = SrtpSession.class.getDeclaredField("send");
        f.setAccessible(true);
        return (SrtpCrypto) f.get(s);
    }

    @Test
    void openSslIsTheDefaultAndThePropertySelects() throws Exception {
        byte[] km = new byte[SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength()];
        SrtpKeys k = SrtpKeys.split(SrtpProfile.AEAD_AES_128_GCM, km, true);
        assertInstanceOf(AesGcmOpenSslCrypto.class, sendCrypto(k.newSession()));
        assertInstanceOf(AesGcmOpenSslCrypto.class, sendCrypto(session("openssl", k)));
        assertInstanceOf(AesGcmCrypto.class, sendCrypto(session("jce", k)));
        assertInstanceOf(AesGcmJavaCrypto.class, sendCrypto(session("ghash", k)));
    }

    /** OpenSSL protect -> JCE unprotect and back, RTP (CSRCs, extension, sizes 0..1400) and SRTCP. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jce", "ghash"})
    void roundTripsWithTheOtherImplementations(String other) {
        SrtpSession[] s = pair("openssl", other, 11);
        SrtpSession a = s[0];
        SrtpSession b = s[1];
        Random rnd = new Random(5);
        int seq = 65000; // crosses the ROC wrap
        for (int i = 0; i < 400; i++, seq = (seq + 1) & 0xffff) {
            int payload = i < 200 ? i : rnd.nextInt(1400);
            byte[] plain = SrtpSessionTest.rtp(seq, 0x1234 + (i & 3), payload, i % 3, (i % 5) - 1);
            int len = SrtpSessionTest.rtpLen(plain);
            // a -> b (openssl protect, other unprotect)
            byte[] w = plain.clone();
            int n = a.protectRtp(w, 0, len);
            assertEquals(len + 16, n);
            assertEquals(len, b.unprotectRtp(w, 0, n));
            assertArrayEquals(Arrays.copyOf(plain, len), Arrays.copyOf(w, len));
            // b -> a (other protect, openssl unprotect)
            w = plain.clone();
            n = b.protectRtp(w, 0, len);
            assertEquals(len, a.unprotectRtp(w, 0, n));
            assertArrayEquals(Arrays.copyOf(plain, len), Arrays.copyOf(w, len));

            byte[] rc = SrtpSessionTest.rtcp(0x77 + (i & 1), 4 * (i % 40));
            int rl = 8 + 4 * (i % 40);
            byte[] r = rc.clone();
            int m = a.protectRtcp(r, 0, rl);
            assertEquals(rl + 20, m);
            assertEquals(rl, b.unprotectRtcp(r, 0, m));
            assertArrayEquals(Arrays.copyOf(rc, rl), Arrays.copyOf(r, rl));
            r = rc.clone();
            m = b.protectRtcp(r, 0, rl);
            assertEquals(rl, a.unprotectRtcp(r, 0, m));
            assertArrayEquals(Arrays.copyOf(rc, rl), Arrays.copyOf(r, rl));
        }
        assertEquals(0, a.drops().total());
        assertEquals(0, b.drops().total());
        a.close();
        b.close();
    }

    @Test
    void tamperedAndReplayedPacketsAreRejectedAndLeaveTheBufferUntouched() {
        SrtpSession[] s = pair("jce", "openssl", 3);
        byte[] plain = SrtpSessionTest.rtp(9, 3, 100, 2, 1);
        int len = SrtpSessionTest.rtpLen(plain);
        byte[] wire = plain.clone();
        int n = s[0].protectRtp(wire, 0, len);
        for (int i = 0; i < n; i++) {
            byte[] b = wire.clone();
            b[i] ^= 0x20;
            byte[] before = b.clone();
            assertEquals(-1, s[1].unprotectRtp(b, 0, n), "byte " + i);
            assertArrayEquals(before, b, "buffer changed after a failed check, byte " + i);
        }
        assertEquals(n, s[1].drops().total()); // mostly AUTH_FAILED; a flipped extension length is TOO_SHORT
        assertTrue(s[1].drops().get(SrtpDrop.AUTH_FAILED) > n - 4);
        assertEquals(-1, s[1].unprotectRtp(wire.clone(), 0, n - 1)); // truncated tag
        assertEquals(len, s[1].unprotectRtp(wire.clone(), 0, n));
        assertEquals(-1, s[1].unprotectRtp(wire.clone(), 0, n));
        assertEquals(1, s[1].drops().get(SrtpDrop.REPLAYED));

        byte[] rc = SrtpSessionTest.rtcp(3, 40);
        int m = s[0].protectRtcp(rc, 0, 48);
        for (int i = 0; i < m; i++) {
            byte[] b = rc.clone();
            b[i] ^= 0x01;
            assertEquals(-1, s[1].unprotectRtcp(b, 0, m), "rtcp byte " + i);
        }
        assertEquals(48, s[1].unprotectRtcp(rc.clone(), 0, m));
        assertEquals(-1, s[1].unprotectRtcp(rc.clone(), 0, m));
        assertEquals(2, s[1].drops().get(SrtpDrop.REPLAYED));
    }

    @Test
    void refusesToEncryptTheSameIvTwiceInARow() throws Exception {
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        AesGcmOpenSslCrypto c = new AesGcmOpenSslCrypto(key, salt, key, salt);
        byte[] b = new byte[100];
        b[0] = (byte) 0x80;
        c.protectRtp(b, 0, 40, 12, 5, 7);
        assertThrows(GeneralSecurityException.class, () -> c.protectRtp(new byte[100], 0, 40, 12, 5, 7));
        c.protectRtp(new byte[100], 0, 40, 12, 5, 8);
        c.protectRtcp(new byte[100], 0, 40, 5, 1);
        assertThrows(GeneralSecurityException.class, () -> c.protectRtcp(new byte[100], 0, 40, 5, 1));
        c.close();
    }

    /** Packets larger than the initial 2 KB scratch (and a 64 KB one) grow it and still match JCE. */
    @Test
    void largePacketsGrowTheScratchAndMatchJce() throws Exception {
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        new Random(1).nextBytes(key);
        new Random(2).nextBytes(salt);
        AesGcmOpenSslCrypto o = new AesGcmOpenSslCrypto(key, salt, key, salt);
        AesGcmCrypto j = new AesGcmCrypto(key, salt, key, salt);
        Random rnd = new Random(9);
        long index = 0;
        for (int len : new int[] {100, 2100, 5000, 65000, 300, 40000}) {
            int hdr = len > 3000 ? 2060 : 12; // a large header extension: AAD beyond the initial scratch too
            byte[] a = new byte[len + 16];
            rnd.nextBytes(a);
            byte[] b = a.clone();
            byte[] p = a.clone();
            index++;
            assertEquals(len + 16, o.protectRtp(a, 0, len, hdr, 1, index));
            assertEquals(len + 16, j.protectRtp(b, 0, len, hdr, 1, index));
            assertArrayEquals(a, b, "len " + len);
            assertEquals(len, o.unprotectRtp(b, 0, len + 16, hdr, 1, index));
            assertArrayEquals(Arrays.copyOf(p, len), Arrays.copyOf(b, len));
        }
        o.close();
    }

    @Test
    void closeIsIdempotentAndAClosedSessionDropsEverything() {
        SrtpSession[] s = pair("openssl", "openssl", 8);
        byte[] w = SrtpSessionTest.rtp(1, 2, 50, 0, -1);
        int n = s[0].protectRtp(w, 0, 62);
        assertEquals(62 + 16, n);
        s[1].close();
        s[1].close();
        assertEquals(-1, s[1].unprotectRtp(w, 0, n));
        assertEquals(-1, s[1].protectRtp(SrtpSessionTest.rtp(2, 2, 50, 0, -1), 0, 62));
        assertEquals(-1, s[1].protectRtcp(SrtpSessionTest.rtcp(2, 8), 0, 16));
        assertEquals(-1, s[1].unprotectRtcp(SrtpSessionTest.rtcp(2, 40), 0, 48));
        assertEquals(4, s[1].drops().get(SrtpDrop.CLOSED));
        // the crypto object itself refuses use after close instead of touching freed memory
        byte[] key = new byte[16];
        AesGcmOpenSslCrypto c = new AesGcmOpenSslCrypto(key, new byte[12], key, new byte[12]);
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, () -> c.protectRtp(new byte[100], 0, 40, 12, 5, 7));
        s[0].close();
    }
}
