package dev.arena.rtc.ice;

import dev.arena.rtc.stun.StunDrop;
import dev.arena.rtc.stun.StunIntegrity;
import dev.arena.rtc.stun.StunMessage;
import dev.arena.rtc.stun.StunWriter;
import dev.arena.rtc.udp.DatagramSender;
import dev.arena.rtc.util.DropCounter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;

/**
 * ICE-lite agent for one shared UDP port (RFC 8445 sections 2.5 and 7.3): it never sends checks, it answers
 * the Binding requests of full agents, which must be controlling. A datagram from an unknown address is
 * matched to its session by the USERNAME (the local ufrag before the colon); once a check from an address
 * validates, later datagrams are matched by address ({@link #sessionFor}).
 *
 * <p>Order of checks for a Binding request (RFC 8489 sections 6.3 and 9.1.3): parse and FINGERPRINT;
 * USERNAME and MESSAGE-INTEGRITY present (else 400, sent only if no larger than the request); the ufrag
 * names a session (else 401); MESSAGE-INTEGRITY verifies with the session's local password (else 401).
 * Nothing about any session changes before this point. Then unknown comprehension-required attributes (420),
 * ICE-CONTROLLED (487: a lite agent cannot take the controlling role, RFC 8445 section 6.1.1), no role
 * attribute (400); else a success response with XOR-MAPPED-ADDRESS and the session learns the address.
 *
 * <p>Thread-safe: {@link #handle} may be called from several event loops at once; per-thread scratch
 * (parser view, writer, response buffer) keeps the path free of allocation except the response address.
 */
