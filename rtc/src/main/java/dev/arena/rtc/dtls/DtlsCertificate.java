package dev.arena.rtc.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed ECDSA P-256 certificate for DTLS-SRTP, identified to the peer by its SHA-256 fingerprint in
 * the SDP {@code a=fingerprint} attribute (RFC 8122 section 5, RFC 8827 section 6.5). The certificate's own
 * fields mean nothing to WebRTC peers: only the fingerprint authenticates it.
 *
 * <p>One per process is enough ({@link #shared()}); {@link #generate()} makes a fresh one (tests, or a node
 * that rotates its identity).
 */
public final class DtlsCertificate {
    /** Hash used for our own fingerprint. */
    public static final String FINGERPRINT_ALGORITHM = "sha-256";

    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprintValue;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprintValue = fingerprintOf(FINGERPRINT_ALGORITHM, der);
    }

    /** A new ECDSA P-256 key pair and self-signed certificate (ecdsa-with-SHA256, valid one year from yesterday). */
    public static DtlsCertificate generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = kpg.generateKeyPair();

            byte[] serialBytes = new byte[8];
            random.nextBytes(serialBytes);
            BigInteger serial = new BigInteger(1, serialBytes).setBit(62); // positive, non-zero, 8 bytes
            X500Name name = new X500Name("CN=arena-" + HexFormat.of().formatHex(serialBytes, 0, 4));
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name,
                    keyPair.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(der, PrivateKeyFactory.createKey(keyPair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate an ECDSA P-256 certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process-wide certificate, generated on first use. */
    public static DtlsCertificate shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final DtlsCertificate INSTANCE = generate();
    }

    /** The SDP {@code a=fingerprint} value: {@code "sha-256 AB:CD:..."}. */
    public String fingerprint() {
        return FINGERPRINT_ALGORITHM + " " + fingerprintValue;
    }

    /** {@code "sha-256"}. */
    public String fingerprintAlgorithm() {
        return FINGERPRINT_ALGORITHM;
    }

    /** Upper-case hex bytes separated by colons (RFC 8122 section 5). */
    public String fingerprintValue() {
        return fingerprintValue;
    }

    /** The DER encoding of the certificate (a copy). */
    public byte[] encoded() {
        return der.clone();
    }

    byte[] der() {
        return der;
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /**
     * The fingerprint of a DER certificate in SDP form (upper-case hex with colons).
     *
     * @param algorithm an RFC 8122 hash name: sha-1, sha-224, sha-256, sha-384 or sha-512 (case-insensitive)
     * @throws IllegalArgumentException for another hash name
     */
    public static String fingerprintOf(String algorithm, byte[] der) {
        return HEX.formatHex(digest(algorithm).digest(der));
    }

    static MessageDigest digest(String algorithm) {
        String jca = switch (algorithm.trim().toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported fingerprint hash: " + algorithm);
        };
        try {
            return MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + fingerprint() + "]";
    }
}
