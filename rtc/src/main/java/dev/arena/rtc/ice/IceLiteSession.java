package dev.arena.rtc.ice;

import dev.arena.rtc.stun.StunIntegrity;
import dev.arena.rtc.stun.StunMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;

/**
 * One remote peer on an {@link IceLiteServer} (RFC 8445 section 7.3 for the lite responder side).
 *
 * <ul>
 *   <li>A valid check teaches the session its source address (at most {@link #MAX_ADDRESSES}; the least
 *       recently checked, non-selected one is forgotten first). Only authenticated checks add state.</li>
 *   <li>USE-CANDIDATE in a valid check selects that address and makes the session CONNECTED; a nominating
 *       check from a new address (the peer changed network) moves the selection there.</li>
 *   <li>Consent (RFC 7675 section 5.1): {@link #checkConsent()} turns CONNECTED into DISCONNECTED when no
 *       valid check came from the selected address for {@link #CONSENT_TIMEOUT_NANOS}; a later valid check
 *       from it (or a nomination elsewhere) makes it CONNECTED again.</li>
 *   <li>ICE restart (RFC 8445 section 9): {@link #restart} installs new credentials and keeps accepting the
 *       old ones until a valid check uses the new ones.</li>
 * </ul>
 */
public final class IceLiteSession {
    /** Learned remote addresses kept per session. */
    public static final int MAX_ADDRESSES = 8;
    /** RFC 7675: consent expires 30 s after the last valid check. */
    public static final long CONSENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Credentials for one generation (before/after a restart). */
    record Creds(IceCredentials local, IceCredentials remote, byte[] ufrag, SecretKeySpec key) {
        static Creds of(IceCredentials local, IceCredentials remote) {
            return new Creds(Objects.requireNonNull(local), Objects.requireNonNull(remote),
                    local.ufrag().getBytes(StandardCharsets.ISO_8859_1), StunIntegrity.key(local.pwd()));
        }
    }

    /** Immutable so that {@link #credsFor} reads without a lock. */
    private record Generation(Creds current, Creds previous) {
    }

    private final IceLiteServer server;
    private final IceListener listener;
    private volatile Generation gen;
    private volatile IceState state = IceState.NEW;
    private volatile InetSocketAddress selected;
    private long lastConsentNanos;
    private final InetSocketAddress[] addresses = new InetSocketAddress[MAX_ADDRESSES];
    private final long[] addressSeen = new long[MAX_ADDRESSES];
    private int addressCount;

    IceLiteSession(IceLiteServer server, IceCredentials local, IceCredentials remote, IceListener listener) {
        this.server = server;
        this.listener = listener == null ? new IceListener() { } : listener;
        this.gen = new Generation(Creds.of(local, remote), null);
    }

    public IceState state() {
        return state;
    }

    public InetSocketAddress selectedAddress() {
        return selected;
    }

    public IceCredentials localCredentials() {
        return gen.current().local();
    }

    public IceCredentials remoteCredentials() {
        return gen.current().remote();
    }

    /** Addresses that sent a valid check (a copy, for stats and tests). */
    public synchronized java.util.List<InetSocketAddress> learnedAddresses() {
        return java.util.List.of(java.util.Arrays.copyOf(addresses, addressCount));
    }

    /** The credentials whose ufrag the USERNAME names (current first), or null. Lock-free. */
    Creds credsFor(StunMessage m) {
        Generation g = gen;
        if (m.usernameStartsWith(g.current().ufrag())) {
            return g.current();
        }
        Creds p = g.previous();
        return p != null && m.usernameStartsWith(p.ufrag()) ? p : null;
    }

    /** The previous credentials if they have the same ufrag as {@code tried} (restart with a new pwd only). */
    Creds otherCredsFor(StunMessage m, Creds tried) {
        Generation g = gen;
        Creds other = tried == g.current() ? g.previous() : g.current();
        return other != null && other != tried && m.usernameStartsWith(other.ufrag()) ? other : null;
    }

