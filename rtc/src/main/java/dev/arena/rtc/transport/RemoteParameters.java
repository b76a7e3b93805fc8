package dev.arena.rtc.transport;

import dev.arena.rtc.dtls.DtlsRole;
import dev.arena.rtc.ice.IceCredentials;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What the remote SDP tells a transport: the peer's ICE credentials and candidates, the certificate
 * fingerprint its DTLS must present, and which DTLS role we take (from a=setup, RFC 8842).
 *
 * @param ice the peer's ice-ufrag and ice-pwd
 * @param fingerprintAlgorithm e.g. "sha-256"
 * @param fingerprintValue upper- or lower-case hex with colons
 * @param localDtlsRole the role we play in the handshake
 * @param candidates the peer's candidates; only the client role (full ICE) uses them
 */
public record RemoteParameters(
        IceCredentials ice,
        String fingerprintAlgorithm,
        String fingerprintValue,
        DtlsRole localDtlsRole,
        List<InetSocketAddress> candidates) {

    public RemoteParameters {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprintAlgorithm, "fingerprintAlgorithm");
        Objects.requireNonNull(fingerprintValue, "fingerprintValue");
        Objects.requireNonNull(localDtlsRole, "localDtlsRole");
        candidates = List.copyOf(candidates);
    }
}
