package dev.arena.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    @Test
    void selfSignedEcdsaP256WithSha256Fingerprint() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate();
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.encoded()));
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        ECPublicKey key = (ECPublicKey) x509.getPublicKey();
        assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
        x509.verify(x509.getPublicKey()); // self-signed
        x509.checkValidity();

        assertEquals("sha-256", c.fingerprintAlgorithm());
        assertTrue(c.fingerprintValue().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), c.fingerprintValue());
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(c.encoded()));
        assertEquals(expected, c.fingerprintValue());
        assertEquals("sha-256 " + expected, c.fingerprint());
    }

    @Test
    void sharedIsOnePerProcessAndGenerateIsFresh() {
        assertSame(DtlsCertificate.shared(), DtlsCertificate.shared());
        assertNotEquals(DtlsCertificate.generate().fingerprintValue(), DtlsCertificate.generate().fingerprintValue());
    }

    @Test
    void fingerprintOfOtherHashes() {
        byte[] der = DtlsCertificate.shared().encoded();
        assertEquals(20 * 3 - 1, DtlsCertificate.fingerprintOf("sha-1", der).length());
        assertEquals(64 * 3 - 1, DtlsCertificate.fingerprintOf("SHA-512", der).length());
        assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fingerprintOf("md5", der));
    }
}
