package dev.arena.rtc.transport;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceControllingAgent;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.ice.IceListener;
import dev.arena.rtc.ice.IceState;
import dev.arena.rtc.udp.PacketKind;
import dev.arena.rtc.udp.DatagramHandler;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The client role: a transport on a port of its own, running full ICE as the controlling agent. */
final class ClientTransports {
    private static final AtomicLong ids = new AtomicLong();
    /**
     * Sockets of a shared group: one media connection each, so modest send queues, and one datagram per read: a
     * client socket rarely has more than one waiting, and Netty's recvmmsg path prepares every slot of the batch
     * (and makes a getsockopt call) on each read, which cost about a quarter of a receiving bot's CPU.
     */
    private static final UdpEndpoint.Options CLIENT_SOCKET = new UdpEndpoint.Options(2048, 1, 16, 256 << 10,
            128 << 10, 2 << 20, UdpEndpoint.Transport.AUTO);

    private ClientTransports() {
    }

    static RtcTransport connect(UdpLoops loops, InetSocketAddress localAddress, IceCredentials localIce,
                                RemoteParameters remote, DtlsCertificate certificate, TransportListener listener,
                                Duration handshakeTimeout) {
        ClientLink[] link = new ClientLink[1];
        RtcTransport[] created = new RtcTransport[1];
        DatagramHandler handler = (buf, off, len, from, via) -> {
            if (link[0] == null) {
                return;
            }
            if (PacketKind.of(buf[off]) == PacketKind.STUN) {
                link[0].agent.handle(buf, off, len, from);
            } else if (from.equals(link[0].agent.selectedAddress())) {
                created[0].onDatagram(buf, off, len, from);
            } else {
                created[0].drops().count(TransportDrop.UNKNOWN_SOURCE);
            }
        };
        UdpEndpoint endpoint = loops == null ? UdpEndpoint.bind(localAddress, handler)
                : UdpEndpoint.bind(loops, localAddress, handler, CLIENT_SOCKET);
        RtcTransport transport = new RtcTransport("c" + ids.incrementAndGet(), endpoint, t -> {
            ClientLink l = new ClientLink(t, endpoint, localIce, remote, loops != null);
            link[0] = l;
            return l;
        }, remote, certificate, listener, handshakeTimeout);
        transport.home(endpoint); // a port of its own: homed from the start
        created[0] = transport;
        endpoint.executor().execute(link[0].agent::start);
        return transport;
    }

    private static final class ClientLink implements IceLink, IceListener {
        private final RtcTransport transport;
        private final UdpEndpoint endpoint;
        private IceCredentials local;
        final IceControllingAgent agent;

        /**
         * Connect the socket to the selected address: only for sockets of a shared group (the bots), whose one peer
         * does not move; a restart towards another address would need the socket disconnected first.
         */
        private final boolean connectOnSelection;

        ClientLink(RtcTransport transport, UdpEndpoint endpoint, IceCredentials local, RemoteParameters remote,
                   boolean connectOnSelection) {
            this.connectOnSelection = connectOnSelection;
            this.transport = transport;
            this.endpoint = endpoint;
            this.local = local;
            this.agent = new IceControllingAgent(local, remote.ice(), remote.candidates(), endpoint,
                    endpoint.executor(), System::nanoTime, this);
        }

        @Override
        public void onStateChange(IceState s) {
            if (s == IceState.CONNECTED && connectOnSelection && agent.selectedAddress() != null) {
                endpoint.connect(agent.selectedAddress()); // the one peer from now on: the cheaper read path
            }
            transport.onIceState(s);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return agent.selectedAddress();
        }

        @Override
        public IceCredentials localCredentials() {
            return local;
        }

        @Override
        public void restart(IceCredentials newLocal, IceCredentials newRemote) {
            local = newLocal;
            agent.restart(newLocal, newRemote);
        }

        @Override
        public void close() {
            agent.close();
            endpoint.close();
        }
    }
}
