package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpProfile;
import java.io.IOException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

/** What the BouncyCastle client and server peers report to their {@link DtlsSession}. */
interface DtlsPeerHooks {
    int handshakeTimeoutMillis();

    /** Throws {@code TlsFatalAlert(bad_certificate)} unless the chain's end-entity matches the SDP fingerprint. */
    void verifyRemoteCertificate(Certificate chain) throws IOException;

    void negotiated(SrtpProfile profile, byte[] keyingMaterial);

    void alertReceived(short level, short description);

    static TlsFatalAlert badCertificate(String message) {
        return new TlsFatalAlert(AlertDescription.bad_certificate, message);
    }
}
