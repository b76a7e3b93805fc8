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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import dev.arena.rtc.udp.UdpStats;

/**
 * The server role: one UDP port, ICE-lite (RFC 8445 section 2.5), serving every transport created on
 * it. STUN goes to the {@link IceLiteServer}, which matches a new address to its transport by the
 * USERNAME's ufrag and checks integrity; every other datagram is routed by its source address to the
 * transport whose ICE session validated that address.
 *
 * <p>Loops: the port is opened once per event loop with SO_REUSEPORT ({@link UdpEndpoint#bindShared}); the
 * kernel hashes each remote address to one socket, so a peer's datagrams arrive on one loop. A transport is homed
 * on the loop whose socket receives the check that nominates an address (USE-CANDIDATE: the address its media will
 * come from), or its first DTLS/RTP datagram if that comes first, and runs there for good; before that it has
 * nothing but checks, which the shared ICE-lite server answers on whichever loop they reach. A datagram that
 * arrives on another loop later (the peer moved to an address that hashes elsewhere) is copied and handed to the
 * owner loop ({@link #handOvers()} counts them). The ICE session registry is shared (concurrent maps; lookups take
 * no lock).
 */
public final class TransportServer implements AutoCloseable {
    private static final long CONSENT_CHECK_INTERVAL_MS = 1000;

    private final List<UdpEndpoint> endpoints;
    private final IceLiteServer ice;
    private final Map<IceLiteSession, RtcTransport> bySession = new ConcurrentHashMap<>();
    private final DropCounter<TransportDrop> drops = new DropCounter<>(TransportDrop.class);
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final LongAdder handOvers = new LongAdder();
    private final List<ScheduledFuture<?>> consentTimers = new ArrayList<>();
    private volatile Duration handshakeTimeout = RtcTransport.DEFAULT_HANDSHAKE_TIMEOUT;

