package dev.arena.rtc.transport;

/** The state of one transport, combining ICE and DTLS as RTCPeerConnection's connectionState does. */
public enum TransportState {
    /** Created; no valid ICE check yet. */
    NEW,
    /** ICE has a path and DTLS is handshaking. */
    CONNECTING,
    /** ICE, DTLS and SRTP are up: media flows. */
    CONNECTED,
    /** Consent expired (RFC 7675); comes back to CONNECTED if the peer checks in again. */
    DISCONNECTED,
    /** DTLS failed (wrong fingerprint, timeout) or ICE failed; terminal. */
    FAILED,
    /** Closed locally or by the peer's close_notify; terminal. */
    CLOSED;

    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
