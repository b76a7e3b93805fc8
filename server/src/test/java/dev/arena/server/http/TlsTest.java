package dev.arena.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS and WSS on one port, with a certificate that {@code openssl req -x509} makes for the test. */
class TlsTest {

    /** A self-signed certificate for 127.0.0.1 and localhost, with its key: cert.pem and key.pem in {@code dir}. */
    static WebServer.Tls makeCertificate(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl: " + output);
        return new WebServer.Tls(cert, key);
    }

    /** A client that trusts exactly {@code cert}. */
    static HttpClient trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("arena-test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void httpsAndWssOnTheSamePort(@TempDir Path dir) throws Exception {
        WebServer.Tls tls = makeCertificate(dir);
        AtomicReference<HttpRequest> seen = new AtomicReference<>();
        WebSocketTest.EchoHandler echo = new WebSocketTest.EchoHandler();
        try (WebServer web = new WebServer(new InetSocketAddress("127.0.0.1", 0), tls, false)
                .route("/r", req -> {
                    seen.set(req);
                    return HttpResponse.text(200, "secure");
                }, 0, false)
                .webSocket("/ws", echo)) {
            web.start();
            assertEquals("https", web.scheme());
            HttpClient client = trusting(tls.certificateChain());
            String base = "https://127.0.0.1:" + web.port();
            var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/r")).build(),
                    BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("secure\n", r.body());
            assertEquals("https", seen.get().scheme());
            assertEquals("https://127.0.0.1:" + web.port(), seen.get().origin());
            var page = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/echo.html")).build(),
                    BodyHandlers.ofString());
            assertEquals(200, page.statusCode());

            WebSocketTest.Client listener = new WebSocketTest.Client();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + web.port() + "/ws"),
                    listener).get(30, TimeUnit.SECONDS);
            echo.next();
            for (int i = 0; i < 100; i++) {
                ws.sendText("over tls " + i, true).get();
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("over tls " + i, listener.next());
            }
            ws.sendClose(1000, "done").get();
            assertEquals("close 1000 done", echo.next());

            // a client that does not trust the certificate is refused; plain HTTP on the TLS port gets nothing
            HttpClient untrusting = HttpClient.newHttpClient();
            assertThrows(IOException.class, () -> untrusting.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(base + "/r")).build(), BodyHandlers.ofString()));
            assertThrows(IOException.class, () -> untrusting.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + web.port() + "/r")).timeout(Duration.ofSeconds(10)).build(),
                    BodyHandlers.ofString()));
        }
    }

    @Test
    void aMissingOrBadKeyIsAClearError(@TempDir Path dir) throws Exception {
        WebServer.Tls tls = makeCertificate(dir);
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WebServer(
                new InetSocketAddress("127.0.0.1", 0), new WebServer.Tls(tls.certificateChain(), garbage), false));
        assertTrue(e.getMessage().contains("cannot load the TLS certificate"), e.getMessage());
        assertTrue(e.getMessage().contains("garbage.pem"), e.getMessage());
    }
}
