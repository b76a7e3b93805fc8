package dev.arena.rtc.ice;

import java.net.InetSocketAddress;

/**
 * Callbacks of an ICE session or agent. Called while the session's lock is held, from the thread that
 * handled the datagram or ran the timer: do not block, and hand work to your own event loop.
 */
public interface IceListener {
    default void onStateChange(IceState s) {
    }

    /** The address media must now be sent to (a nomination, or a peer that moved). */
    default void onSelectedAddress(InetSocketAddress a) {
    }
}