public final class IceLiteServer {
    private final LongSupplier nanoClock;
    private final DropCounter<IceDrop> drops = new DropCounter<>(IceDrop.class);
    private final DropCounter<StunDrop> stunDrops = new DropCounter<>(StunDrop.class);
    final ConcurrentHashMap<String, IceLiteSession> byUfrag = new ConcurrentHashMap<>();
    final ConcurrentHashMap<InetSocketAddress, IceLiteSession> byAddress = new ConcurrentHashMap<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(stunDrops));

    public IceLiteServer(LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock);
    }

    /**
     * Adds a session. {@code local.ufrag()} must be unique on this server.
     *
     * @throws IllegalArgumentException if another session uses the same local ufrag
     */
    public IceLiteSession register(IceCredentials local, IceCredentials remote, IceListener listener) {
        IceLiteSession s = new IceLiteSession(this, local, remote, listener);
        if (byUfrag.putIfAbsent(local.ufrag(), s) != null) {
            throw new IllegalArgumentException("local ufrag already registered: " + local.ufrag());
        }
        return s;
    }

    /** Same as {@code session.close()}. */
    public void unregister(IceLiteSession session) {
        session.close();
    }

    /** The session that validated a check from {@code from}, for DTLS/RTP demux; null if none. */
    public IceLiteSession sessionFor(InetSocketAddress from) {
        return byAddress.get(from);
    }

    /**
     * The session a STUN request from {@code from} is for, without checking it and without changing anything: the
     * one that validated {@code from}, else the one whose local ufrag the USERNAME names; null if none (or not a
     * parsable request). Lets a multi-loop server route a check to the loop that owns its session first.
     */
    public IceLiteSession sessionFor(byte[] buf, int off, int len, InetSocketAddress from) {
        IceLiteSession s = byAddress.get(from);
        if (s != null) {
            return s;
        }
        StunMessage m = scratch.get().peek;
        if (!m.wrap(buf, off, len) || m.type() != StunMessage.BINDING_REQUEST || !m.hasUsername()) {
            return null;
        }
        int colon = m.usernameColon();
        return colon > 0 ? byUfrag.get(new String(buf, m.usernameOffset(), colon, StandardCharsets.ISO_8859_1)) : null;
    }

    public DropCounter<IceDrop> drops() {
        return drops;
    }

    /** Detail of the MALFORMED drops (and failed integrity checks). */
    public DropCounter<StunDrop> stunDrops() {
        return stunDrops;
    }

    /** Sessions registered (for stats). */
    public int sessionCount() {
        return (int) byUfrag.values().stream().distinct().count();
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /**
     * Handles one STUN datagram from {@code from}, answering through {@code sender}. Returns the session
     * whose valid check this was, or null (anything else: counted in {@link #drops()}). Never throws on
     * bad input.
     */
    public IceLiteSession handle(byte[] buf, int off, int len, InetSocketAddress from, DatagramSender sender) {
        Scratch s = scratch.get();
        StunMessage m = s.msg;
        if (!m.wrap(buf, off, len)) {
            drops.count(IceDrop.MALFORMED);
            return null;
        }
        if (m.type() != StunMessage.BINDING_REQUEST) {
            drops.count(m.messageClass() == StunMessage.CLASS_SUCCESS || m.messageClass() == StunMessage.CLASS_ERROR
                    ? IceDrop.UNEXPECTED_RESPONSE : IceDrop.NOT_A_REQUEST);
            return null;
        }
        if (!m.hasUsername() || !m.hasIntegrity()) {
            drops.count(IceDrop.BAD_REQUEST);
            replyError(s, m, 400, "Bad Request", null, from, sender, true);
            return null;
        }
        IceLiteSession session = byAddress.get(from);
        IceLiteSession.Creds creds = session == null ? null : session.credsFor(m);
        if (creds == null) {
            int colon = m.usernameColon();
            if (colon > 0) {
                session = byUfrag.get(new String(buf, m.usernameOffset(), colon, StandardCharsets.ISO_8859_1));
                creds = session == null ? null : session.credsFor(m);
            }
            if (creds == null) {
                drops.count(IceDrop.UNKNOWN_USERNAME);
                replyError(s, m, 401, "Unauthorized", null, from, sender, true);
                return null;
            }
        }
        Mac mac = StunIntegrity.mac(creds.key());
        if (!m.verifyIntegrity(mac)) {
            IceLiteSession.Creds other = session.otherCredsFor(m, creds);
            if (other == null || !m.verifyIntegrity(mac = StunIntegrity.mac(other.key()))) {
                drops.count(IceDrop.BAD_INTEGRITY);
                replyError(s, m, 401, "Unauthorized", null, from, sender, true);
                return null;
            }
            creds = other;
        }
        // Authenticated: error responses from here on carry MESSAGE-INTEGRITY (RFC 8489 section 9.1.3).
        if (m.unknownRequiredCount() > 0) {
            drops.count(IceDrop.UNKNOWN_ATTRIBUTE);
            replyError(s, m, 420, "Unknown Attribute", mac, from, sender, false);
            return null;
        }
        if (m.iceControlled()) {
            drops.count(IceDrop.ROLE_CONFLICT);
            replyError(s, m, 487, "Role Conflict", mac, from, sender, false);
            return null;
        }
        if (!m.iceControlling()) {
            drops.count(IceDrop.BAD_REQUEST);
            replyError(s, m, 400, "Bad Request", mac, from, sender, false);
            return null;
        }
        int n = s.writer.start(s.out, 0, StunMessage.BINDING_SUCCESS, buf, m.transactionIdOffset())
                .xorMappedAddress(from).messageIntegrity(mac).fingerprint().length();
        boolean useCandidate = m.useCandidate();
        sender.send(s.out, 0, n, from);
        if (!session.onValidCheck(creds, from, useCandidate)) {
            drops.count(IceDrop.CLOSED);
            return null;
        }
        return session;
    }

    private static void replyError(Scratch s, StunMessage m, int code, String reason, Mac mac,
                                   InetSocketAddress from, DatagramSender sender, boolean unauthenticated) {
        StunWriter w = s.writer.start(s.out, 0, StunMessage.BINDING_ERROR, m.buffer(), m.transactionIdOffset())
                .errorCode(code, reason);
        if (code == 420) {
            w.unknownAttributes(s.unknownTypes(m), m.unknownRequiredCount());
        }
        if (mac != null) {
            w.messageIntegrity(mac);
        }
        int n = w.fingerprint().length();
        // Never amplify for an unauthenticated sender: answer only if no larger than what it sent.
        if (unauthenticated && n > m.length()) {
            return;
        }
        sender.send(s.out, 0, n, from);
    }

    private static final class Scratch {
        final StunMessage msg;
        /** For {@link #sessionFor(byte[], int, int, InetSocketAddress)}: its parse errors are not counted. */
        final StunMessage peek = new StunMessage(new DropCounter<>(StunDrop.class));
        final StunWriter writer = new StunWriter();
        final byte[] out = new byte[256];
        final int[] unknown = new int[StunMessage.MAX_UNKNOWN];

        Scratch(DropCounter<StunDrop> drops) {
            msg = new StunMessage(drops);
        }

        int[] unknownTypes(StunMessage m) {
            for (int i = 0; i < m.unknownRequiredCount(); i++) {
                unknown[i] = m.unknownRequired(i);
            }
            return unknown;
        }
    }
}