    private TransportServer(InetSocketAddress bindAddress, int loops) {
        this.ice = new IceLiteServer(System::nanoTime);
        this.endpoints = UdpEndpoint.bindShared(bindAddress, loops, this::onDatagram);
        for (UdpEndpoint e : endpoints) {
            consentTimers.add(e.executor().scheduleAtFixedRate(() -> checkConsent(e),
                    CONSENT_CHECK_INTERVAL_MS, CONSENT_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Binds the shared port (port 0 picks a free one) on {@link #defaultLoops()} event loops.
     */
    public static TransportServer start(InetSocketAddress bindAddress) {
        return start(bindAddress, defaultLoops());
    }

    /** Binds the shared port on {@code loops} event loops (sockets with SO_REUSEPORT), 1 or more. */
    public static TransportServer start(InetSocketAddress bindAddress, int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be >= 1: " + loops);
        }
        return new TransportServer(Objects.requireNonNull(bindAddress), loops);
    }

    /** One loop per available processor, unless the system property {@code arena.loops} says otherwise. */
    public static int defaultLoops() {
        return Math.max(1, Integer.getInteger("arena.loops", Runtime.getRuntime().availableProcessors()));
    }

    public InetSocketAddress localAddress() {
        return endpoints.getFirst().localAddress();
    }

    public int loopCount() {
        return endpoints.size();
    }

    /** The event loops, in a fixed order (one socket each). */
    public List<ScheduledExecutorService> loops() {
        List<ScheduledExecutorService> out = new ArrayList<>(endpoints.size());
        for (UdpEndpoint e : endpoints) {
            out.add(e.executor());
        }
        return out;
    }

    /** The loops in turn: where to home work that is not a transport's (a room's control work). */
    public ScheduledExecutorService nextLoop() {
        return endpoints.get(Math.floorMod(nextLoop.getAndIncrement(), endpoints.size())).executor();
    }

    public void handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = Objects.requireNonNull(timeout);
    }

    /** Drops in front of the transports: unknown sources and kinds. */
    public DropCounter<TransportDrop> drops() {
        return drops;
    }

    /** Datagrams that arrived on another loop than their transport's and were copied over to it. */
    public long handOvers() {
        return handOvers.sum();
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

    /** The counters of the shared UDP port, summed over its sockets (maxBatch: the largest of any). */
    public UdpStats udpStats() {
        long in = 0, bytesIn = 0, out = 0, bytesOut = 0, batches = 0, maxBatch = 0, flushes = 0;
        Map<dev.arena.rtc.udp.PacketKind, Long> kinds = new EnumMap<>(dev.arena.rtc.udp.PacketKind.class);
        Map<dev.arena.rtc.udp.UdpDrop, Long> udpDrops = new EnumMap<>(dev.arena.rtc.udp.UdpDrop.class);
        for (UdpEndpoint e : endpoints) {
            UdpStats s = e.stats();
            in += s.datagramsIn();
            bytesIn += s.bytesIn();
            out += s.datagramsOut();
            bytesOut += s.bytesOut();
            batches += s.readBatches();
            maxBatch = Math.max(maxBatch, s.maxBatch());
            flushes += s.flushes();
            s.kinds().forEach((k, n) -> kinds.merge(k, n, Long::sum));
            s.drops().forEach((k, n) -> udpDrops.merge(k, n, Long::sum));
        }
        return new UdpStats(in, bytesIn, out, bytesOut, batches, maxBatch, flushes, kinds, udpDrops);
    }

    /** Whether the shared UDP port is closed. */
    public boolean isClosed() {
        return endpoints.getFirst().isClosed();
    }

    /**
     * A transport for one peer: it waits for the peer's ICE checks with {@code remote.ice()} as their
     * credentials and answers with {@code localIce}; DTLS then checks the peer's certificate against
     * the remote fingerprint. It is homed on a loop at its first valid check ({@link RtcTransport#executor()}).
     */
    public RtcTransport createTransport(IceCredentials localIce, RemoteParameters remote,
                                        DtlsCertificate certificate, TransportListener listener) {
        long n = ids.incrementAndGet();
        String id = "t" + n;
        UdpEndpoint provisional = endpoints.get((int) (n % endpoints.size()));
        return new RtcTransport(id, provisional, transport -> new LiteLink(transport, localIce, remote.ice()),
                remote, certificate, listener, handshakeTimeout);
    }

    @Override
    public void close() {
        consentTimers.forEach(t -> t.cancel(false));
        for (RtcTransport t : bySession.values()) {
            t.close();
        }
        endpoints.forEach(UdpEndpoint::close);
    }

    private void onDatagram(byte[] buf, int off, int len, InetSocketAddress from, UdpEndpoint via) {
        if (PacketKind.of(buf[off]) == PacketKind.STUN) {
            IceLiteSession session = ice.sessionFor(buf, off, len, from);
            RtcTransport transport = session == null ? null : bySession.get(session);
            UdpEndpoint owner = transport == null ? null : transport.homeEndpoint();
            if (owner == null || owner == via) {
                ice.handle(buf, off, len, from, via); // an unhomed transport is homed by its nomination
            } else {
                handOver(owner, buf, off, len, from, null);
            }
            return;
        }
        IceLiteSession session = ice.sessionFor(from);
        RtcTransport transport = session == null ? null : bySession.get(session);
        if (transport == null) {
            drops.count(TransportDrop.UNKNOWN_SOURCE);
            return;
        }
        UdpEndpoint owner = transport.home(via); // homed here if nothing homed it yet
        if (owner == via) {
            transport.onDatagram(buf, off, len, from);
        } else {
            handOver(owner, buf, off, len, from, transport);
        }
    }

    /** A copy of a datagram to the loop that owns its transport (STUN when {@code transport} is null). */
    private void handOver(UdpEndpoint owner, byte[] buf, int off, int len, InetSocketAddress from,
                          RtcTransport transport) {
        byte[] copy = Arrays.copyOfRange(buf, off, off + len);
        handOvers.increment();
        try {
            owner.executor().execute(() -> {
                if (transport == null) {
                    ice.handle(copy, 0, copy.length, from, owner);
                } else {
                    transport.onDatagram(copy, 0, copy.length, from);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            drops.count(TransportDrop.CLOSED);
        }
    }

    /** On {@code loop}'s thread: consent of the transports homed there (state changes stay on their loop). */
    private void checkConsent(UdpEndpoint loop) {
        bySession.forEach((session, transport) -> {
            if (transport.homeEndpoint() == loop) {
                session.checkConsent();
            }
        });
    }

    /** The endpoint whose loop runs the calling thread, or null. */
    private UdpEndpoint currentEndpoint() {
        for (UdpEndpoint e : endpoints) {
            if (e.executor().inEventLoop()) {
                return e;
            }
        }
        return null;
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

        /**
         * From a valid check (on the loop that received it) or the consent timer (on the owner's loop). The
         * nomination (CONNECTED) homes a transport that has no home yet on the loop that received it; CHECKING
         * before that means nothing to the transport. A state change on another loop than the owner's goes there.
         */
        @Override
        public void onStateChange(IceState s) {
            UdpEndpoint here = currentEndpoint();
            UdpEndpoint owner = transport.homeEndpoint();
            if (owner == null) {
                if (s == IceState.CHECKING) {
                    return;
                }
                owner = here == null ? transport.endpoint() : transport.home(here);
            }
            if (here == owner || s == IceState.CLOSED) {
                transport.onIceState(s);
            } else {
                try {
                    owner.executor().execute(() -> transport.onIceState(s));
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // the port is closed: so is the transport
                }
            }
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
