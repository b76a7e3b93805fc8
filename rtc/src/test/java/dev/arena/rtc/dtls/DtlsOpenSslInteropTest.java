package dev.arena.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.srtp.SrtpProfile;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A non-BouncyCastle peer (OpenSSL, as aiortc uses) completes DTLS-SRTP with us over real UDP on 127.0.0.1:
 * {@code openssl s_server -dtls1_2} with us as client, {@code openssl s_client -dtls1_2} with us as server.
 * Needs the Debian package {@code openssl}.
 */
class DtlsOpenSslInteropTest {
    private static final String SRTP = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
    private static final int KM_LENGTH = SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength();

    @TempDir
    static Path dir;
    static Path cert;
    static Path key;
    /** Fingerprint of the OpenSSL peer's certificate as openssl prints it. */
    static String opensslFingerprint;

    @BeforeAll
    static void opensslCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        OpenSslPeer.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", "/CN=openssl-peer", "-days", "2", "-keyout", key.toString(), "-out", cert.toString());
        String out = OpenSslPeer.run("x509", "-in", cert.toString(), "-noout", "-fingerprint", "-sha256");
        opensslFingerprint = out.substring(out.indexOf('=') + 1).trim();
        // our fingerprint format is openssl's
        String pem = Files.readString(cert);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        assertEquals(opensslFingerprint, DtlsCertificate.fingerprintOf("sha-256", der));
    }

    /** What openssl offers or accepts so that {@code profile} is the outcome. */
    private static String opensslSrtp(SrtpProfile profile) {
        return profile == SrtpProfile.AEAD_AES_128_GCM ? SRTP : "SRTP_AES128_CM_SHA1_80";
    }

    private static String opensslName(SrtpProfile profile) {
        return profile == SrtpProfile.AEAD_AES_128_GCM ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
    }

    private static String keyingMaterialOf(OpenSslPeer peer) throws InterruptedException {
        String line = peer.awaitLine(l -> l.trim().startsWith("Keying material:"), 30);
        return line.substring(line.indexOf(':') + 1).trim();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void weAreClientOfOpenSslServer(SrtpProfile expected) throws Exception {
        DtlsCertificate ours = DtlsCertificate.generate();
        int port = UdpLink.freePort();
        try (OpenSslPeer server = OpenSslPeer.start("s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-naccept", "1", "-cert", cert.toString(), "-key", key.toString(), "-verify", "1",
                "-use_srtp", opensslSrtp(expected), "-keymatexport", "EXTRACTOR-dtls_srtp",
                    "-keymatexportlen", "" + expected.keyingMaterialLength());
             UdpLink link = new UdpLink(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            server.awaitLine(l -> l.startsWith("ACCEPT"), 30);
            RecordingListener listener = new RecordingListener();
            DtlsSession session = new DtlsSession(DtlsRole.CLIENT, ours, "sha-256", opensslFingerprint,
                    link.sender(), listener, Duration.ofSeconds(20));
            link.attach(session);
            session.start();

            RecordingListener.Connected connected = listener.awaitConnected();
            assertEquals(expected, connected.profile());
            assertEquals(expected.keyingMaterialLength(), connected.keyingMaterial().length);
            server.awaitLine(l -> l.equals("SRTP Extension negotiated, profile=" + opensslName(expected)), 30);
            server.awaitLine(l -> l.equals("CIPHER is ECDHE-ECDSA-AES128-GCM-SHA256"), 30);
            assertEquals(HexFormat.of().withUpperCase().formatHex(connected.keyingMaterial()), keyingMaterialOf(server));
            assertEquals(ours.fingerprintValue(),
                    DtlsCertificate.fingerprintOf("sha-256", server.certificateAfter("Client certificate")));

            byte[] hello = "hello-from-arena\n".getBytes(StandardCharsets.UTF_8);
            assertTrue(session.send(hello, 0, hello.length));
            server.awaitLine(l -> l.equals("hello-from-arena"), 30);
            server.writeLine("hello-from-openssl");
            byte[] got = listener.data.poll(30, TimeUnit.SECONDS);
            assertEquals("hello-from-openssl\n", got == null ? null : new String(got, StandardCharsets.UTF_8));

            session.close();
            server.awaitLine(l -> l.equals("DONE"), 30); // s_server saw our close_notify
            assertTrue(server.awaitExit(30), server.output());
            assertFalse(listener.failed.isDone());
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void weAreServerOfOpenSslClient(SrtpProfile expected) throws Exception {
        DtlsCertificate ours = DtlsCertificate.generate();
        try (UdpLink link = new UdpLink(null)) {
            RecordingListener listener = new RecordingListener();
            DtlsSession session = new DtlsSession(DtlsRole.SERVER, ours, "sha-256", opensslFingerprint,
                    link.sender(), listener, Duration.ofSeconds(20));
            link.attach(session);
            session.start();
            try (OpenSslPeer client = OpenSslPeer.start("s_client", "-dtls1_2",
                    "-connect", "127.0.0.1:" + link.localPort(), "-cert", cert.toString(), "-key", key.toString(),
                    "-use_srtp", opensslSrtp(expected), "-keymatexport", "EXTRACTOR-dtls_srtp",
                    "-keymatexportlen", "" + expected.keyingMaterialLength())) {
                RecordingListener.Connected connected = listener.awaitConnected();
                assertEquals(expected, connected.profile());
                assertEquals(expected.keyingMaterialLength(), connected.keyingMaterial().length);
                client.awaitLine(l -> l.equals("SRTP Extension negotiated, profile=" + opensslName(expected)), 30);
                client.awaitLine(l -> l.contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"), 30);
                client.awaitLine(l -> l.trim().equals("Extended master secret: yes"), 30);
                assertEquals(HexFormat.of().withUpperCase().formatHex(connected.keyingMaterial()),
                        keyingMaterialOf(client));
                assertEquals(ours.fingerprintValue(),
                        DtlsCertificate.fingerprintOf("sha-256", client.certificateAfter("Server certificate")));

                client.writeLine("ping");
                byte[] got = listener.data.poll(30, TimeUnit.SECONDS);
                assertEquals("ping\n", got == null ? null : new String(got, StandardCharsets.UTF_8));

                client.writeLine("Q"); // s_client shuts down: close_notify
                listener.awaitClosed();
                assertEquals(DtlsState.CLOSED, session.state());
                assertFalse(listener.failed.isDone());
            }
        }
    }

    @Test
    void wrongFingerprintFailsAgainstOpenSsl() throws Exception {
        int port = UdpLink.freePort();
        String wrong = DtlsCertificate.generate().fingerprintValue();
        try (OpenSslPeer server = OpenSslPeer.start("s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-naccept", "1", "-cert", cert.toString(), "-key", key.toString(),
                "-use_srtp", SRTP, "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "" + KM_LENGTH);
             UdpLink link = new UdpLink(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            server.awaitLine(l -> l.startsWith("ACCEPT"), 30);
            RecordingListener listener = new RecordingListener();
            DtlsSession session = new DtlsSession(DtlsRole.CLIENT, DtlsCertificate.shared(), "sha-256", wrong,
                    link.sender(), listener, Duration.ofSeconds(20));
            link.attach(session);
            session.start();
            RecordingListener.Failed failed = listener.awaitFailed();
            assertTrue(failed.reason().contains("fingerprint"), failed.reason());
            server.awaitLine(l -> l.contains("bad certificate") || l.contains("alert number 42"), 30);
            assertFalse(listener.connected.isDone());
            assertFalse(server.output().contains("Keying material:"), server.output());
        }
    }
}
