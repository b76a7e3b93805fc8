package dev.arena.rtc.dtls;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/** The remote {@code a=fingerprint} from SDP (RFC 8122 section 5), checked against the peer's certificate. */
final class RemoteFingerprint {
    private final String algorithm;
    private final byte[] expected;

    RemoteFingerprint(String algorithm, String value) {
        if (algorithm == null || value == null) {
            throw new IllegalArgumentException("remote fingerprint algorithm and value are required");
        }
        this.algorithm = algorithm.trim().toLowerCase(Locale.ROOT);
        int digestLength = DtlsCertificate.digest(this.algorithm).getDigestLength();
        byte[] parsed;
        try {
            parsed = HexFormat.ofDelimiter(":").parseHex(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed fingerprint value: " + value, e);
        }
        if (parsed.length != digestLength) {
            throw new IllegalArgumentException("fingerprint has " + parsed.length + " bytes, " + this.algorithm
                    + " has " + digestLength);
        }
        this.expected = parsed;
    }

    boolean matches(byte[] certificateDer) {
        return MessageDigest.isEqual(expected, DtlsCertificate.digest(algorithm).digest(certificateDer));
    }

    String algorithm() {
        return algorithm;
    }

    @Override
    public String toString() {
        return algorithm + " " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(expected);
    }
}
