package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS server (a=setup:passive) of DTLS-SRTP: picks our preferred profile from the client's use_srtp
 * (RFC 5764 section 4.1.1), requires extended master secret, and requests the client's certificate, which must
 * match the SDP fingerprint (RFC 8842 section 5, RFC 5763 section 5).
 */
final class SrtpTlsServer extends DefaultTlsServer {
    private final BcTlsCrypto crypto;
    private final DtlsCertificate local;
    private final DtlsPeerHooks hooks;
    private SrtpProfile profile;

    SrtpTlsServer(BcTlsCrypto crypto, DtlsCertificate local, DtlsPeerHooks hooks) {
        super(crypto);
        this.crypto = crypto;
        this.local = local;
        this.hooks = hooks;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return TlsSupport.versions();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), TlsSupport.ECDSA_SUITES);
    }

    /** Our order: AES-128-GCM first, the cheapest for the data-channel path and what browsers offer first. */
    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    @Override
    public int[] getSupportedGroups() {
        return TlsSupport.GROUPS.clone();
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return TlsSupport.signer(context, crypto, local,
                context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        for (SrtpProfile candidate : SrtpProfile.values()) {
            for (int id : offered.getProtectionProfiles()) {
                if (id == candidate.useSrtpId) {
                    this.profile = candidate;
                    return;
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {profile.useSrtpId}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        hooks.verifyRemoteCertificate(clientCertificate);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false; // self-signed WebRTC certificates are authenticated by fingerprint only
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return hooks.handshakeTimeoutMillis();
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        hooks.alertReceived(alertLevel, alertDescription);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        hooks.negotiated(profile, TlsSupport.exportSrtpKeyingMaterial(context, profile));
    }
}
