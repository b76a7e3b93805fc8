package dev.arena.rtc.ice;

/**
 * State of one ICE association (after RTCIceConnectionState, W3C webrtc-pc section 5.6; RFC 8445 section 8,
 * RFC 7675 for DISCONNECTED on lost consent).
 */
public enum IceState {
    NEW, CHECKING, CONNECTED, DISCONNECTED, FAILED, CLOSED
}
