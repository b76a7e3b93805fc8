package dev.arena.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SrtpSessionTest {

    /** Two sessions that talk to each other: a (DTLS client) and b (DTLS server). */
    record Pair(SrtpSession a, SrtpSession b) {
        static Pair of(SrtpProfile p) {
            byte[] km = new byte[p.keyingMaterialLength()];
            new Random(p.ordinal() + 7).nextBytes(km);
            return new Pair(SrtpKeys.split(p, km, true).newSession(), SrtpKeys.split(p, km, false).newSession());
        }
    }

    static byte[] rtp(int seq, int ssrc, int payloadLen, int csrcs, int extWords) {
        int hdr = 12 + 4 * csrcs + (extWords >= 0 ? 4 + 4 * extWords : 0);
        byte[] b = new byte[hdr + payloadLen + 64];
        b[0] = (byte) (0x80 | csrcs | (extWords >= 0 ? 0x10 : 0));
        b[1] = 96;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[4] = 0x12;
        b[7] = 0x34;
        SrtpCrypto.putInt(b, 8, ssrc);
        int p = 12 + 4 * csrcs;
        if (extWords >= 0) {
            b[p] = (byte) 0xbe;
            b[p + 1] = (byte) 0xde;
            b[p + 3] = (byte) extWords;
            for (int i = 0; i < 4 * extWords; i++) {
                b[p + 4 + i] = (byte) (i + 1);
            }
        }
        for (int i = 0; i < payloadLen; i++) {
            b[hdr + i] = (byte) (i * 31 + seq);
        }
        return b;
    }

    static int rtpLen(byte[] b) {
        return b.length - 64;
    }

    static byte[] rtcp(int ssrc, int bodyLen) {
        byte[] b = new byte[8 + bodyLen + 64];
        b[0] = (byte) 0x80;
        b[1] = (byte) 201;
        b[3] = (byte) ((8 + bodyLen) / 4 - 1);
        SrtpCrypto.putInt(b, 4, ssrc);
        for (int i = 0; i < bodyLen; i++) {
            b[8 + i] = (byte) (i + 5);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripWithCsrcAndExtension(SrtpProfile p) {
        Pair s = Pair.of(p);
        int seq = 65000;
        for (int[] shape : new int[][] {{0, -1}, {2, -1}, {0, 3}, {15, 0}, {1, 2}}) {
            for (int payload : new int[] {0, 1, 15, 16, 17, 1200}) {
                byte[] plain = rtp(seq++ & 0xffff, 0xCAFE, payload, shape[0], shape[1]);
                int len = rtpLen(plain);
                byte[] buf = plain.clone();
                int n = s.a().protectRtp(buf, 0, len);
                assertEquals(len + p.rtpTagLength, n);
                int hdr = len - payload;
                assertArrayEquals(Arrays.copyOf(plain, hdr), Arrays.copyOf(buf, hdr), "header stays clear");
                if (payload >= 16) {
                    assertNotEquals(Arrays.toString(Arrays.copyOfRange(plain, hdr, len)),
                            Arrays.toString(Arrays.copyOfRange(buf, hdr, len)));
                }
                assertEquals(len, s.b().unprotectRtp(buf, 0, n));
                assertArrayEquals(Arrays.copyOf(plain, len), Arrays.copyOf(buf, len));
            }
        }
        assertEquals(0, s.b().drops().total());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpAtAnOffset(SrtpProfile p) {
        Pair s = Pair.of(p);
        byte[] plain = rtp(7, 1, 100, 0, -1);
        byte[] buf = new byte[300];
        System.arraycopy(plain, 0, buf, 50, 112);
        int n = s.a().protectRtp(buf, 50, 112);
        assertEquals(112, s.b().unprotectRtp(buf, 50, n));
        assertArrayEquals(Arrays.copyOf(plain, 112), Arrays.copyOfRange(buf, 50, 162));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripBothWays(SrtpProfile p) {
        Pair s = Pair.of(p);
        for (int body : new int[] {0, 4, 20, 100}) {
            byte[] plain = rtcp(0xBEEF, body);
            int len = 8 + body;
            byte[] buf = plain.clone();
            int n = s.b().protectRtcp(buf, 0, len);
            assertEquals(len + 4 + p.rtcpTagLength, n);
            assertEquals(len, s.a().unprotectRtcp(buf, 0, n));
            assertArrayEquals(Arrays.copyOf(plain, len), Arrays.copyOf(buf, len));
        }
        // SRTCP indices count up per SSRC and replays are refused
        byte[] buf = rtcp(0xBEEF, 8);
        int n = s.a().protectRtcp(buf, 0, 16);
        byte[] copy = buf.clone();
        assertEquals(16, s.b().unprotectRtcp(buf, 0, n));
        assertEquals(-1, s.b().unprotectRtcp(copy, 0, n));
        assertEquals(1, s.b().drops().get(SrtpDrop.REPLAYED));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void directionsUseDifferentKeys(SrtpProfile p) {
        Pair s = Pair.of(p);
        byte[] buf = rtp(1, 5, 50, 0, -1);
        int n = s.a().protectRtp(buf, 0, 62);
        // a cannot unprotect its own packet: its receive keys are b's send keys
        assertEquals(-1, s.a().unprotectRtp(buf, 0, n));
        assertEquals(1, s.a().drops().get(SrtpDrop.AUTH_FAILED));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayIsRejectedAndReorderingWithinTheWindowIsAccepted(SrtpProfile p) {
        Pair s = Pair.of(p);
        byte[][] wire = new byte[2000][];
        int[] lens = new int[wire.length];
        for (int i = 0; i < wire.length; i++) {
            wire[i] = rtp(i, 42, 20, 0, -1);
            lens[i] = s.a().protectRtp(wire[i], 0, 32);
        }
        SrtpSession r = s.b();
        assertEquals(32, r.unprotectRtp(wire[10].clone(), 0, lens[10]));
        assertEquals(-1, r.unprotectRtp(wire[10].clone(), 0, lens[10]));
        assertEquals(1, r.drops().get(SrtpDrop.REPLAYED));
        assertEquals(32, r.unprotectRtp(wire[1500].clone(), 0, lens[1500]));
        // 1500 - 1024 = 476: 477 is inside the window, 476 and 11 are too old
        assertEquals(32, r.unprotectRtp(wire[477].clone(), 0, lens[477]));
        assertEquals(-1, r.unprotectRtp(wire[477].clone(), 0, lens[477]));
        assertEquals(-1, r.unprotectRtp(wire[476].clone(), 0, lens[476]));
        assertEquals(-1, r.unprotectRtp(wire[11].clone(), 0, lens[11]));
        assertEquals(2, r.drops().get(SrtpDrop.TOO_OLD));
        assertEquals(32, r.unprotectRtp(wire[1499].clone(), 0, lens[1499]));
        assertEquals(32, r.unprotectRtp(wire[1501].clone(), 0, lens[1501]));
        assertEquals(-1, r.unprotectRtp(wire[1500].clone(), 0, lens[1500]));
        assertEquals(3, r.drops().get(SrtpDrop.REPLAYED));
        // a forged packet (bad tag) does not advance the window
        byte[] forged = wire[1999].clone();
        forged[20] ^= 1;
        assertEquals(-1, r.unprotectRtp(forged, 0, lens[1999]));
        assertEquals(32, r.unprotectRtp(wire[1999].clone(), 0, lens[1999]));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rocWrapsAcrossSequence65535To0(SrtpProfile p) {
        Pair s = Pair.of(p);
        int seq = 65530;
        byte[] reordered = null;
        int reorderedLen = 0;
        for (int i = 0; i < 140_000; i++, seq = (seq + 1) & 0xffff) {
            byte[] buf = rtp(seq, 77, 40, 0, -1);
            int n = s.a().protectRtp(buf, 0, 52);
            if (i == 3) { // seq 65533 held back and delivered after the wrap
                reordered = buf;
                reorderedLen = n;
                continue;
            }
            assertEquals(52, s.b().unprotectRtp(buf, 0, n), "packet " + i + " seq " + seq);
            assertArrayEquals(Arrays.copyOf(rtp(seq, 77, 40, 0, -1), 52), Arrays.copyOf(buf, 52));
            if (i == 10) {
                assertEquals(52, s.b().unprotectRtp(reordered, 0, reorderedLen), "late packet from ROC 0");
            }
        }
        assertEquals(0, s.b().drops().total());
        // the receiver is at ROC 2 now; a packet protected under ROC 0 with a current SEQ fails auth
        SrtpSession fresh = Pair.of(p).a();
        byte[] old = rtp(seq, 77, 40, 0, -1);
        int n = fresh.protectRtp(old, 0, 52);
        assertEquals(-1, s.b().unprotectRtp(old, 0, n));
        assertEquals(1, s.b().drops().get(SrtpDrop.AUTH_FAILED));
    }

    @Test
    void gcmRefusesToProtectTheLastIndexAgain() {
        Pair s = Pair.of(SrtpProfile.AEAD_AES_128_GCM);
        assertEquals(62 + 16, s.a().protectRtp(rtp(1, 5, 50, 0, -1), 0, 62));
        assertEquals(-1, s.a().protectRtp(rtp(1, 5, 50, 0, -1), 0, 62));
        assertEquals(1, s.a().drops().get(SrtpDrop.CRYPTO_ERROR));
    }

    @Test
    void rocEstimationFollowsRfc3711AppendixA() {
        assertEquals(5, StreamState.estimateIndex(-1, 5));
        assertEquals((1L << 16) | 2, StreamState.estimateIndex(65535, 2));
        assertEquals(65535, StreamState.estimateIndex((1L << 16) | 2, 65535));
        assertEquals(-1, StreamState.estimateIndex(2, 65535)); // would be ROC -1
        assertEquals((3L << 16) | 40000, StreamState.estimateIndex((3L << 16) | 100, 40000) + (1L << 16));
        assertEquals((3L << 16) | 100, StreamState.estimateIndex((3L << 16) | 40000, 100) - (1L << 16));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketsAreRejected(SrtpProfile p) {
        Pair s = Pair.of(p);
        byte[] plain = rtp(9, 3, 64, 1, 1);
        int len = rtpLen(plain);
        byte[] wire = plain.clone();
        int n = s.a().protectRtp(wire, 0, len);
        for (int i = 0; i < n; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] b = wire.clone();
                b[i] ^= (byte) (1 << bit);
                assertEquals(-1, s.b().unprotectRtp(b, 0, n), "byte " + i + " bit " + bit);
            }
        }
        assertTrue(s.b().drops().get(SrtpDrop.AUTH_FAILED) > 0);
        assertEquals(len, s.b().unprotectRtp(wire, 0, n));

        byte[] rc = rtcp(3, 24);
        int m = s.a().protectRtcp(rc, 0, 32);
        for (int i = 0; i < m; i++) {
            byte[] b = rc.clone();
            b[i] ^= 0x10;
            assertEquals(-1, s.b().unprotectRtcp(b, 0, m), "rtcp byte " + i);
        }
        assertEquals(32, s.b().unprotectRtcp(rc, 0, m));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedAndMalformedPacketsAreCountedNeverThrown(SrtpProfile p) {
        Pair s = Pair.of(p);
        byte[] wire = rtp(1, 3, 30, 0, 2);
        int n = s.a().protectRtp(wire, 0, rtpLen(wire));
        SrtpSession r = s.b();
        for (int cut = 0; cut < n; cut++) {
            assertEquals(-1, r.unprotectRtp(wire.clone(), 0, cut));
        }
        int hdr = 12 + 4 + 8;
        assertEquals(hdr + p.rtpTagLength, r.drops().get(SrtpDrop.TOO_SHORT));
        assertEquals(n - hdr - p.rtpTagLength, r.drops().get(SrtpDrop.AUTH_FAILED));
        assertEquals(-1, r.unprotectRtp(null, 0, 10));
        assertEquals(-1, r.unprotectRtp(wire, -1, 10));
        assertEquals(-1, r.unprotectRtp(wire, 10, wire.length));
        assertEquals(-1, r.unprotectRtp(wire, 0, -5));
        assertEquals(-1, r.protectRtp(null, 0, 0));
        assertEquals(-1, r.unprotectRtcp(null, 0, 0));
        assertEquals(-1, r.protectRtcp(wire, 5, Integer.MAX_VALUE));
        assertEquals(7, r.drops().get(SrtpDrop.BAD_ARGUMENTS));
        byte[] v1 = wire.clone();
        v1[0] = 0x40;
        assertEquals(-1, r.unprotectRtp(v1, 0, n));
        assertEquals(1, r.drops().get(SrtpDrop.NOT_VERSION_2));
        // an extension length that runs past the packet
        byte[] ext = wire.clone();
        ext[15] = (byte) 0xff;
        assertEquals(-1, r.unprotectRtp(ext, 0, n));
        // no room for the tag on protect
        byte[] tight = Arrays.copyOf(rtp(2, 3, 30, 0, -1), 42);
        assertEquals(-1, s.a().protectRtp(tight, 0, 42));
        assertEquals(1, s.a().drops().get(SrtpDrop.NO_ROOM_FOR_TAG));
        byte[] rc = rtcp(3, 8);
        int m = s.a().protectRtcp(rc, 0, 16);
        for (int cut = 0; cut < m; cut++) {
            assertEquals(-1, r.unprotectRtcp(rc.clone(), 0, cut));
        }
        assertEquals(16, r.unprotectRtcp(rc, 0, m));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void ssrcTableIsCappedAndForgetsRemovedSsrcs(SrtpProfile p) {
        byte[] km = new byte[p.keyingMaterialLength()];
        SrtpKeys a = SrtpKeys.split(p, km, true);
        SrtpKeys b = SrtpKeys.split(p, km, false);
        SrtpSession tx = new SrtpSession(p, a.localKey(), a.localSalt(), a.remoteKey(), a.remoteSalt(), 64);
        SrtpSession rx = new SrtpSession(p, b.localKey(), b.localSalt(), b.remoteKey(), b.remoteSalt(), 4);
        for (int ssrc = 1; ssrc <= 6; ssrc++) {
            byte[] buf = rtp(1, ssrc, 10, 0, -1);
            int n = tx.protectRtp(buf, 0, 22);
            assertEquals(ssrc <= 4 ? 22 : -1, rx.unprotectRtp(buf, 0, n), "ssrc " + ssrc);
        }
        assertEquals(2, rx.drops().get(SrtpDrop.SSRC_LIMIT));
        rx.removeSsrc(2);
        byte[] buf = rtp(2, 6, 10, 0, -1);
        int n = tx.protectRtp(buf, 0, 22);
        assertEquals(22, rx.unprotectRtp(buf, 0, n));
        // the sender side is capped too
        SrtpSession small = new SrtpSession(p, a.localKey(), a.localSalt(), a.remoteKey(), a.remoteSalt(), 1);
        assertEquals(22 + p.rtpTagLength, small.protectRtp(rtp(1, 1, 10, 0, -1), 0, 22));
        assertEquals(-1, small.protectRtp(rtp(1, 2, 10, 0, -1), 0, 22));
    }

    @Test
    void ssrcTableRemovalKeepsProbeChains() {
        SsrcTable t = new SsrcTable(300);
        Random rnd = new Random(1);
        java.util.Map<Integer, StreamState> model = new java.util.HashMap<>();
        for (int step = 0; step < 100_000; step++) {
            int ssrc = rnd.nextInt(600) - 300;
            if (rnd.nextBoolean()) {
                StreamState s = t.get(ssrc);
                if (s == null && !t.isFull()) {
                    model.put(ssrc, t.add(ssrc, false));
                }
            } else {
                assertEquals(model.remove(ssrc) != null, t.remove(ssrc));
            }
            assertEquals(model.size(), t.size());
        }
        for (int k = -300; k < 300; k++) {
            assertEquals(model.get(k), t.get(k), "ssrc " + k);
        }
    }

    @Test
    void keysSplitInRfc5764Order() {
        SrtpProfile p = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] km = new byte[60];
        for (int i = 0; i < km.length; i++) {
            km[i] = (byte) i;
        }
        SrtpKeys client = SrtpKeys.split(p, km, true);
        assertArrayEquals(Arrays.copyOfRange(km, 0, 16), client.localKey());
        assertArrayEquals(Arrays.copyOfRange(km, 16, 32), client.remoteKey());
        assertArrayEquals(Arrays.copyOfRange(km, 32, 46), client.localSalt());
        assertArrayEquals(Arrays.copyOfRange(km, 46, 60), client.remoteSalt());
        SrtpKeys server = SrtpKeys.split(p, km, false);
        assertArrayEquals(client.localKey(), server.remoteKey());
        assertArrayEquals(client.remoteSalt(), server.localSalt());
        assertThrows(IllegalArgumentException.class, () -> SrtpKeys.split(p, new byte[56], true));
        assertEquals(56, SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength());
        SrtpKeys g = SrtpKeys.split(SrtpProfile.AEAD_AES_128_GCM, new byte[56], false);
        assertEquals(12, g.localSalt().length);
        assertTrue(!g.toString().contains("0, 0"));
    }
}
