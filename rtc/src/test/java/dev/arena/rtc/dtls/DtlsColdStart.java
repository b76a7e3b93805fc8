package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpProfile;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures where a fresh JVM's first DTLS handshake spends its time (docs/performance.md "DTLS cold start").
 * Not a test: run it in a fresh JVM each time, e.g.
 *
 * <pre>
 * java -cp rtc/target/classes:rtc/target/test-classes:$(cat cp.txt) dev.arena.rtc.dtls.DtlsColdStart [warm|nowarm] [handshakes]
 * </pre>
 *
 * Prints wall time and process CPU time (all threads, JIT compiler threads included) of each phase: first use of
 * {@code SecureRandom}, {@link DtlsCertificate#shared()}, optionally {@link DtlsWarmup#run}, then {@code handshakes}
 * in-process handshakes (a server and a client {@link DtlsSession}, each with its own certificate like a node and a
 * browser), then twice what a transport does on connecting: an SRTP session per side and a packet each way.
 */
public final class DtlsColdStart {
    private DtlsColdStart() {
    }

    public static void main(String[] args) throws Exception {
        boolean warm = args.length > 0 && args[0].equals("warm");
        int handshakes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf(Locale.ROOT, "main reached %d ms after JVM start%n", System.currentTimeMillis() - jvmStartMs);

        span("SecureRandom first nextBytes", () -> new SecureRandom().nextBytes(new byte[32]));
        span("DtlsCertificate.shared()", DtlsCertificate::shared);
        DtlsCertificate browser = span("DtlsCertificate.generate() (2nd)", DtlsCertificate::generate);
        if (warm) {
            span("DtlsWarmup.run", () -> DtlsWarmup.run(DtlsCertificate.shared(), Duration.ofSeconds(60)));
        }
        for (int i = 1; i <= handshakes; i++) {
            span("handshake " + i, () -> handshake(DtlsCertificate.shared(), browser));
        }
        // what the transport does on onConnected: SRTP sessions from the exported keys, first packets
        SrtpProfile gcm = SrtpProfile.AEAD_AES_128_GCM;
        for (int i = 1; i <= 2; i++) {
            byte[] km = new byte[gcm.keyingMaterialLength()];
            new SecureRandom().nextBytes(km);
            span("SRTP session pair + packets " + i, () -> DtlsWarmup.srtpRoundTrip(gcm, km));
        }
    }

    /** A server session with {@code node} and a client with {@code browser}; returns when both connected. */
    static void handshake(DtlsCertificate node, DtlsCertificate browser) {
        RecordingListener serverListener = new RecordingListener();
        RecordingListener clientListener = new RecordingListener();
        AtomicReference<DtlsSession> serverRef = new AtomicReference<>();
        AtomicReference<DtlsSession> clientRef = new AtomicReference<>();
        DtlsSession server = new DtlsSession(DtlsRole.SERVER, node, "sha-256", browser.fingerprintValue(),
                d -> clientRef.get().receive(d, 0, d.length), serverListener, Duration.ofSeconds(60));
        DtlsSession client = new DtlsSession(DtlsRole.CLIENT, browser, "sha-256", node.fingerprintValue(),
                d -> serverRef.get().receive(d, 0, d.length), clientListener, Duration.ofSeconds(60));
        serverRef.set(server);
        clientRef.set(client);
        server.start();
        client.start();
        try {
            CompletableFuture.allOf(serverListener.connected, clientListener.connected).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            server.close();
            client.close();
        }
    }

    interface Body<T> {
        T run() throws Exception;
    }

    static void span(String name, Runnable body) throws Exception {
        span(name, () -> {
            body.run();
            return null;
        });
    }

    static <T> T span(String name, Body<T> body) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var classes = ManagementFactory.getClassLoadingMXBean();
        long cpu0 = os.getProcessCpuTime();
        long loaded0 = classes.getTotalLoadedClassCount();
        long t0 = System.nanoTime();
        T result = body.run();
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long loaded = classes.getTotalLoadedClassCount() - loaded0;
        System.out.printf(Locale.ROOT, "%-36s wall %7.1f ms  cpu %7.1f ms  classes +%d%n", name, wall / 1e6,
                cpu / 1e6, loaded);
        return result;
    }
}
