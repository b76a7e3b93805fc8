package dev.arena.rtc.transport;

/**
 * What a transport reports upward. Media callbacks run on the transport's event loop with a decrypted
 * packet in a buffer that is reused after the call returns: copy what must be kept. The buffer has
 * {@link RtcTransport#SPARE_BYTES} spare bytes after {@code len}, so the packet can be rewritten and sent
 * on in place.
 */
public interface TransportListener {
    default void onStateChange(RtcTransport transport, TransportState state) {}

    default void onRtp(RtcTransport transport, byte[] buf, int off, int len) {}

    default void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {}
}
