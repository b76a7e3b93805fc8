package dev.arena.rtc.transport;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.ice.IceListener;
import dev.arena.rtc.ice.IceLiteServer;
import dev.arena.rtc.ice.IceLiteSession;
import dev.arena.rtc.ice.IceState;
import dev.arena.rtc.udp.PacketKind;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.util.DropCounter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server role: one UDP port, ICE-lite (RFC 8445 section 2.5), serving every transport created on
 * it. STUN goes to the {@link IceLiteServer}, which matches a new address to its transport by the
 * USERNAME's ufrag and checks integrity; every other datagram is routed by its source address to the
 * transport whose ICE session validated that address.
 */
public final class TransportServer implements AutoCloseable {
    private static final long CONSENT_CHECK_INTERVAL_MS = 1000;

    private final UdpEndpoint endpoint;
    private final IceLiteServer ice;
    private final Map<IceLiteSession, RtcTransport> bySession = new ConcurrentHashMap<>();
    private final DropCounter<TransportDrop> drops = new DropCounter<>(TransportDrop.class);
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledFuture<?> consentTimer;
    private volatile Duration handshakeTimeout = RtcTransport.DEFAULT_HANDSHAKE_TIMEOUT;

    private TransportServer(InetSocketAddress bindAddress) {
        this.ice = new IceLiteServer(System::nanoTime);
        this.endpoint = UdpEndpoint.bind(bindAddress, this::onDatagram);
        this.consentTimer = endpoint.executor().scheduleAtFixedRate(this::checkConsent,
                CONSENT_CHECK_INTERVAL_MS, CONSENT_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Binds the shared port (port 0 picks a free one). */
    public static TransportServer start(InetSocketAddress bindAddress) {
        return new TransportServer(Objects.requireNonNull(bindAddress));
    }

    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    public void handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = Objects.requireNonNull(timeout);
    }

    /** Drops in front of the transports: unknown sources and kinds. */
    public DropCounter<TransportDrop> drops() {
        return drops;
    }

    public IceLiteServer ice() {
        return ice;
    }

    public int transportCount() {
        return bySession.size();
    }

    /** The live transports on this port (a read-only view, for stats and metrics). */
    public java.util.Collection<RtcTransport> transports() {
        return java.util.Collections.unmodifiableCollection(bySession.values());
    }

    /** The counters of the shared UDP port. */
    public dev.arena.rtc.udp.UdpStats udpStats() {
        return endpoint.stats();
    }

    /** Whether the shared UDP port is closed. */
    public boolean isClosed() {
        return endpoint.isClosed();
    }

    /**
     * A transport for one peer: it waits for the peer's ICE checks with {@code remote.ice()} as their
     * credentials and answers with {@code localIce}; DTLS then checks the peer's certificate against
     * the remote fingerprint.
     */
    public RtcTransport createTransport(IceCredentials localIce, RemoteParameters remote,
                                        DtlsCertificate certificate, TransportListener listener) {
        String id = "t" + ids.incrementAndGet();
        return new RtcTransport(id, endpoint, transport -> new LiteLink(transport, localIce, remote.ice()),
                remote, certificate, listener, handshakeTimeout);
    }

    @Override
    public void close() {
        consentTimer.cancel(false);
        for (RtcTransport t : bySession.values()) {
            t.close();
        }
        endpoint.close();
    }

    private void onDatagram(byte[] buf, int off, int len, InetSocketAddress from, UdpEndpoint via) {
        if (PacketKind.of(buf[off]) == PacketKind.STUN) {
            ice.handle(buf, off, len, from, via);
            return;
        }
        IceLiteSession session = ice.sessionFor(from);
        RtcTransport transport = session == null ? null : bySession.get(session);
        if (transport == null) {
            drops.count(TransportDrop.UNKNOWN_SOURCE);
            return;
        }
        transport.onDatagram(buf, off, len, from);
    }

    private void checkConsent() {
        for (IceLiteSession s : bySession.keySet()) {
            s.checkConsent();
        }
    }

    /** The ICE-lite side of one server transport. */
    private final class LiteLink implements IceLink, IceListener {
        private final RtcTransport transport;
        private final IceLiteSession session;

        LiteLink(RtcTransport transport, IceCredentials local, IceCredentials remote) {
            this.transport = transport;
            this.session = ice.register(local, remote, this);
            bySession.put(session, transport);
        }

        @Override
        public void onStateChange(IceState s) {
            transport.onIceState(s);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return session.selectedAddress();
        }

        @Override
        public IceCredentials localCredentials() {
            return session.localCredentials();
        }

        @Override
        public void restart(IceCredentials newLocal, IceCredentials newRemote) {
            session.restart(newLocal, newRemote);
        }

        @Override
        public void close() {
            bySession.remove(session);
            ice.unregister(session);
            session.close();
        }
    }
}
