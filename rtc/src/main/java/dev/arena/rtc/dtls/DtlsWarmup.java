package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpKeys;
import dev.arena.rtc.srtp.SrtpProfile;
import dev.arena.rtc.srtp.SrtpSession;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Takes the cold start out of a node's first real DTLS-SRTP connection: generates the certificate (if not yet
 * done), runs one complete handshake of a {@link DtlsRole#SERVER} and a {@link DtlsRole#CLIENT} {@link DtlsSession}
 * wired to each other in memory (no sockets), closes both, then does what a transport does on connecting: an
 * {@link SrtpSession} per side from the exported keys and one RTP and one RTCP packet each way. That loads and
 * initialises BouncyCastle's TLS and EC classes (about 450, from signed jars that the JDK verifies on first use) and
 * the OpenSSL binding of SRTP, and takes their code through the interpreter and the JIT once. In a fresh JVM the
 * first handshake costs about 0.55 s of CPU, the first SRTP session about 0.8 s (made on the DTLS thread before the
 * transport reports connected) and the certificate about 1 s, against 0.04 s and 0.01 s warm
 * (docs/performance.md "DTLS cold start"); on a loaded machine the wall time is several times that, long enough
 * for Chromium's initial bandwidth probes to come to nothing.
 *
 * <p>Call {@link #start()} once at node start-up, before accepting peers. It runs on a daemon thread and never
 * throws; the returned future reports how long the warm-up took. When it completes normally, both sessions'
 * threads have ended (the warm-up thread itself ends right after). A node that does not wait for it still works:
 * a handshake that comes during the warm-up just shares the cold start.
 */
public final class DtlsWarmup {
    /** Generous bound for a warm-up on a loaded machine; a handshake that takes longer fails the warm-up. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private DtlsWarmup() {
    }

    /** {@link #start(Supplier, Duration)} with {@link DtlsCertificate#shared()} and {@link #DEFAULT_TIMEOUT}. */
    public static CompletableFuture<Duration> start() {
        return start(DtlsCertificate::shared, DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@link #run} on a new daemon platform thread named {@code dtls-warmup}.
     *
     * @param certificate called on that thread, so that generating the certificate is part of the warm-up
     * @return completes with the warm-up's duration (certificate included), or exceptionally if it failed or timed
     *         out (the node still works then; only its first handshake is slow)
     */
    public static CompletableFuture<Duration> start(Supplier<DtlsCertificate> certificate, Duration timeout) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<Duration> result = new CompletableFuture<>();
        Thread.ofPlatform().name("dtls-warmup").daemon(true).start(() -> {
            long t0 = System.nanoTime();
            try {
                run(certificate.get(), timeout);
                result.complete(Duration.ofNanos(System.nanoTime() - t0));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * One in-memory handshake of a server and a client session that both use {@code certificate}, on the calling
     * thread (the sessions run on their own virtual threads), then the SRTP round trip; returns when both sessions
     * connected, were closed and their threads have ended, and the SRTP sessions are closed.
     *
     * @return how long the handshake took (start to both connected)
     * @throws TimeoutException if the handshake or the sessions' shutdown took longer than {@code timeout}
     * @throws IllegalStateException if the handshake failed or an SRTP packet did not round-trip
     */
    public static Duration run(DtlsCertificate certificate, Duration timeout)
            throws InterruptedException, TimeoutException {
        return handshake(certificate, timeout).handshake();
    }

    record Outcome(Duration handshake, DtlsSession server, DtlsSession client) {
    }

    static Outcome handshake(DtlsCertificate certificate, Duration timeout)
            throws InterruptedException, TimeoutException {
        Objects.requireNonNull(certificate, "certificate");
        long deadline = System.nanoTime() + timeout.toNanos();
        Listener serverListener = new Listener();
        Listener clientListener = new Listener();
        AtomicReference<DtlsSession> serverRef = new AtomicReference<>();
        AtomicReference<DtlsSession> clientRef = new AtomicReference<>();
        String fingerprint = certificate.fingerprintValue();
        DtlsSession server = new DtlsSession(DtlsRole.SERVER, certificate, DtlsCertificate.FINGERPRINT_ALGORITHM,
                fingerprint, d -> clientRef.get().receive(d, 0, d.length), serverListener, timeout);
        DtlsSession client = new DtlsSession(DtlsRole.CLIENT, certificate, DtlsCertificate.FINGERPRINT_ALGORITHM,
                fingerprint, d -> serverRef.get().receive(d, 0, d.length), clientListener, timeout);
        serverRef.set(server);
        clientRef.set(client);
        long t0 = System.nanoTime();
        Duration took;
        try {
            server.start();
            client.start();
            await(CompletableFuture.allOf(serverListener.result, clientListener.result), deadline);
            took = Duration.ofNanos(System.nanoTime() - t0);
        } finally {
            server.close();
            client.close();
        }
        await(CompletableFuture.allOf(server.finished(), client.finished()), deadline);
        srtpRoundTrip(serverListener.profile, serverListener.keyingMaterial);
        return new Outcome(took, server, client);
    }

    private static void await(CompletableFuture<?> f, long deadline) throws InterruptedException, TimeoutException {
        try {
            f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("DTLS warm-up handshake failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * What a transport does next with the handshake's result: one SRTP session per side from the exported keys
     * ({@link SrtpKeys#split}), one RTP and one RTCP packet protected by the client and unprotected by the server
     * and back. The first SRTP session of a JVM costs about as much as the first handshake (OpenSSL through FFM).
     */
    static void srtpRoundTrip(SrtpProfile profile, byte[] keyingMaterial) {
        SrtpSession client = SrtpKeys.split(profile, keyingMaterial, true).newSession();
        SrtpSession server = SrtpKeys.split(profile, keyingMaterial, false).newSession();
        try {
            roundTrip(client, server);
            roundTrip(server, client);
        } finally {
            client.close();
            server.close();
        }
    }

    private static void roundTrip(SrtpSession from, SrtpSession to) {
        byte[] buf = new byte[1500];
        // RTP: V=2, PT 96, seq 1, ts 0, SSRC 1, 1000 bytes of payload
        buf[0] = (byte) 0x80;
        buf[1] = 96;
        buf[3] = 1;
        buf[11] = 1;
        int len = from.protectRtp(buf, 0, 12 + 1000);
        if (len < 0 || to.unprotectRtp(buf, 0, len) != 12 + 1000) {
            throw new IllegalStateException("SRTP warm-up: RTP did not round-trip");
        }
        // RTCP receiver report without blocks: V=2, RC 0, PT 201, length 1, SSRC 1
        java.util.Arrays.fill(buf, (byte) 0);
        buf[0] = (byte) 0x80;
        buf[1] = (byte) 201;
        buf[3] = 1;
        buf[7] = 1;
        len = from.protectRtcp(buf, 0, 8);
        if (len < 0 || to.unprotectRtcp(buf, 0, len) != 8) {
            throw new IllegalStateException("SRTP warm-up: RTCP did not round-trip");
        }
    }

    /** Completes normally on onConnected, exceptionally on onFailed. */
    private static final class Listener implements DtlsListener {
        final CompletableFuture<Void> result = new CompletableFuture<>();
        volatile SrtpProfile profile;
        volatile byte[] keyingMaterial;

        @Override
        public void onConnected(SrtpProfile profile, byte[] keyingMaterial) {
            this.profile = profile;
            this.keyingMaterial = keyingMaterial;
            result.complete(null);
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            result.completeExceptionally(new IllegalStateException(reason, cause));
        }
    }
}
