package dev.arena.rtc.dtls;

import java.util.Locale;

/**
 * Which end of the DTLS handshake we are, derived from the SDP {@code a=setup} attribute
 * (RFC 8842 section 5, RFC 4145 section 4): {@code active} is the DTLS client, {@code passive} the DTLS server.
 */
public enum DtlsRole {
    CLIENT,
    SERVER;

    /**
     * Our role given the remote {@code a=setup} value. The remote's {@code active} makes us the server and
     * {@code passive} the client. An answerer that receives {@code actpass} picks (RFC 8842 section 5); we
     * answer {@code passive} and are the SERVER, like other SFUs: in the ICE-lite server role the browser
     * controls ICE and sends its ClientHello once its checks succeed, so we never send to an unverified address.
     * (RFC 5763 section 5 recommends {@code active} for the lower latency; use
     * {@link #fromRemoteSetup(String, DtlsRole)} to choose CLIENT.) A missing attribute means {@code active}
     * (RFC 4145 section 4).
     *
     * @throws IllegalArgumentException for {@code holdconn} or an unknown value
     */
    public static DtlsRole fromRemoteSetup(String remoteSetup) {
        return fromRemoteSetup(remoteSetup, SERVER);
    }

    /**
     * As {@link #fromRemoteSetup(String)}, with the role we take when the remote offered {@code actpass}.
     */
    public static DtlsRole fromRemoteSetup(String remoteSetup, DtlsRole whenActpass) {
        if (remoteSetup == null) {
            return SERVER;
        }
        return switch (remoteSetup.trim().toLowerCase(Locale.ROOT)) {
            case "active" -> SERVER;
            case "passive" -> CLIENT;
            case "actpass" -> whenActpass;
            default -> throw new IllegalArgumentException("unsupported a=setup value: " + remoteSetup);
        };
    }

    /** The {@code a=setup} value that announces this role in an answer: {@code active} or {@code passive}. */
    public String setupAttribute() {
        return this == CLIENT ? "active" : "passive";
    }
}
