package dev.arena.rtc.transport;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.dtls.DtlsListener;
import dev.arena.rtc.dtls.DtlsRole;
import dev.arena.rtc.dtls.DtlsSession;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.ice.IceState;
import dev.arena.rtc.rtcp.RtcpPacket;
import dev.arena.rtc.srtp.SrtpKeys;
import dev.arena.rtc.srtp.SrtpProfile;
import dev.arena.rtc.srtp.SrtpSession;
import dev.arena.rtc.udp.PacketKind;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import dev.arena.rtc.util.DropCounter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICE + DTLS + SRTP association with one remote peer (a browser, a bot or another node).
 *
 * <p>It runs ICE, then DTLS, then SRTP, reports its state, and sends and receives RTP and RTCP. The
 * same type serves the server role (ICE-lite on a port shared by every transport of a
 * {@link TransportServer}) and the client role (full ICE, controlling, on a port of its own, see
 * {@link #connect}).
 *
 * <p>Threading: a transport is owned by the event loop of its UDP endpoint. Datagrams arrive there,
 * listeners are called there, and {@link #sendRtp}/{@link #sendRtcp} must be called there (see
 * {@link #executor()}): the SRTP contexts are single-threaded by design so that the packet path takes
 * no lock. DTLS runs on a virtual thread and hands its result back to the loop.
 */
public final class RtcTransport implements AutoCloseable {
    /** Bytes a caller must leave free after a packet it asks us to send: the largest SRTCP trailer. */
    public static final int SPARE_BYTES = 4 + 16;
    /** How long a DTLS handshake may take once ICE has a path. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(RtcTransport.class);

    private final String id;
    /** Where the transport runs until it is homed (nothing of it runs before: it has no traffic yet). */
    private final UdpEndpoint provisional;
    /** The owner: set once, by {@link #home}; the client role is homed at creation. */
    private final AtomicReference<UdpEndpoint> home = new AtomicReference<>();
    private final IceLink ice;
    private final DtlsSession dtls;
    private final TransportListener listener;
    private final DropCounter<TransportDrop> drops;
    private final LongAdder rtpIn = new LongAdder();
    private final LongAdder rtcpIn = new LongAdder();
    private final LongAdder rtpOut = new LongAdder();
    private final LongAdder rtcpOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    /** Written on the loop only. */
    private SrtpSession srtp;
    private SrtpProfile profile;
    private volatile TransportState state = TransportState.NEW;
    private volatile boolean dtlsStarted;
    /**
     * Where the peer's DTLS came from while ICE has selected no address yet (written on the loop). The server only
     * routes a datagram to a transport from an address that passed one of its checks, so the address is validated;
     * a controlling browser starts DTLS on its first valid pair, often before it nominates one (Chromium can take
     * seconds), and its flights must be answered there, not dropped.
     */
    private volatile InetSocketAddress unnominatedPeer;

    RtcTransport(String id, UdpEndpoint endpoint, IceLinkFactory iceFactory, RemoteParameters remote,
                 DtlsCertificate certificate, TransportListener listener, Duration handshakeTimeout) {
        this.id = Objects.requireNonNull(id);
        this.provisional = Objects.requireNonNull(endpoint);
        this.listener = Objects.requireNonNull(listener);
        this.drops = new DropCounter<>(TransportDrop.class);
        this.dtls = new DtlsSession(remote.localDtlsRole(), certificate, remote.fingerprintAlgorithm(),
                remote.fingerprintValue(), this::sendDtls, new DtlsEvents(), handshakeTimeout);
        this.ice = iceFactory.create(this);
    }

    /**
     * Client role: binds a port of its own on {@code localAddress}, runs full ICE as the controlling
     * agent against the remote candidates, then DTLS in the role {@code remote.localDtlsRole()}.
     */
    public static RtcTransport connect(InetSocketAddress localAddress, IceCredentials localIce,
                                       RemoteParameters remote, DtlsCertificate certificate,
                                       TransportListener listener) {
        return ClientTransports.connect(null, localAddress, localIce, remote, certificate, listener,
                DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * Client role on a socket of its own that lives on one loop of {@code loops}, shared with other transports
     * (load-test bots: thousands of connections on one loop per core). Closing the transport leaves the loops up.
     */
    public static RtcTransport connect(UdpLoops loops, InetSocketAddress localAddress, IceCredentials localIce,
                                       RemoteParameters remote, DtlsCertificate certificate,
                                       TransportListener listener, Duration handshakeTimeout) {
        return ClientTransports.connect(Objects.requireNonNull(loops, "loops"), localAddress, localIce,
                remote, certificate, listener, handshakeTimeout);
    }

    public String id() {
        return id;
    }

    public TransportState state() {
        return state;
    }

    /** The negotiated SRTP profile, null until connected. */
    public SrtpProfile srtpProfile() {
        return profile;
    }

    /**
     * The peer's address, where media goes: the one ICE selected, or before a nomination the validated address the
     * peer's DTLS came from (a browser may finish DTLS before it nominates); null if neither.
     */
    public InetSocketAddress remoteAddress() {
        return sendAddress();
    }

    public IceCredentials localIceCredentials() {
        return ice.localCredentials();
    }

    /**
     * The event loop that owns this transport; call the send methods on it. A server-role transport is homed on the
     * loop whose socket received its ICE nomination (so that its datagrams arrive on its own loop, see
     * {@link TransportServer}); before that this is a provisional loop on which nothing of the transport runs. Read it from a callback, or once
     * the transport is connected.
     */
    public java.util.concurrent.ScheduledExecutorService executor() {
        return endpoint().executor();
    }

    /** The socket (and loop) that owns this transport; provisional until homed (see {@link #executor()}). */
    public UdpEndpoint endpoint() {
        UdpEndpoint e = home.get();
        return e != null ? e : provisional;
    }

    /** The owner if homed, else null. */
    UdpEndpoint homeEndpoint() {
        return home.get();
    }

    /** Homes the transport on {@code e} unless it already has a home; returns the home. */
    UdpEndpoint home(UdpEndpoint e) {
        home.compareAndSet(null, e);
        return home.get();
    }

    public DropCounter<TransportDrop> drops() {
        return drops;
    }

    public TransportStats stats() {
        return new TransportStats(state, profile, remoteAddress(), rtpIn.sum(), rtcpIn.sum(), rtpOut.sum(),
                rtcpOut.sum(), bytesIn.sum(), bytesOut.sum(), drops.snapshot(),
                srtp == null ? java.util.Map.of() : srtp.drops().snapshot());
    }

    /**
     * ICE restart (RFC 8445 section 9): new credentials on both sides; the transport, its DTLS
     * association and its SRTP contexts are kept.
     */
    public void restartIce(IceCredentials newLocal, IceCredentials newRemote) {
        ice.restart(newLocal, newRemote);
    }

    /**
     * Protects and sends one RTP packet, in place: {@code buf} must have {@link #SPARE_BYTES} free
     * bytes after {@code len}. Call on {@link #executor()}. Returns false if dropped (and counted).
     */
    public boolean sendRtp(byte[] buf, int off, int len) {
        SrtpSession s = srtp;
        InetSocketAddress to = sendAddress();
        if (s == null || to == null || state != TransportState.CONNECTED) {
            drops.count(TransportDrop.NOT_CONNECTED);
            return false;
        }
        int n = s.protectRtp(buf, off, len); // checks the room for the tag itself (SrtpDrop says why)
        if (n < 0) {
            drops.count(TransportDrop.SRTP_REJECTED);
            return false;
        }
        endpoint().send(buf, off, n, to);
        rtpOut.increment();
        bytesOut.add(n);
        return true;
    }

    /** As {@link #sendRtp} for one RTCP compound packet. */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        SrtpSession s = srtp;
        InetSocketAddress to = sendAddress();
        if (s == null || to == null || state != TransportState.CONNECTED) {
            drops.count(TransportDrop.NOT_CONNECTED);
            return false;
        }
        int n = s.protectRtcp(buf, off, len);
        if (n < 0) {
            drops.count(TransportDrop.SRTP_REJECTED);
            return false;
        }
        endpoint().send(buf, off, n, to);
        rtcpOut.increment();
        bytesOut.add(n);
        return true;
    }

    /** Sends what was queued by the send methods now rather than at the end of the read batch. */
    public void flush() {
        endpoint().flush();
    }

    /**
     * Closes the transport. On its loop (or before it is homed) at once; from another thread the close is posted to
     * its loop, so that the listener hears CLOSED there like everything else.
     */
    @Override
    public void close() {
        UdpEndpoint owner = home.get();
        if (owner != null && !owner.executor().inEventLoop()) {
            try {
                owner.executor().execute(this::closeNow);
                return;
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                // the loop is gone: close here
            }
        }
        closeNow();
    }

    private void closeNow() {
        if (state.isTerminal()) {
            return; // FAILED already released everything
        }
        dtls.close();
        setState(TransportState.CLOSED);
        ice.close();
    }

    /** A datagram that is not STUN (the ICE layer took those), on the loop. */
    void onDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
        if (state.isTerminal()) {
            drops.count(TransportDrop.CLOSED);
            return;
        }
        bytesIn.add(len);
        switch (PacketKind.of(buf[off])) {
            case DTLS -> onDtls(buf, off, len, from);
            case RTP_RTCP -> onSrtp(buf, off, len);
            default -> drops.count(TransportDrop.UNKNOWN_KIND);
        }
    }

    private void onDtls(byte[] buf, int off, int len, InetSocketAddress from) {
        if (ice.remoteAddress() == null && !from.equals(unnominatedPeer)) {
            log.debug("transport {}: DTLS from {} before ICE nominated an address: answering there", id, from);
            unnominatedPeer = from;
        }
        if (state == TransportState.NEW) {
            setState(TransportState.CONNECTING);
        }
        startDtlsOnce();
        if (!dtls.receive(buf, off, len)) {
            drops.count(TransportDrop.DTLS_REJECTED);
        }
    }

    private void onSrtp(byte[] buf, int off, int len) {
        SrtpSession s = srtp;
        if (s == null) {
            drops.count(TransportDrop.NOT_CONNECTED);
            return;
        }
        if (RtcpPacket.isRtcp(buf, off, len)) {
            int n = s.unprotectRtcp(buf, off, len);
            if (n < 0) {
                drops.count(TransportDrop.SRTP_REJECTED);
                return;
            }
            rtcpIn.increment();
            listener.onRtcp(this, buf, off, n);
        } else {
            int n = s.unprotectRtp(buf, off, len);
            if (n < 0) {
                drops.count(TransportDrop.SRTP_REJECTED);
                return;
            }
            rtpIn.increment();
            listener.onRtp(this, buf, off, n);
        }
    }

    /** From the ICE layer, on the loop. */
    void onIceState(IceState iceState) {
        switch (iceState) {
            case CONNECTED -> {
                if (state == TransportState.NEW) {
                    setState(TransportState.CONNECTING);
                    startDtlsOnce();
                } else if (state == TransportState.DISCONNECTED) {
                    setState(srtp != null ? TransportState.CONNECTED : TransportState.CONNECTING);
                }
            }
            case DISCONNECTED -> {
                if (!state.isTerminal()) {
                    setState(TransportState.DISCONNECTED);
                }
            }
            case FAILED -> fail("ICE failed", null);
            default -> { }
        }
    }

    private void startDtlsOnce() {
        if (!dtlsStarted) {
            dtlsStarted = true;
            dtls.start();
        }
    }

    /** ICE's selected address, else (before a nomination) where the peer's DTLS came from, else null. */
    private InetSocketAddress sendAddress() {
        InetSocketAddress a = ice.remoteAddress();
        return a != null ? a : unnominatedPeer;
    }

    private void sendDtls(byte[] datagram) {
        // Called from the DTLS virtual thread: hop onto the loop that owns the socket.
        onLoop(() -> {
            InetSocketAddress to = sendAddress();
            if (to == null) {
                drops.count(TransportDrop.NO_PATH);
            }
            if (to != null && !state.isTerminal()) {
                endpoint().send(datagram, 0, datagram.length, to);
                endpoint().flush();
            }
        });
    }

    /** Runs on the owning loop; after the endpoint closed there is nothing left to do. */
    private void onLoop(Runnable task) {
        try {
            endpoint().executor().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the endpoint shut down: the transport is gone with it
        }
    }

    private void fail(String reason, Throwable cause) {
        if (state.isTerminal()) {
            return;
        }
        log.info("transport {} failed: {}", id, reason, cause);
        dtls.close();
        setState(TransportState.FAILED);
        ice.close();
    }

    private void setState(TransportState next) {
        TransportState prev = state;
        if (prev == next || prev.isTerminal()) {
            return;
        }
        state = next;
        log.debug("transport {} {} -> {}", id, prev, next);
        if (next.isTerminal()) {
            // SRTP contexts hold native memory (OpenSSL GCM); free it on the loop that uses them.
            onLoop(() -> {
                if (srtp != null) {
                    srtp.close();
                }
            });
        }
        listener.onStateChange(this, next);
    }

    private final class DtlsEvents implements DtlsListener {
        @Override
        public void onConnected(SrtpProfile negotiated, byte[] keyingMaterial) {
            boolean weAreClient = dtls.role() == DtlsRole.CLIENT;
            SrtpKeys keys = SrtpKeys.split(negotiated, keyingMaterial, weAreClient);
            SrtpSession session = new SrtpSession(negotiated, keys.localKey(), keys.localSalt(),
                    keys.remoteKey(), keys.remoteSalt());
            onLoop(() -> {
                if (state.isTerminal()) {
                    return;
                }
                profile = negotiated;
                srtp = session;
                log.debug("transport {} DTLS connected, SRTP profile {}", id, negotiated);
                setState(TransportState.CONNECTED);
            });
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            onLoop(() -> fail("DTLS: " + reason, cause));
        }

        @Override
        public void onClosed() {
            onLoop(() -> {
                dtls.close();
                setState(TransportState.CLOSED);
                ice.close();
            });
        }
    }
}
