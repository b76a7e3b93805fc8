package dev.arena.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.testing.Fuzz;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated-valid SRTP/SRTCP input never throws and never unprotects. Long run:
 * {@code mvn -pl rtc test -Dtest=SrtpFuzzTest -Darena.fuzz.iterations=1000000}.
 */
class SrtpFuzzTest {
    private static final SrtpSession CM = SrtpSessionTest.Pair.of(SrtpProfile.AES128_CM_HMAC_SHA1_80).b();
    private static final SrtpSession GCM = SrtpSessionTest.Pair.of(SrtpProfile.AEAD_AES_128_GCM).b();

    @Test
    void randomBytesNeverThrowAndNeverUnprotect() {
        Fuzz.bytes(List.of(), 300, data -> {
            int off = data.length % 41;
            for (SrtpSession s : List.of(CM, GCM)) {
                byte[] buf = new byte[data.length + off + 40];
                System.arraycopy(data, 0, buf, off, data.length);
                assertTrue(s.unprotectRtp(buf.clone(), off, data.length) < 0);
                assertTrue(s.unprotectRtcp(buf.clone(), off, data.length) < 0);
                // protect accepts anything well-formed enough and never throws
                s.protectRtp(buf.clone(), off, data.length);
                s.protectRtcp(buf.clone(), off, data.length);
            }
        });
    }

    @Test
    void mutatedValidPacketsNeverThrowAndNeverPass() {
        Random rnd = new Random(Fuzz.seed());
        // fresh sessions per try: the same (SSRC, index) twice would be an IV repeat, which GCM refuses
        int tries = Math.max(1, Fuzz.iterations() / 10);
        for (int t = 0; t < tries; t++) {
            boolean gcm = rnd.nextBoolean();
            boolean rtcp = rnd.nextBoolean();
            int payload = rnd.nextInt(1001);
            SrtpSessionTest.Pair pair = SrtpSessionTest.Pair.of(gcm ? SrtpProfile.AEAD_AES_128_GCM
                    : SrtpProfile.AES128_CM_HMAC_SHA1_80);
            byte[] buf;
            int n;
            if (rtcp) {
                buf = SrtpSessionTest.rtcp(rnd.nextInt(), payload & ~3);
                n = pair.a().protectRtcp(buf, 0, 8 + (payload & ~3));
            } else {
                buf = SrtpSessionTest.rtp(rnd.nextInt(65536), rnd.nextInt(), payload, rnd.nextInt(16),
                        rnd.nextInt(4) - 1);
                n = pair.a().protectRtp(buf, 0, SrtpSessionTest.rtpLen(buf));
            }
            assertTrue(n > 0);
            byte[] valid = buf.clone();
            int mutations = 1 + rnd.nextInt(4);
            for (int i = 0; i < mutations; i++) {
                buf[rnd.nextInt(n)] ^= (byte) (1 + rnd.nextInt(255));
            }
            if (java.util.Arrays.equals(valid, buf)) { // two mutations cancelled out
                buf[rnd.nextInt(n)] ^= 1;
            }
            int len = rnd.nextInt(4) == 0 ? rnd.nextInt(n + 1) : n;
            int r = rtcp ? pair.b().unprotectRtcp(buf, 0, len) : pair.b().unprotectRtp(buf, 0, len);
            assertTrue(r < 0, "try " + t + " (seed " + Fuzz.seed() + ") unprotected a mutated packet");
            pair.a().close();
            pair.b().close();
        }
    }
}
