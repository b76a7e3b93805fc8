package dev.arena.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.srtp.SrtpProfile;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DtlsWarmupTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void handshakeConnectsBothRolesThenClosesThemAndTheirThreadsEnd() throws Exception {
        DtlsWarmup.Outcome outcome = DtlsWarmup.handshake(DtlsPair.CERT_A, TIMEOUT);
        assertFalse(outcome.handshake().isNegative());
        assertEquals(DtlsRole.SERVER, outcome.server().role());
        assertEquals(DtlsRole.CLIENT, outcome.client().role());
        // closed after connecting (a failed handshake would have thrown and left them FAILED)
        assertEquals(DtlsState.CLOSED, outcome.server().state());
        assertEquals(DtlsState.CLOSED, outcome.client().state());
        assertTrue(outcome.server().finished().isDone(), "server session thread still running");
        assertTrue(outcome.client().finished().isDone(), "client session thread still running");
    }

    @Test
    void startRunsOnADaemonThreadThatEndsAndReportsTheDuration() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Duration> f = DtlsWarmup.start(() -> {
            ranOn.set(Thread.currentThread());
            return DtlsPair.CERT_B;
        }, TIMEOUT);
        Duration took = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(took.isNegative());
        Thread t = ranOn.get();
        assertNotSame(Thread.currentThread(), t);
        assertEquals("dtls-warmup", t.getName());
        assertTrue(t.isDaemon());
        t.join(TIMEOUT.toMillis()); // it completes the future as its last act
        assertFalse(t.isAlive());
        List<Thread> left = Thread.getAllStackTraces().keySet().stream()
                .filter(x -> x.getName().equals("dtls-warmup") && x.isAlive()).toList();
        assertTrue(left.isEmpty(), "warm-up threads left: " + left);
    }

    @Test
    void aFailingCertificateSupplierFailsTheFutureInsteadOfThrowing() {
        CompletableFuture<Duration> f = DtlsWarmup.start(() -> {
            throw new IllegalStateException("no certificate");
        }, TIMEOUT);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("no certificate", e.getCause().getMessage());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtpRoundTripWorksForEveryProfile(SrtpProfile profile) {
        byte[] keyingMaterial = new byte[profile.keyingMaterialLength()];
        new SecureRandom().nextBytes(keyingMaterial);
        DtlsWarmup.srtpRoundTrip(profile, keyingMaterial); // throws if a packet does not round-trip
    }

    @Test
    void rejectsNulls() {
        assertThrows(NullPointerException.class, () -> DtlsWarmup.start(null, TIMEOUT));
        assertThrows(NullPointerException.class, () -> DtlsWarmup.start(() -> DtlsPair.CERT_A, null));
        assertThrows(NullPointerException.class, () -> DtlsWarmup.run(null, TIMEOUT));
    }
}
