package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** Settings shared by {@link SrtpTlsClient} and {@link SrtpTlsServer}. */
final class TlsSupport {
    /** Our certificate is ECDSA, so as a server these are all we can use; AES-128-GCM first (Chromium, aiortc). */
    static final int[] ECDSA_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };
    /** As a client we also accept a server with an RSA certificate. */
    static final int[] CLIENT_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    };
    static final int[] GROUPS = {NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1};

    /** use_srtp offer in preference order (RFC 5764 section 4.1.1, RFC 7714 section 14.2). */
    static final int[] SRTP_PROFILES;

    static {
        SrtpProfile[] all = SrtpProfile.values();
        SRTP_PROFILES = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            SRTP_PROFILES[i] = all[i].useSrtpId;
        }
    }

    private TlsSupport() {
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static Hashtable copy(Hashtable extensions) {
        return extensions == null ? new Hashtable() : new Hashtable(extensions);
    }

    static ProtocolVersion[] versions() {
        return ProtocolVersion.DTLSv12.only();
    }

    static UseSRTPData srtpOffer() {
        return new UseSRTPData(SRTP_PROFILES.clone(), TlsUtils.EMPTY_BYTES);
    }

    static Certificate certificateChain(BcTlsCrypto crypto, DtlsCertificate local) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(local.der())});
    }

    /** An ECDSA signer whose hash is picked from the peer's signature_algorithms (RFC 5246 section 7.4.1.4.1). */
    static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, DtlsCertificate local,
            Vector<?> peerSigAlgs) throws IOException {
        SignatureAndHashAlgorithm alg = TlsUtils.chooseSignatureAndHashAlgorithm(context.getServerVersion(),
                peerSigAlgs, SignatureAlgorithm.ecdsa);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, local.privateKey(),
                certificateChain(crypto, local), alg);
    }

    static byte[] exportSrtpKeyingMaterial(TlsContext context, SrtpProfile profile) {
        return context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
    }
}
