package dev.arena.rtc.dtls;

/** Life cycle of a {@link DtlsSession}: NEW until start(), then CONNECTING, and CONNECTED or FAILED; CLOSED at the end. */
public enum DtlsState {
    NEW,
    CONNECTING,
    CONNECTED,
    FAILED,
    CLOSED
}