    /** Called by the server after a check authenticated with {@code creds}; false if closed. */
    boolean onValidCheck(Creds creds, InetSocketAddress from, boolean useCandidate) {
        IceLiteSession previousOwner;
        synchronized (this) {
            if (state == IceState.CLOSED) {
                return false;
            }
            Generation g = gen;
            if (creds == g.current() && g.previous() != null) {
                // The peer uses the new credentials: the restart is complete, forget the old ones.
                if (!g.previous().local().ufrag().equals(g.current().local().ufrag())) {
                    server.byUfrag.remove(g.previous().local().ufrag(), this);
                }
                gen = new Generation(g.current(), null);
            }
            long now = server.now();
            previousOwner = learn(from, now);
            InetSocketAddress sel = selected;
            if (sel == null || sel.equals(from)) {
                lastConsentNanos = now;
            }
            if (state == IceState.NEW) {
                setState(IceState.CHECKING);
            }
            if (useCandidate) {
                lastConsentNanos = now;
                if (!from.equals(sel)) {
                    selected = from;
                    listener.onSelectedAddress(from);
                }
                setState(IceState.CONNECTED);
            } else if (state == IceState.DISCONNECTED && from.equals(sel)) {
                setState(IceState.CONNECTED);
            }
        }
        if (previousOwner != null && previousOwner != this) {
            previousOwner.forget(from);
        }
        return true;
    }

    /** Records {@code from}; returns the session that owned the address before, if any. Holds the lock. */
    private IceLiteSession learn(InetSocketAddress from, long now) {
        for (int i = 0; i < addressCount; i++) {
            if (addresses[i].equals(from)) {
                addressSeen[i] = now;
                return null;
            }
        }
        if (addressCount == MAX_ADDRESSES) {
            int victim = -1;
            for (int i = 0; i < addressCount; i++) {
                if (!addresses[i].equals(selected) && (victim < 0 || addressSeen[i] < addressSeen[victim])) {
                    victim = i;
                }
            }
            server.byAddress.remove(addresses[victim], this);
            removeAt(victim);
        }
        addresses[addressCount] = from;
        addressSeen[addressCount] = now;
        addressCount++;
        return server.byAddress.put(from, this);
    }

    private void removeAt(int i) {
        addressCount--;
        addresses[i] = addresses[addressCount];
        addressSeen[i] = addressSeen[addressCount];
        addresses[addressCount] = null;
    }

    /** Another session validated from {@code a}: it is no longer ours. */
    synchronized void forget(InetSocketAddress a) {
        for (int i = 0; i < addressCount; i++) {
            if (addresses[i].equals(a)) {
                removeAt(i);
                return;
            }
        }
    }

    /**
     * Consent freshness (RFC 7675): call periodically (every few seconds). CONNECTED becomes DISCONNECTED
     * when no valid check arrived from the selected address for 30 s. Returns the state.
     */
    public synchronized IceState checkConsent() {
        if (state == IceState.CONNECTED && server.now() - lastConsentNanos >= CONSENT_TIMEOUT_NANOS) {
            setState(IceState.DISCONNECTED);
        }
        return state;
    }

    /**
     * ICE restart (RFC 8445 section 9): new local and remote credentials. The session, its state and selected
     * address stay; checks with the old credentials are still answered until one with the new ones arrives.
     *
     * @throws IllegalArgumentException if another session already uses {@code newLocal.ufrag()}
     */
    public synchronized void restart(IceCredentials newLocal, IceCredentials newRemote) {
        if (state == IceState.CLOSED) {
            throw new IllegalStateException("session closed");
        }
        Creds next = Creds.of(newLocal, newRemote);
        IceLiteSession owner = server.byUfrag.putIfAbsent(newLocal.ufrag(), this);
        if (owner != null && owner != this) {
            throw new IllegalArgumentException("local ufrag already registered: " + newLocal.ufrag());
        }
        Generation g = gen;
        if (g.previous() != null) {
            String old = g.previous().local().ufrag();
            if (!old.equals(g.current().local().ufrag()) && !old.equals(newLocal.ufrag())) {
                server.byUfrag.remove(old, this);
            }
        }
        gen = new Generation(next, g.current());
    }

    /** Removes the session from its server; further checks for it get 401. Idempotent. */
    public synchronized void close() {
        if (state == IceState.CLOSED) {
            return;
        }
        Generation g = gen;
        server.byUfrag.remove(g.current().local().ufrag(), this);
        if (g.previous() != null) {
            server.byUfrag.remove(g.previous().local().ufrag(), this);
        }
        for (int i = 0; i < addressCount; i++) {
            server.byAddress.remove(addresses[i], this);
            addresses[i] = null;
        }
        addressCount = 0;
        setState(IceState.CLOSED);
    }

    private void setState(IceState s) {
        if (state != s) {
            state = s;
            listener.onStateChange(s);
        }
    }

    @Override
    public String toString() {
        return "IceLiteSession[" + gen.current().local().ufrag() + " " + state + " " + selected + "]";
    }
}
