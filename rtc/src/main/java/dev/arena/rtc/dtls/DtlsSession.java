package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpProfile;
import dev.arena.rtc.util.DropCounter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One DTLS 1.2 association (RFC 6347) for DTLS-SRTP (RFC 5764) with one remote peer, in the client or server
 * role (RFC 8842). BouncyCastle's handshake blocks, so it runs on a virtual thread of its own behind a
 * queue-fed {@link DatagramTransport}: the I/O thread only prefilters, copies and offers datagrams
 * ({@link #receive}), and never blocks. Outgoing datagrams go to the {@code send} consumer, which is called from
 * the session thread (handshake flights, alerts) and from {@link #send(byte[], int, int)} callers, so it must be
 * thread-safe (hand the bytes to your event loop).
 *
 * <p>BouncyCastle retransmits handshake flights (RFC 6347 section 4.2.4: 1 s doubling to 60 s) using the
 * receive timeouts of the queue transport (on its own wall clock). The whole handshake must finish within
 * {@code handshakeTimeout}, measured with the injected {@code nanoClock}, or the session fails. The remote certificate must match the fingerprint from the remote SDP, else the handshake is
 * aborted with a bad_certificate alert. After the handshake the session keeps reading application data (for data
 * channels) until {@link #close()} (which sends close_notify) or the peer's close_notify.
 */
public final class DtlsSession {
    /** Largest datagram accepted: one maximal record (RFC 6347 section 4.1). */
    public static final int MAX_DATAGRAM = DtlsRecordFilter.RECORD_HEADER_LENGTH + DtlsRecordFilter.MAX_FRAGMENT_LENGTH;
    /**
     * Largest datagram we send; handshake messages are fragmented to fit. 1280 (IPv6 minimum MTU) - 40 (IPv6)
     * - 8 (UDP) - 4 (TURN ChannelData), as Chromium sizes it; leaves 1191 bytes of application data per record
     * with AES-GCM (Chromium's SCTP MTU).
     */
    public static final int SEND_LIMIT = 1228;
    static final int QUEUE_CAPACITY = 64;
    static final int QUEUE_BYTE_BUDGET = 256 * 1024;

    private static final byte[] WAKE = new byte[0];

    private final DtlsRole role;
    private final DtlsCertificate local;
    private final RemoteFingerprint remote;
    private final Consumer<byte[]> send;
    private final DtlsListener listener;
    private final Duration handshakeTimeout;
    private final LongSupplier nanoClock;
    private final DropCounter<DtlsDrop> drops = new DropCounter<>(DtlsDrop.class);
    private final ArrayBlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicInteger queuedBytes = new AtomicInteger();
    private final AtomicReference<DtlsState> state = new AtomicReference<>(DtlsState.NEW);
    private final QueueTransport transport = new QueueTransport();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private volatile boolean closeRequested;
    private volatile boolean peerClosed;
    private volatile long handshakeDeadline;
    private volatile String failureReason;
    private volatile DTLSTransport dtls;
    private volatile SrtpProfile profile;
    private byte[] keyingMaterial; // written and read on the session thread

    /**
     * @param role CLIENT sends the ClientHello (a=setup:active), SERVER waits for it (a=setup:passive)
     * @param local our certificate, e.g. {@link DtlsCertificate#shared()}
     * @param remoteFingerprintAlgorithm hash name from the remote a=fingerprint, e.g. "sha-256"
     * @param remoteFingerprintValue hex bytes with colons from the remote a=fingerprint
     * @param send takes one datagram for the peer; must be thread-safe
     * @param listener reports, called on the session thread
     * @param handshakeTimeout the whole handshake must finish within this, counted from {@link #start()}
     * @throws IllegalArgumentException for an unsupported fingerprint hash or a malformed fingerprint
     */
    public DtlsSession(DtlsRole role, DtlsCertificate local, String remoteFingerprintAlgorithm,
            String remoteFingerprintValue, Consumer<byte[]> send, DtlsListener listener, Duration handshakeTimeout) {
        this(role, local, remoteFingerprintAlgorithm, remoteFingerprintValue, send, listener, handshakeTimeout,
                System::nanoTime);
    }

    /** As the other constructor, with the clock that measures the handshake timeout injected. */
    public DtlsSession(DtlsRole role, DtlsCertificate local, String remoteFingerprintAlgorithm,
            String remoteFingerprintValue, Consumer<byte[]> send, DtlsListener listener, Duration handshakeTimeout,
            LongSupplier nanoClock) {
        this.role = Objects.requireNonNull(role, "role");
        this.local = Objects.requireNonNull(local, "local");
        this.remote = new RemoteFingerprint(remoteFingerprintAlgorithm, remoteFingerprintValue);
        this.send = Objects.requireNonNull(send, "send");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Starts the handshake on a new virtual thread. Datagrams received before start() are queued. */
    public void start() {
        if (!state.compareAndSet(DtlsState.NEW, DtlsState.CONNECTING)) {
            throw new IllegalStateException("already started: " + state.get());
        }
        handshakeDeadline = nanoClock.getAsLong() + handshakeTimeout.toNanos();
        Thread.ofVirtual().name("dtls-" + role.name().toLowerCase() + "-" + Integer.toHexString(hashCode()))
                .start(this::run);
    }

    /**
     * Hands one datagram from the peer to the session: prefilters it ({@link DtlsRecordFilter}), copies it and
     * offers it to the bounded queue. Never blocks and never throws on bad input; drops are counted in
     * {@link #drops()}. Safe to call from any thread.
     *
     * @return true if the datagram was queued
     */
    public boolean receive(byte[] buf, int off, int len) {
        DtlsDrop reason = DtlsRecordFilter.check(buf, off, len);
        if (reason == null && len > MAX_DATAGRAM) {
            reason = DtlsDrop.TOO_LONG;
        }
        if (reason == null && (closeRequested || state.get() == DtlsState.FAILED || state.get() == DtlsState.CLOSED)) {
            reason = DtlsDrop.SESSION_ENDED;
        }
        if (reason != null) {
            drops.count(reason);
            return false;
        }
        if (queuedBytes.addAndGet(len) > QUEUE_BYTE_BUDGET) {
            queuedBytes.addAndGet(-len);
            drops.count(DtlsDrop.QUEUE_FULL);
            return false;
        }
        if (!inbound.offer(Arrays.copyOfRange(buf, off, off + len))) {
            queuedBytes.addAndGet(-len);
            drops.count(DtlsDrop.QUEUE_FULL);
            return false;
        }
        return true;
    }

    /**
     * Sends application data (e.g. an SCTP packet) as one DTLS record. Thread-safe.
     *
     * @return false if the session is not connected or the send failed (then onFailed is reported)
     * @throws IllegalArgumentException if {@code len} exceeds {@link #applicationDataLimit()}
     */
    public boolean send(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        DTLSTransport t = dtls;
        if (t == null || state.get() != DtlsState.CONNECTED) {
            return false;
        }
        try {
            if (len > t.getSendLimit()) {
                throw new IllegalArgumentException("application data of " + len + " bytes exceeds the limit of "
                        + t.getSendLimit());
            }
            t.send(buf, off, len);
            return true;
        } catch (IOException e) {
            fail("send failed: " + e.getMessage(), e);
            return false;
        }
    }

    /** Largest application-data payload {@link #send} takes, or -1 before the handshake completed. */
    public int applicationDataLimit() {
        DTLSTransport t = dtls;
        try {
            return t == null ? -1 : t.getSendLimit();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Closes the session: after the handshake this sends close_notify (RFC 5246 section 7.2.1); during the
     * handshake it aborts it. No listener call follows. Idempotent, never blocks.
     */
    public void close() {
        closeRequested = true;
        while (true) {
            DtlsState s = state.get();
            if (s == DtlsState.CLOSED || s == DtlsState.FAILED) {
                return;
            }
            if (state.compareAndSet(s, DtlsState.CLOSED)) {
                if (s != DtlsState.NEW) {
                    inbound.offer(WAKE); // if the queue is full the thread is awake anyway and sees closeRequested
                }
                return;
            }
        }
    }

    public DtlsState state() {
        return state.get();
    }

    public DtlsRole role() {
        return role;
    }

    /** The negotiated SRTP profile, or null before the handshake completed. */
    public SrtpProfile srtpProfile() {
        return profile;
    }

    public DropCounter<DtlsDrop> drops() {
        return drops;
    }

    /** Completes when the session thread has returned (never, if {@link #start()} was not called). */
    CompletableFuture<Void> finished() {
        return finished;
    }

    // ---------------------------------------------------------------- session thread

    private void run() {
        try {
            handshakeAndRead();
        } finally {
            finished.complete(null);
        }
    }

    private void handshakeAndRead() {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        Hooks hooks = new Hooks();
        DTLSTransport t;
        try {
            t = role == DtlsRole.CLIENT
                    ? new DTLSClientProtocol().connect(new SrtpTlsClient(crypto, local, hooks), transport)
                    : new DTLSServerProtocol().accept(new SrtpTlsServer(crypto, local, hooks), transport);
        } catch (Throwable e) {
            handshakeFailed(e);
            return;
        }
        transport.handshaking = false;
        if (!state.compareAndSet(DtlsState.CONNECTING, DtlsState.CONNECTED)) {
            closeQuietly(t); // closed while the last flight was in flight: say goodbye properly
            return;
        }
        dtls = t;
        byte[] km = keyingMaterial;
        keyingMaterial = null;
        try {
            listener.onConnected(profile, km);
        } catch (RuntimeException e) {
            fail("listener onConnected threw", e);
            closeQuietly(t);
            return;
        }
        readLoop(t);
    }

    private void readLoop(DTLSTransport t) {
        byte[] buf;
        try {
            buf = new byte[Math.max(1, t.getReceiveLimit())];
        } catch (IOException e) {
            fail("cannot size the receive buffer", e);
            return;
        }
        while (true) {
            int n;
            try {
                n = t.receive(buf, 0, buf.length, 0);
            } catch (InterruptedIOException e) {
                break; // closed by us (close()) or by BouncyCastle after the peer's close_notify
            } catch (TlsFatalAlertReceived e) {
                fail("peer sent fatal alert " + AlertDescription.getText(e.getAlertDescription()), e);
                return;
            } catch (IOException | RuntimeException e) {
                fail("connection failed: " + e.getMessage(), e);
                return;
            }
            if (n >= 0 && !closeRequested) {
                try {
                    listener.onApplicationData(buf, 0, n);
                } catch (RuntimeException e) {
                    // the listener's problem; keep the connection
                }
            }
        }
        if (peerClosed && !closeRequested) {
            // BouncyCastle already answered with our close_notify (RFC 5246 section 7.2.1)
            if (state.compareAndSet(DtlsState.CONNECTED, DtlsState.CLOSED)) {
                try {
                    listener.onClosed();
                } catch (RuntimeException ignored) {
                    // nothing left to do
                }
            }
        } else {
            closeQuietly(t);
        }
    }

    private void handshakeFailed(Throwable e) {
        String reason;
        if (failureReason != null) {
            reason = failureReason;
        } else if (e instanceof TlsTimeoutException || transport.timedOut) {
            reason = "DTLS handshake timed out after " + handshakeTimeout.toMillis() + " ms";
        } else if (peerClosed) {
            reason = "peer sent close_notify during the handshake";
        } else if (e instanceof TlsFatalAlertReceived r) {
            reason = "peer sent fatal alert " + AlertDescription.getText(r.getAlertDescription());
        } else if (e instanceof TlsFatalAlert a) {
            reason = "handshake failed: " + AlertDescription.getText(a.getAlertDescription())
                    + (a.getMessage() == null ? "" : " (" + a.getMessage() + ")");
        } else {
            reason = "handshake failed: " + e;
        }
        fail(reason, e);
    }

    private void fail(String reason, Throwable cause) {
        while (true) {
            DtlsState s = state.get();
            if (s == DtlsState.CLOSED || s == DtlsState.FAILED) {
                return; // closed locally: nobody is waiting for a report
            }
            if (state.compareAndSet(s, DtlsState.FAILED)) {
                break;
            }
        }
        inbound.clear();
        queuedBytes.set(0);
        inbound.offer(WAKE); // the read loop, if running, must stop
        try {
            listener.onFailed(reason, cause);
        } catch (RuntimeException ignored) {
            // the listener's problem; the session is failed either way
        }
    }

    private static void closeQuietly(DTLSTransport t) {
        try {
            t.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private final class Hooks implements DtlsPeerHooks {
        @Override
        public int handshakeTimeoutMillis() {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, handshakeTimeout.toMillis()));
        }

        @Override
        public void verifyRemoteCertificate(Certificate chain) throws IOException {
            if (chain == null || chain.isEmpty()) {
                failureReason = "peer sent no certificate";
                throw DtlsPeerHooks.badCertificate(failureReason);
            }
            if (!remote.matches(chain.getCertificateAt(0).getEncoded())) {
                failureReason = "remote certificate does not match the SDP fingerprint " + remote;
                throw DtlsPeerHooks.badCertificate(failureReason);
            }
        }

        @Override
        public void negotiated(SrtpProfile p, byte[] km) {
            profile = p;
            keyingMaterial = km;
        }

        @Override
        public void alertReceived(short level, short description) {
            if (level == AlertLevel.warning && description == AlertDescription.close_notify) {
                peerClosed = true;
            }
        }
    }

    /**
     * BouncyCastle's view of the wire: receive() polls the inbound queue with BouncyCastle's timeout (which drives
     * its retransmissions) bounded by the handshake deadline; send() hands a copy to the send consumer.
     */
    private final class QueueTransport implements DatagramTransport {
        volatile boolean handshaking = true;
        volatile boolean timedOut;
        private volatile boolean closed;

        @Override
        public int getReceiveLimit() {
            return MAX_DATAGRAM;
        }

        @Override
        public int getSendLimit() {
            return SEND_LIMIT;
        }

        /** A waitMillis of 0 waits without limit (BouncyCastle's convention). */
        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            long waitUntil = waitMillis == 0 ? Long.MAX_VALUE : nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (true) {
                if (closeRequested || closed || state.get() == DtlsState.FAILED) {
                    throw new InterruptedIOException("DTLS session closed");
                }
                long now = nanoClock.getAsLong();
                long until = waitUntil;
                if (handshaking) {
                    if (now - handshakeDeadline >= 0) {
                        timedOut = true;
                        throw new TlsTimeoutException("DTLS handshake timed out");
                    }
                    until = Math.min(until, handshakeDeadline);
                }
                byte[] datagram;
                try {
                    datagram = until == Long.MAX_VALUE ? inbound.take() : inbound.poll(until - now, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("DTLS session thread interrupted");
                }
                if (datagram == null) {
                    if (handshaking && nanoClock.getAsLong() - handshakeDeadline >= 0) {
                        continue; // report the deadline above
                    }
                    return -1; // BouncyCastle's timeout: time to retransmit
                }
                if (datagram == WAKE) {
                    continue;
                }
                queuedBytes.addAndGet(-datagram.length);
                if (datagram.length > len) {
                    drops.count(DtlsDrop.TOO_LONG);
                    continue;
                }
                System.arraycopy(datagram, 0, buf, off, datagram.length);
                return datagram.length;
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (closed) {
                return;
            }
            try {
                send.accept(Arrays.copyOfRange(buf, off, off + len));
            } catch (RuntimeException e) {
                throw new IOException("send consumer failed", e);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
