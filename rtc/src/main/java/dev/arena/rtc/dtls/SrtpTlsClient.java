package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS client (a=setup:active) of DTLS-SRTP: offers use_srtp (RFC 5764 section 4.1.1), requires extended
 * master secret (RFC 7627), authenticates the server by the SDP fingerprint and presents our certificate.
 */
final class SrtpTlsClient extends DefaultTlsClient {
    private final BcTlsCrypto crypto;
    private final DtlsCertificate local;
    private final DtlsPeerHooks hooks;
    private SrtpProfile profile;

    SrtpTlsClient(BcTlsCrypto crypto, DtlsCertificate local, DtlsPeerHooks hooks) {
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
        return TlsUtils.getSupportedCipherSuites(getCrypto(), TlsSupport.CLIENT_SUITES);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected Vector getSupportedGroups(Vector namedGroupRoles) {
        Vector groups = new Vector();
        for (int g : TlsSupport.GROUPS) {
            if (getCrypto().hasNamedGroup(g)) {
                groups.add(g);
            }
        }
        return groups;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsSupport.copy(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, TlsSupport.srtpOffer());
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData srtp = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (srtp == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "server did not negotiate use_srtp");
        }
        int[] chosen = srtp.getProtectionProfiles();
        SrtpProfile p = chosen != null && chosen.length == 1 ? SrtpProfile.byUseSrtpId(chosen[0]) : null;
        if (p == null) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose an SRTP profile we did not offer");
        }
        this.profile = p;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                hooks.verifyRemoteCertificate(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                short[] types = request.getCertificateTypes();
                boolean ecdsa = false;
                for (short t : types == null ? new short[0] : types) {
                    ecdsa |= t == ClientCertificateType.ecdsa_sign;
                }
                if (!ecdsa) {
                    return null; // the server cannot take our certificate; let it decide
                }
                return TlsSupport.signer(context, crypto, local, request.getSupportedSignatureAlgorithms());
            }
        };
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
        if (profile == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no SRTP profile");
        }
        hooks.negotiated(profile, TlsSupport.exportSrtpKeyingMaterial(context, profile));
    }
}
