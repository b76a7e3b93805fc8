package dev.arena.rtc.transport;

import dev.arena.rtc.ice.IceCredentials;
import java.net.InetSocketAddress;

/** The ICE side of a transport, in either role: the lite session on a shared port or a full agent. */
interface IceLink {
    /** The selected remote address, or null before ICE found one. */
    InetSocketAddress remoteAddress();

    IceCredentials localCredentials();

    void restart(IceCredentials newLocal, IceCredentials newRemote);

    void close();
}

/** Creates the ICE side once the transport exists, so that ICE events can reach it. */
interface IceLinkFactory {
    IceLink create(RtcTransport transport);
}
