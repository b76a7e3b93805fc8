package dev.arena.rtc.ice;

import dev.arena.rtc.stun.StunDrop;
import dev.arena.rtc.stun.StunIntegrity;
import dev.arena.rtc.stun.StunMessage;
import dev.arena.rtc.stun.StunWriter;
import dev.arena.rtc.udp.DatagramSender;
import dev.arena.rtc.util.DropCounter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * Full ICE agent in the controlling role for clients (bots, relays), one local host candidate (the socket
 * behind {@code sender}) against the remote candidates, in the order given (RFC 8445 section 6.1.2).
 *
 * <ul>
 *   <li>Checks (RFC 8445 section 7.2.4) paced every {@link #TA_MS} ms, each retransmitted
 *       (RFC 8489 section 6.2.1): RTO {@link #INITIAL_RTO_MS} ms doubling up to {@link #MAX_RTO_MS} ms,
 *       {@link #MAX_TRANSMITS} transmissions, then a last wait of {@link #MAX_RTO_MS} ms before the pair fails.
 *       Responses must come from the address the check went to and verify with the remote password.</li>
 *   <li>Regular nomination (RFC 8445 section 8.1.1): the first pair that succeeds is checked again with
 *       USE-CANDIDATE; its success selects it (CONNECTED).</li>
 *   <li>Checks from the remote agent (when it is a full agent) are answered with the local password and
 *       trigger a check of that pair (section 7.3.1.4); unknown sources become peer-reflexive pairs, at most
 *       {@link #MAX_PAIRS} pairs in all.</li>
 *   <li>Role conflicts (section 7.3.1.1 and 7.2.5.1) are resolved by tie-breaker; in the controlled role the
 *       agent selects the pair the peer nominates.</li>
 *   <li>Consent freshness (RFC 7675): a check to the selected address every 4-6 s; no success for 30 s means
 *       DISCONNECTED (and a later success CONNECTED again).</li>
 * </ul>
 * Time comes from the injected clock and scheduler. Thread-safe (one lock per agent).
 */
public final class IceControllingAgent {
    public static final long TA_MS = 50;
    public static final long INITIAL_RTO_MS = 250;
    public static final long MAX_RTO_MS = 1600;
    public static final int MAX_TRANSMITS = 7;
    public static final long CONSENT_INTERVAL_MS = 5000;
    public static final long CONSENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    public static final int MAX_PAIRS = 32;
    /** PRIORITY of our checks: a peer-reflexive host-socket candidate, component 1 (RFC 8445 section 5.1.2). */
    public static final int PRFLX_PRIORITY = (110 << 24) | (65535 << 8) | (256 - 1);

    enum PairState { WAITING, IN_PROGRESS, SUCCEEDED, FAILED }

    enum Kind { CHECK, NOMINATE, CONSENT }

    static final class Pair {
        final InetSocketAddress remote;
        PairState state = PairState.WAITING;
        boolean nominatedByPeer;
        Transaction check;

        Pair(InetSocketAddress remote) {
            this.remote = remote;
        }
    }

    private record TxKey(long high, int low) {
    }

    private static final class Transaction {
        final TxKey key;
        final Pair pair;
        final Kind kind;
        final boolean sentControlling;
        final SecretKeySpec remoteKey;
        final byte[] msg;
        final int len;
        int transmits;
        long rtoMs = INITIAL_RTO_MS;
        ScheduledFuture<?> timer;

        Transaction(TxKey key, Pair pair, Kind kind, boolean sentControlling, SecretKeySpec remoteKey, byte[] msg,
                    int len) {
            this.key = key;
            this.pair = pair;
            this.kind = kind;
            this.sentControlling = sentControlling;
            this.remoteKey = remoteKey;
            this.msg = msg;
            this.len = len;
        }
    }

    private IceCredentials local;
    private IceCredentials remote;
    private SecretKeySpec localKey;
    private SecretKeySpec remoteKey;
    private byte[] localUfrag;
    private byte[] username;
    /** Local credentials before an ICE restart, still answered until the restart completes. */
    private byte[] previousLocalUfrag;
    private SecretKeySpec previousLocalKey;
    /** An ICE restart is under way: check and nominate again although a pair is selected. */
    private boolean restarting;
    private final DatagramSender sender;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final IceListener listener;
    private final SecureRandom random = new SecureRandom();
    private final long tieBreaker;
    private final List<Pair> pairs = new ArrayList<>();
    private final Map<TxKey, Transaction> transactions = new HashMap<>();
    private final DropCounter<IceDrop> drops = new DropCounter<>(IceDrop.class);
    private final DropCounter<StunDrop> stunDrops = new DropCounter<>(StunDrop.class);
    private final StunMessage msg = new StunMessage(stunDrops);
    private final StunWriter writer = new StunWriter();
    private final byte[] out = new byte[1200];
    private final int[] unknownScratch = new int[StunMessage.MAX_UNKNOWN];

    private boolean controlling = true;
    private volatile IceState state = IceState.NEW;
    private volatile Pair selected;
    private Pair nominating;
    private long lastConsentNanos;
    private ScheduledFuture<?> pacer;
    private ScheduledFuture<?> consentTimer;

    public IceControllingAgent(IceCredentials local, IceCredentials remote, List<InetSocketAddress> remoteCandidates,
                               DatagramSender sender, ScheduledExecutorService scheduler, LongSupplier nanoClock,
                               IceListener listener) {
        this.sender = Objects.requireNonNull(sender);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.nanoClock = Objects.requireNonNull(nanoClock);
        this.listener = listener == null ? new IceListener() { } : listener;
        setCredentials(local, remote);
        this.tieBreaker = random.nextLong();
        for (InetSocketAddress a : remoteCandidates) {
            if (findPair(a) == null && pairs.size() < MAX_PAIRS) {
                pairs.add(new Pair(a));
            }
        }
    }

    private void setCredentials(IceCredentials newLocal, IceCredentials newRemote) {
        this.local = Objects.requireNonNull(newLocal);
        this.remote = Objects.requireNonNull(newRemote);
        this.localKey = StunIntegrity.key(newLocal.pwd());
        this.remoteKey = StunIntegrity.key(newRemote.pwd());
        this.localUfrag = newLocal.ufrag().getBytes(StandardCharsets.ISO_8859_1);
        // RFC 8445 section 7.2.2: USERNAME of our checks is "remote ufrag:local ufrag".
        this.username = (newRemote.ufrag() + ":" + newLocal.ufrag()).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * ICE restart (RFC 8445 section 9): new credentials on both sides. Every pair is checked again with the
     * new ones and the first that succeeds is nominated; until then the selected address stays in use (and
     * the peer's checks with our old credentials are still answered), so media keeps flowing.
     */
    public synchronized void restart(IceCredentials newLocal, IceCredentials newRemote) {
        if (state == IceState.CLOSED || state == IceState.NEW) {
            throw new IllegalStateException("restart needs a started agent, state " + state);
        }
        previousLocalUfrag = localUfrag;
        previousLocalKey = localKey;
        setCredentials(newLocal, newRemote);
        for (Transaction t : List.copyOf(transactions.values())) {
            if (t.kind != Kind.CONSENT) {
                cancel(t.timer);
                transactions.remove(t.key);
            }
        }
        for (Pair p : pairs) {
            p.state = PairState.WAITING;
            p.check = null;
            p.nominatedByPeer = false;
        }
        nominating = null;
        restarting = true;
        if (state == IceState.FAILED) {
            setState(IceState.CHECKING);
        }
        cancel(pacer);
        pace();
    }

    /** Starts the checks. */
    public synchronized void start() {
        if (state != IceState.NEW) {
            return;
        }
        setState(IceState.CHECKING);
        if (pairs.isEmpty()) {
            setState(IceState.FAILED);
            return;
        }
        pace();
    }

    /**
     * Adds a remote candidate learnt later (trickle ICE, RFC 8838). Ignored when already known, when the
     * pair table is full, or once the agent has failed or closed.
     */
    public synchronized void addRemoteCandidate(InetSocketAddress a) {
        if (state == IceState.FAILED || state == IceState.CLOSED || findPair(a) != null || pairs.size() >= MAX_PAIRS) {
            return;
        }
        pairs.add(new Pair(a));
        if (state == IceState.CHECKING && pacer == null && selected == null) {
            pace();
        }
    }

    public IceState state() {
        return state;
    }

    public InetSocketAddress selectedAddress() {
        Pair p = selected;
        return p == null ? null : p.remote;
    }

    public synchronized boolean isControlling() {
        return controlling;
    }

    public synchronized IceCredentials localCredentials() {
        return local;
    }

    public DropCounter<IceDrop> drops() {
        return drops;
    }

    public DropCounter<StunDrop> stunDrops() {
        return stunDrops;
    }

    /** Stops all timers; the agent ignores everything afterwards. */
    public synchronized void close() {
        if (state == IceState.CLOSED) {
            return;
        }
        cancel(pacer);
        cancel(consentTimer);
        pacer = null;
        consentTimer = null;
        for (Transaction t : transactions.values()) {
            cancel(t.timer);
        }
        transactions.clear();
        setState(IceState.CLOSED);
    }

    /**
     * Handles one STUN datagram: a response to our checks or a check from the peer. Returns true if it was
     * valid and used. Never throws on bad input.
     */
    public synchronized boolean handle(byte[] buf, int off, int len, InetSocketAddress from) {
        if (state == IceState.CLOSED) {
            drops.count(IceDrop.CLOSED);
            return false;
        }
        if (!msg.wrap(buf, off, len)) {
            drops.count(IceDrop.MALFORMED);
            return false;
        }
        int cls = msg.messageClass();
        if (msg.method() != 1 || cls == StunMessage.CLASS_INDICATION) {
            drops.count(IceDrop.NOT_A_REQUEST);
            return false;
        }
        return cls == StunMessage.CLASS_REQUEST ? onRequest(from) : onResponse(from);
    }

    // ---- our checks ----

    private void pace() {
        pacer = null;
        if ((selected != null && !restarting) || state == IceState.CLOSED || state == IceState.FAILED) {
            return;
        }
        for (Pair p : pairs) {
            if (p.state == PairState.WAITING) {
                sendCheck(p, Kind.CHECK);
                pacer = scheduler.schedule(this::paceLocked, TA_MS, TimeUnit.MILLISECONDS);
                return;
            }
        }
    }

    private synchronized void paceLocked() {
        pace();
    }

    private void sendCheck(Pair p, Kind kind) {
        byte[] txid = new byte[12];
        random.nextBytes(txid);
        StunWriter w = writer.start(out, 0, StunMessage.BINDING_REQUEST, txid, 0);
        w.username(username, 0, username.length).priority(PRFLX_PRIORITY);
        if (controlling) {
            w.iceControlling(tieBreaker);
            if (kind == Kind.NOMINATE) {
                w.useCandidate();
            }
        } else {
            w.iceControlled(tieBreaker);
        }
        int n = w.messageIntegrity(remoteKey).fingerprint().length();
        byte[] copy = java.util.Arrays.copyOf(out, n);
        TxKey key = new TxKey(readLong(txid, 0), readInt(txid, 8));
        Transaction t = new Transaction(key, p, kind, controlling, remoteKey, copy, n);
        transactions.put(key, t);
        if (kind != Kind.CONSENT) {
            p.state = PairState.IN_PROGRESS;
            p.check = t;
        }
        transmit(t);
    }

    private void transmit(Transaction t) {
        t.transmits++;
        sender.send(t.msg, 0, t.len, t.pair.remote);
        long delay = t.transmits < MAX_TRANSMITS ? t.rtoMs : MAX_RTO_MS;
        t.rtoMs = Math.min(t.rtoMs * 2, MAX_RTO_MS);
        t.timer = scheduler.schedule(() -> onTimer(t), delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void onTimer(Transaction t) {
        if (transactions.get(t.key) != t) {
            return; // answered or closed
        }
        if (t.transmits < MAX_TRANSMITS) {
            transmit(t);
            return;
        }
        transactions.remove(t.key);
        if (t.kind == Kind.CONSENT) {
            return; // the consent timer decides on expiry
        }
        Pair p = t.pair;
        if (p.check == t) {
            p.check = null;
            p.state = PairState.FAILED;
        }
        if (nominating == p) {
            nominating = null;
        }
        maybeNominate();
        checkAllFailed();
    }

    private boolean onResponse(InetSocketAddress from) {
        Transaction t = transactions.get(new TxKey(msg.transactionIdHigh(), msg.transactionIdLow()));
        if (t == null) {
            drops.count(IceDrop.UNEXPECTED_RESPONSE);
            return false;
        }
        if (!from.equals(t.pair.remote)) {
            drops.count(IceDrop.WRONG_SOURCE);
            return false;
        }
        boolean success = msg.messageClass() == StunMessage.CLASS_SUCCESS;
        if ((success || msg.hasIntegrity()) && !msg.verifyIntegrity(t.remoteKey)) {
            drops.count(IceDrop.BAD_INTEGRITY);
            return false; // keep waiting: a forged response must not end the transaction
        }
        transactions.remove(t.key);
        cancel(t.timer);
        Pair p = t.pair;
        if (p.check == t) {
            p.check = null;
        }
        if (success) {
            onSuccess(t, p);
        } else {
            onError(t, p, msg.errorCode());
        }
        return true;
    }

    private void onSuccess(Transaction t, Pair p) {
        if (p == selected) {
            consentGranted();
        }
        if (t.kind == Kind.CONSENT) {
            return;
        }
        p.state = PairState.SUCCEEDED;
        if (t.kind == Kind.NOMINATE && t.sentControlling) {
            nominating = null;
            select(p);
        } else if (!controlling && p.nominatedByPeer) {
            select(p);
        } else {
            maybeNominate();
        }
    }

    private void onError(Transaction t, Pair p, int code) {
        if (code == 487) {
            // RFC 8445 section 7.2.5.1: switch to the role opposite to the one the request claimed, retry.
            switchRole(!t.sentControlling);
            if (t.kind == Kind.CONSENT) {
                sendCheck(p, Kind.CONSENT);
            } else {
                if (nominating == p) {
                    nominating = null;
                }
                sendCheck(p, controlling && t.kind == Kind.NOMINATE ? Kind.NOMINATE : Kind.CHECK);
                if (controlling && t.kind == Kind.NOMINATE) {
                    nominating = p;
                }
            }
            return;
        }
        if (t.kind == Kind.CONSENT) {
            return;
        }
        p.state = PairState.FAILED;
        if (nominating == p) {
            nominating = null;
        }
        maybeNominate();
        checkAllFailed();
    }

    private void maybeNominate() {
        if (!controlling || (selected != null && !restarting) || nominating != null || state == IceState.CLOSED) {
            return;
        }
        for (Pair p : pairs) {
            if (p.state == PairState.SUCCEEDED) {
                nominating = p;
                sendCheck(p, Kind.NOMINATE);
                return;
            }
        }
    }

    private void select(Pair p) {
        restarting = false;
        previousLocalUfrag = null;
        previousLocalKey = null;
        if (selected != p) {
            selected = p;
            listener.onSelectedAddress(p.remote);
        }
        cancel(pacer);
        pacer = null;
        consentGranted();
        if (consentTimer == null) {
            scheduleConsent();
        }
    }

    private void consentGranted() {
        lastConsentNanos = nanoClock.getAsLong();
        if (state == IceState.CHECKING || state == IceState.DISCONNECTED || state == IceState.FAILED) {
            setState(IceState.CONNECTED);
        }
    }

    private void checkAllFailed() {
        if ((selected != null && !restarting) || state != IceState.CHECKING) {
            return;
        }
        for (Pair p : pairs) {
            if (p.state != PairState.FAILED) {
                return;
            }
        }
        cancel(pacer);
        pacer = null;
        setState(IceState.FAILED);
    }

    private void switchRole(boolean nowControlling) {
        if (controlling == nowControlling) {
            return;
        }
        controlling = nowControlling;
        if (!controlling) {
            nominating = null;
        } else {
            maybeNominate();
        }
    }

    // ---- consent (RFC 7675) ----

    private void scheduleConsent() {
        long jitter = CONSENT_INTERVAL_MS / 5;
        long delay = CONSENT_INTERVAL_MS - jitter + (long) (random.nextDouble() * 2 * jitter);
        consentTimer = scheduler.schedule(this::onConsentTimer, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void onConsentTimer() {
        consentTimer = null;
        if (state == IceState.CLOSED || selected == null) {
            return;
        }
        if (state == IceState.CONNECTED && nanoClock.getAsLong() - lastConsentNanos >= CONSENT_TIMEOUT_NANOS) {
            setState(IceState.DISCONNECTED);
        }
        sendCheck(selected, Kind.CONSENT);
        scheduleConsent();
    }

    // ---- the peer's checks ----

    private boolean onRequest(InetSocketAddress from) {
        if (!msg.hasUsername() || !msg.hasIntegrity()) {
            drops.count(IceDrop.BAD_REQUEST);
            reply(400, "Bad Request", null, from);
            return false;
        }
        SecretKeySpec key;
        if (msg.usernameStartsWith(localUfrag)) {
            key = localKey;
        } else if (previousLocalUfrag != null && msg.usernameStartsWith(previousLocalUfrag)) {
            key = previousLocalKey;
        } else {
            drops.count(IceDrop.UNKNOWN_USERNAME);
            reply(401, "Unauthorized", null, from);
            return false;
        }
        if (!msg.verifyIntegrity(key)) {
            drops.count(IceDrop.BAD_INTEGRITY);
            reply(401, "Unauthorized", null, from);
            return false;
        }
        if (msg.unknownRequiredCount() > 0) {
            drops.count(IceDrop.UNKNOWN_ATTRIBUTE);
            reply(420, "Unknown Attribute", key, from);
            return false;
        }
        // RFC 8445 section 7.3.1.1
        if (controlling && msg.iceControlling()) {
            if (Long.compareUnsigned(tieBreaker, msg.tieBreaker()) >= 0) {
                drops.count(IceDrop.ROLE_CONFLICT);
                reply(487, "Role Conflict", key, from);
                return false;
            }
            switchRole(false);
        } else if (!controlling && msg.iceControlled()) {
            if (Long.compareUnsigned(tieBreaker, msg.tieBreaker()) >= 0) {
                switchRole(true);
            } else {
                drops.count(IceDrop.ROLE_CONFLICT);
                reply(487, "Role Conflict", key, from);
                return false;
            }
        } else if (!msg.iceControlling() && !msg.iceControlled()) {
            drops.count(IceDrop.BAD_REQUEST);
            reply(400, "Bad Request", key, from);
            return false;
        }
        boolean useCandidate = msg.useCandidate();
        int n = writer.start(out, 0, StunMessage.BINDING_SUCCESS, msg.buffer(), msg.transactionIdOffset())
                .xorMappedAddress(from).messageIntegrity(key).fingerprint().length();
        sender.send(out, 0, n, from);

        Pair p = findPair(from);
        if (p == null) {
            if (pairs.size() >= MAX_PAIRS) {
                drops.count(IceDrop.PAIR_LIMIT);
                return true;
            }
            p = new Pair(from); // peer-reflexive remote candidate (RFC 8445 section 7.3.1.3)
            pairs.add(p);
        }
        if (!controlling && useCandidate) {
            p.nominatedByPeer = true;
            if (p.state == PairState.SUCCEEDED) {
                select(p);
            }
        }
        // Triggered check (section 7.3.1.4).
        if ((p.state == PairState.WAITING || p.state == PairState.FAILED) && p.check == null
                && state != IceState.FAILED && (selected == null || selected == p || restarting)) {
            sendCheck(p, Kind.CHECK);
        }
        return true;
    }

    private void reply(int code, String reason, SecretKeySpec key, InetSocketAddress from) {
        boolean authenticated = key != null;
        StunWriter w = writer.start(out, 0, StunMessage.BINDING_ERROR, msg.buffer(), msg.transactionIdOffset())
                .errorCode(code, reason);
        if (code == 420) {
            for (int i = 0; i < msg.unknownRequiredCount(); i++) {
                unknownScratch[i] = msg.unknownRequired(i);
            }
            w.unknownAttributes(unknownScratch, msg.unknownRequiredCount());
        }
        if (authenticated) {
            w.messageIntegrity(key);
        }
        int n = w.fingerprint().length();
        if (!authenticated && n > msg.length()) {
            return; // no amplification toward unauthenticated senders
        }
        sender.send(out, 0, n, from);
    }

    // ---- helpers ----

    private Pair findPair(InetSocketAddress a) {
        for (Pair p : pairs) {
            if (p.remote.equals(a)) {
                return p;
            }
        }
        return null;
    }

    private void setState(IceState s) {
        if (state != s) {
            state = s;
            listener.onStateChange(s);
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static int readInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static long readLong(byte[] b, int p) {
        return ((long) readInt(b, p) << 32) | (readInt(b, p + 4) & 0xFFFFFFFFL);
    }

    @Override
    public synchronized String toString() {
        return "IceControllingAgent[" + local.ufrag() + " " + state + (controlling ? " controlling" : " controlled")
                + " selected=" + selectedAddress() + " pairs=" + pairs.size() + "]";
    }
}
