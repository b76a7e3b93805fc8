package dev.arena.rtc.transport;

import dev.arena.rtc.dtls.DtlsRole;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.sdp.Candidate;
import dev.arena.rtc.sdp.Fingerprint;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.sdp.Setup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a transport's {@link RemoteParameters} out of a remote SDP. With BUNDLE every section shares
 * one transport, so the first section that is not rejected speaks for all (JSEP section 5.8).
 */
public final class SdpParameters {
    private SdpParameters() {
    }

    /** We answer {@code offer}: to actpass we answer passive (DTLS server), as browsers expect of a server. */
    public static RemoteParameters fromOffer(SessionDescription offer) {
        return read(offer, true);
    }

    /** We offered (actpass) and {@code answer} came back: its setup decides our role. */
    public static RemoteParameters fromAnswer(SessionDescription answer) {
        return read(answer, false);
    }

    private static RemoteParameters read(SessionDescription sdp, boolean weAnswer) {
        MediaDescription first = null;
        for (MediaDescription m : sdp.media()) {
            if (!m.isRejected()) {
                first = m;
                break;
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("no media section is accepted: nothing to connect");
        }
        String ufrag = sdp.iceUfragFor(first);
        String pwd = sdp.icePwdFor(first);
        if (ufrag == null || pwd == null) {
            throw new IllegalArgumentException("a=ice-ufrag and a=ice-pwd are required");
        }
        Fingerprint fingerprint = sdp.fingerprintFor(first);
        if (fingerprint == null) {
            throw new IllegalArgumentException("a=fingerprint is required (DTLS-SRTP)");
        }
        Setup setup = sdp.setupFor(first);
        if (!weAnswer && setup == Setup.ACTPASS) {
            throw new IllegalArgumentException("an answer must not say a=setup:actpass (RFC 8842)");
        }
        if (setup == Setup.HOLDCONN) {
            throw new IllegalArgumentException("a=setup:holdconn is not supported");
        }
        // To actpass (only in an offer) we answer passive and are the DTLS server, like every SFU.
        DtlsRole role = DtlsRole.fromRemoteSetup(setup == null ? null : setup.toString());
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (Candidate c : first.candidates()) {
            if (c.isUdp() && c.component() == 1) {
                try {
                    // Literal addresses only: resolving a name (mDNS .local) would block; skip those.
                    candidates.add(new InetSocketAddress(InetAddress.ofLiteral(c.address()), c.port()));
                } catch (IllegalArgumentException notALiteral) {
                    // not usable by a server-side agent
                }
            }
        }
        return new RemoteParameters(new IceCredentials(ufrag, pwd), fingerprint.algorithm(), fingerprint.value(),
                role, candidates);
    }
}
