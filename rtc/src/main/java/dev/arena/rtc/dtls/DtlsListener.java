package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpProfile;

/**
 * Reports of a {@link DtlsSession}. Called on the session's own (virtual) thread, never on an I/O thread
 * (except onFailed for a failed {@link DtlsSession#send}, which comes on the caller's thread); hop to your event
 * loop if you touch loop-owned state. A session reports at most one of onFailed and onClosed, and onConnected
 * only before them; nothing is reported after a local {@link DtlsSession#close()}.
 */
public interface DtlsListener {
    /**
     * The handshake completed and the remote certificate matched the SDP fingerprint.
     *
     * @param profile the SRTP protection profile negotiated with use_srtp (RFC 5764 section 4.1.2)
     * @param keyingMaterial {@code profile.keyingMaterialLength()} bytes exported with the label
     *        "EXTRACTOR-dtls_srtp" (RFC 5764 section 4.2): client key, server key, client salt, server salt
     */
    void onConnected(SrtpProfile profile, byte[] keyingMaterial);

    /** The handshake failed (timeout, fingerprint mismatch, alert) or the connection failed later. */
    void onFailed(String reason, Throwable cause);

    /** The peer sent close_notify (not called when we close first). */
    default void onClosed() {
    }

    /**
     * Application data (e.g. SCTP for data channels) received after the handshake. {@code buf} is reused:
     * copy what you keep.
     */
    default void onApplicationData(byte[] buf, int off, int len) {
    }
}
