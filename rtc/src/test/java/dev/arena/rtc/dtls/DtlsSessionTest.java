package dev.arena.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.srtp.SrtpProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both sides are real BouncyCastle DTLS sessions, wired in process. */
class DtlsSessionTest {

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void handshakeCompletesWithSameProfileAndKeyingMaterial(DtlsRole roleA) throws Exception {
        try (DtlsPair pair = DtlsPair.builder().roleA(roleA).build().start()) {
            RecordingListener.Connected a = pair.listenerA.awaitConnected();
            RecordingListener.Connected b = pair.listenerB.awaitConnected();
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, a.profile());
            assertEquals(a.profile(), b.profile());
            assertEquals(SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength(), a.keyingMaterial().length);
            assertArrayEquals(a.keyingMaterial(), b.keyingMaterial());
            assertEquals(DtlsState.CONNECTED, pair.a.state());
            assertEquals(DtlsState.CONNECTED, pair.b.state());
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, pair.a.srtpProfile());
            assertFalse(pair.listenerA.failed.isDone());
            assertFalse(pair.listenerB.failed.isDone());
        }
    }

    @Test
    void keyingMaterialDiffersBetweenHandshakes() throws Exception {
        byte[] first;
        try (DtlsPair pair = DtlsPair.builder().build().start()) {
            first = pair.listenerA.awaitConnected().keyingMaterial();
        }
        try (DtlsPair pair = DtlsPair.builder().build().start()) {
            assertFalse(java.util.Arrays.equals(first, pair.listenerA.awaitConnected().keyingMaterial()));
        }
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void lostDatagramsAreRetransmitted(DtlsRole roleA) throws Exception {
        // lose A's first flight and B's first datagram: both sides must resend
        try (DtlsPair pair = DtlsPair.builder().roleA(roleA).dropFromA(n -> n == 1).dropFromB(n -> n == 1)
                .build().start()) {
            RecordingListener.Connected a = pair.listenerA.awaitConnected();
            RecordingListener.Connected b = pair.listenerB.awaitConnected();
            assertArrayEquals(a.keyingMaterial(), b.keyingMaterial());
            assertTrue(pair.droppedFromA.get() == 1 && pair.droppedFromB.get() == 1);
            assertTrue(pair.sentByA.get() > 1 && pair.sentByB.get() > 1);
        }
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void wrongFingerprintFailsOnTheCheckingSideAndNobodyConnects(DtlsRole checkingRole) throws Exception {
        String wrong = DtlsCertificate.generate().fingerprintValue();
        // A is the side with the wrong expectation of B's certificate
        try (DtlsPair pair = DtlsPair.builder().roleA(checkingRole).fingerprintOfBSeenByA(wrong).build().start()) {
            RecordingListener.Failed failedA = pair.listenerA.awaitFailed();
            assertTrue(failedA.reason().contains("fingerprint"), failedA.reason());
            RecordingListener.Failed failedB = pair.listenerB.awaitFailed();
            assertTrue(failedB.reason().contains("bad_certificate"), failedB.reason());
            assertEquals(DtlsState.FAILED, pair.a.state());
            assertEquals(DtlsState.FAILED, pair.b.state());
            assertFalse(pair.listenerA.connected.isDone());
            assertFalse(pair.listenerB.connected.isDone());
        }
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void silentPeerHitsTheHandshakeTimeout(DtlsRole role) throws Exception {
        RecordingListener listener = new RecordingListener();
        AtomicInteger sent = new AtomicInteger();
        DtlsSession session = new DtlsSession(role, DtlsPair.CERT_A, "sha-256", DtlsPair.CERT_B.fingerprintValue(),
                d -> sent.incrementAndGet(), listener, Duration.ofSeconds(2));
        session.start();
        RecordingListener.Failed failed = listener.awaitFailed();
        assertTrue(failed.reason().contains("timed out"), failed.reason());
        assertEquals(DtlsState.FAILED, session.state());
        assertFalse(listener.connected.isDone());
        if (role == DtlsRole.CLIENT) {
            assertTrue(sent.get() >= 1, "the ClientHello was sent");
        }
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void closeNotifyReachesThePeer(DtlsRole roleA) throws Exception {
        try (DtlsPair pair = DtlsPair.builder().roleA(roleA).build().start()) {
            pair.listenerA.awaitConnected();
            pair.listenerB.awaitConnected();
            pair.a.close();
            assertEquals(DtlsState.CLOSED, pair.a.state());
            pair.listenerB.awaitClosed();
            assertEquals(DtlsState.CLOSED, pair.b.state());
            assertFalse(pair.listenerA.closed.isDone(), "no onClosed for the side that closed");
            assertFalse(pair.listenerA.failed.isDone());
            assertFalse(pair.listenerB.failed.isDone());
        }
    }

    @Test
    void applicationDataFlowsBothWays() throws Exception {
        try (DtlsPair pair = DtlsPair.builder().build().start()) {
            pair.listenerA.awaitConnected();
            pair.listenerB.awaitConnected();
            assertEquals(1191, pair.a.applicationDataLimit(), "AES-GCM record in a 1228-byte datagram");
            byte[] hello = "hello over dtls".getBytes(StandardCharsets.UTF_8);
            assertTrue(pair.a.send(hello, 0, hello.length));
            assertArrayEquals(hello, pair.listenerB.data.poll(30, TimeUnit.SECONDS));
            byte[] reply = "reply".getBytes(StandardCharsets.UTF_8);
            assertTrue(pair.b.send(reply, 0, reply.length));
            assertArrayEquals(reply, pair.listenerA.data.poll(30, TimeUnit.SECONDS));
            byte[] tooBig = new byte[pair.a.applicationDataLimit() + 1];
            assertThrows(IllegalArgumentException.class, () -> pair.a.send(tooBig, 0, tooBig.length));
        }
    }

    @Test
    void sendBeforeConnectedReturnsFalse() {
        DtlsSession s = new DtlsSession(DtlsRole.CLIENT, DtlsPair.CERT_A, "sha-256",
                DtlsPair.CERT_B.fingerprintValue(), d -> { }, new RecordingListener(), Duration.ofSeconds(5));
        assertFalse(s.send(new byte[10], 0, 10));
        assertEquals(-1, s.applicationDataLimit());
    }

    @Test
    void garbageIsDroppedAndCountedWhileTheHandshakeCompletes() throws Exception {
        try (DtlsPair pair = DtlsPair.builder().build()) {
            byte[][] garbage = {
                {},
                {22, (byte) 0xfe, (byte) 0xfd},
                {0x17, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5}, // TLS, not DTLS, version
                {(byte) 0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // RTP
                {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 1, 2, 3}, // length past the end
            };
            for (byte[] g : garbage) {
                assertFalse(pair.a.receive(g, 0, g.length));
                assertFalse(pair.b.receive(g, 0, g.length));
            }
            assertEquals(garbage.length, pair.a.drops().total());
            assertEquals(1, pair.a.drops().get(DtlsDrop.BAD_VERSION));
            assertEquals(1, pair.a.drops().get(DtlsDrop.BAD_CONTENT_TYPE));
            assertEquals(2, pair.a.drops().get(DtlsDrop.TOO_SHORT));
            assertEquals(1, pair.a.drops().get(DtlsDrop.BAD_LENGTH));
            pair.start();
            for (byte[] g : garbage) {
                pair.a.receive(g, 0, g.length);
                pair.b.receive(g, 0, g.length);
            }
            RecordingListener.Connected a = pair.listenerA.awaitConnected();
            assertArrayEquals(a.keyingMaterial(), pair.listenerB.awaitConnected().keyingMaterial());
            assertEquals(2L * garbage.length, pair.b.drops().total());
        }
    }

    @Test
    void fullQueueDropsAndCounts() {
        DtlsSession s = new DtlsSession(DtlsRole.SERVER, DtlsPair.CERT_A, "sha-256",
                DtlsPair.CERT_B.fingerprintValue(), d -> { }, new RecordingListener(), Duration.ofSeconds(5));
        byte[] record = new byte[13 + 100];
        record[0] = 22;
        record[1] = (byte) 0xfe;
        record[2] = (byte) 0xfd;
        record[12] = 100;
        int accepted = 0;
        for (int i = 0; i < DtlsSession.QUEUE_CAPACITY + 10; i++) {
            if (s.receive(record, 0, record.length)) {
                accepted++;
            }
        }
        assertEquals(DtlsSession.QUEUE_CAPACITY, accepted);
        assertEquals(10, s.drops().get(DtlsDrop.QUEUE_FULL));
        s.close();
        assertFalse(s.receive(record, 0, record.length));
        assertEquals(1, s.drops().get(DtlsDrop.SESSION_ENDED));
    }

    @Test
    void closeBeforeOrDuringHandshakeReportsNothing() throws Exception {
        RecordingListener listener = new RecordingListener();
        DtlsSession s = new DtlsSession(DtlsRole.CLIENT, DtlsPair.CERT_A, "sha-256",
                DtlsPair.CERT_B.fingerprintValue(), d -> { }, listener, Duration.ofSeconds(30));
        s.start();
        s.close();
        assertEquals(DtlsState.CLOSED, s.state());
        s.close();
        assertThrows(IllegalStateException.class, s::start);
        assertFalse(listener.connected.isDone());
        assertFalse(listener.failed.isDone());
    }

    @Test
    void rejectsMalformedRemoteFingerprint() {
        assertThrows(IllegalArgumentException.class, () -> new DtlsSession(DtlsRole.CLIENT, DtlsPair.CERT_A, "md5",
                "AB:CD", d -> { }, new RecordingListener(), Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class, () -> new DtlsSession(DtlsRole.CLIENT, DtlsPair.CERT_A,
                "sha-256", "AB:CD", d -> { }, new RecordingListener(), Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class, () -> new DtlsSession(DtlsRole.CLIENT, DtlsPair.CERT_A,
                "sha-256", "zz", d -> { }, new RecordingListener(), Duration.ofSeconds(5)));
        // other RFC 8122 hashes and lower case are fine
        assertNotNull(new DtlsSession(DtlsRole.CLIENT, DtlsPair.CERT_A, "SHA-1",
                DtlsCertificate.fingerprintOf("sha-1", DtlsPair.CERT_B.encoded()).toLowerCase(),
                d -> { }, new RecordingListener(), Duration.ofSeconds(5)));
    }

    @Test
    void acceptsOtherFingerprintHashes() throws Exception {
        // B is known to A by its sha-512 fingerprint, lower case
        String sha512 = DtlsCertificate.fingerprintOf("sha-512", DtlsPair.CERT_B.encoded()).toLowerCase();
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        java.util.concurrent.atomic.AtomicReference<DtlsSession> ra = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<DtlsSession> rb = new java.util.concurrent.atomic.AtomicReference<>();
        DtlsSession a = new DtlsSession(DtlsRole.CLIENT, DtlsPair.CERT_A, "sha-512", sha512,
                d -> rb.get().receive(d, 0, d.length), la, Duration.ofSeconds(20));
        DtlsSession b = new DtlsSession(DtlsRole.SERVER, DtlsPair.CERT_B, "sha-256", DtlsPair.CERT_A.fingerprintValue(),
                d -> ra.get().receive(d, 0, d.length), lb, Duration.ofSeconds(20));
        ra.set(a);
        rb.set(b);
        b.start();
        a.start();
        assertArrayEquals(la.awaitConnected().keyingMaterial(), lb.awaitConnected().keyingMaterial());
        a.close();
        b.close();
    }
}
