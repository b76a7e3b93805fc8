package dev.arena.rtc.ice;

import static org.junit.jupiter.api.Assertions.*;

import dev.arena.rtc.ice.StunChecks.Check;
import dev.arena.rtc.ice.StunChecks.Recorder;
import dev.arena.rtc.stun.StunIntegrity;
import dev.arena.rtc.stun.StunMessage;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IceLiteServerTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 40001);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 40002);
    private static final InetSocketAddress C = new InetSocketAddress("::1", 40003);

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final IceLiteServer server = new IceLiteServer(now::get);
    private final IceCredentials local = new IceCredentials("srvufrag", "serverpassword0123456789");
    private final IceCredentials remote = new IceCredentials("cli1", "clientpassword0123456789");
    private final RecordingListener listener = new RecordingListener();
    private final IceLiteSession session = server.register(local, remote, listener);
    private final Recorder out = new Recorder();

    private IceLiteSession send(Check c, InetSocketAddress from) {
        byte[] b = c.bytes();
        return server.handle(b, 0, b.length, from, out);
    }

    private Check check() {
        return Check.to(local, remote);
    }

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void validCheckIsAnsweredWithXorMappedAddressIntegrityAndFingerprint() {
        byte[] req = check().bytes();
        assertSame(session, server.handle(req, 0, req.length, A, out));
        StunMessage resp = out.last();
        assertEquals(StunMessage.BINDING_SUCCESS, resp.type());
        assertArrayEquals(java.util.Arrays.copyOfRange(req, 8, 20), resp.transactionId());
        assertEquals(A, resp.xorMappedAddress());
        assertTrue(resp.verifyIntegrity(StunIntegrity.key(local.pwd())), "signed with the local password");
        assertTrue(resp.hasFingerprint());
        assertEquals(A, out.sent.getLast().to());
        assertEquals(IceState.CHECKING, session.state());
        assertNull(session.selectedAddress());
        assertSame(session, server.sessionFor(A), "a validated address maps to its session");
    }

    @Test
    void useCandidateNominatesAndConnects() {
        assertSame(session, send(check().nominate(), A));
        assertEquals(IceState.CONNECTED, session.state());
        assertEquals(A, session.selectedAddress());
        assertEquals(List.of(IceState.CHECKING, IceState.CONNECTED), listener.states);
        assertEquals(List.of(A), listener.selected);
    }

    @Test
    void ipv6PeerGetsAnIpv6MappedAddress() {
        assertSame(session, send(check().nominate(), C));
        assertEquals(C, out.last().xorMappedAddress());
    }

    @Test
    void wrongPasswordGets401AndChangesNothing() {
        send(check().nominate(), A);
        listener.states.clear();
        listener.selected.clear();

        assertNull(send(check().nominate().pwd("wrongpassword0123456789x"), B));
        StunMessage resp = out.last();
        assertEquals(StunMessage.BINDING_ERROR, resp.type());
        assertEquals(401, resp.errorCode());
        assertFalse(resp.hasIntegrity());
        assertEquals(A, session.selectedAddress());
        assertEquals(IceState.CONNECTED, session.state());
        assertNull(server.sessionFor(B));
        assertEquals(List.of(A), session.learnedAddresses());
        assertTrue(listener.states.isEmpty());
        assertTrue(listener.selected.isEmpty());
        assertEquals(1, server.drops().get(IceDrop.BAD_INTEGRITY));

        // Even from the selected address, a bad check refreshes nothing.
        advanceSeconds(25);
        assertNull(send(check().pwd("wrongpassword0123456789x"), A));
        advanceSeconds(6);
        assertEquals(IceState.DISCONNECTED, session.checkConsent());
    }

    @Test
    void wrongPasswordOnAFreshSessionLeavesItNew() {
        assertNull(send(check().nominate().pwd("nope"), A));
        assertEquals(401, out.last().errorCode());
        assertEquals(IceState.NEW, session.state());
        assertNull(server.sessionFor(A));
        assertTrue(listener.states.isEmpty());
    }

    @Test
    void unknownUfragGets401() {
        assertNull(send(check().username("nobody:cli1"), A));
        assertEquals(401, out.last().errorCode());
        assertNull(send(check().username("nocolon"), A));
        assertEquals(401, out.last().errorCode());
        assertEquals(2, server.drops().get(IceDrop.UNKNOWN_USERNAME));
        assertNull(server.sessionFor(A));
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420AndChangesNothing() {
        assertNull(send(check().nominate().withUnknownAttribute(), A));
        StunMessage resp = out.last();
        assertEquals(420, resp.errorCode());
        assertArrayEquals(new int[] {StunChecks.UNKNOWN_REQUIRED}, resp.unknownAttributesListed());
        assertTrue(resp.verifyIntegrity(StunIntegrity.key(local.pwd())), "authenticated: 420 carries integrity");
        assertEquals(IceState.NEW, session.state());
        assertNull(server.sessionFor(A));
        assertEquals(1, server.drops().get(IceDrop.UNKNOWN_ATTRIBUTE));
    }

    @Test
    void controlledPeerGets487RoleConflict() {
        assertNull(send(check().nominate().role(false, true), A));
        StunMessage resp = out.last();
        assertEquals(487, resp.errorCode());
        assertTrue(resp.verifyIntegrity(StunIntegrity.key(local.pwd())));
        assertEquals(IceState.NEW, session.state());
        assertNull(server.sessionFor(A));
    }

    @Test
    void checkWithoutRoleOrIntegrityGets400() {
        assertNull(send(check().role(false, false), A));
        assertEquals(400, out.last().errorCode());
        out.clear();
        assertNull(send(check().noIntegrity(), A));
        assertEquals(400, out.last().errorCode(), "the request is larger than the 400, so it is answered");
        assertEquals(2, server.drops().get(IceDrop.BAD_REQUEST));
        assertEquals(IceState.NEW, session.state());
    }

    @Test
    void tinyUnauthenticatedRequestIsNotAmplified() {
        byte[] req = new byte[20];
        new dev.arena.rtc.stun.StunWriter().start(req, 0, StunMessage.BINDING_REQUEST, new byte[12], 0);
        assertNull(server.handle(req, 0, req.length, A, out));
        assertTrue(out.sent.isEmpty());
        assertEquals(1, server.drops().get(IceDrop.BAD_REQUEST));
    }

    @Test
    void responsesAndIndicationsAreDroppedSilently() {
        byte[] b = new byte[100];
        int n = new dev.arena.rtc.stun.StunWriter().start(b, 0, StunMessage.BINDING_SUCCESS, new byte[12], 0)
                .xorMappedAddress(A).fingerprint().length();
        assertNull(server.handle(b, 0, n, A, out));
        n = new dev.arena.rtc.stun.StunWriter().start(b, 0, StunMessage.BINDING_INDICATION, new byte[12], 0)
                .fingerprint().length();
        assertNull(server.handle(b, 0, n, A, out));
        assertTrue(out.sent.isEmpty());
        assertEquals(1, server.drops().get(IceDrop.UNEXPECTED_RESPONSE));
        assertEquals(1, server.drops().get(IceDrop.NOT_A_REQUEST));
    }

    @Test
    void consentExpiresAfter30SecondsAndComesBackWithAValidCheck() {
        send(check().nominate(), A);
        advanceSeconds(29);
        assertEquals(IceState.CONNECTED, session.checkConsent());
        send(check(), B); // a valid check from another, unselected address does not refresh consent
        advanceSeconds(1);
        assertEquals(IceState.DISCONNECTED, session.checkConsent());
        assertEquals(List.of(IceState.CHECKING, IceState.CONNECTED, IceState.DISCONNECTED), listener.states);

        assertSame(session, send(check(), A));
        assertEquals(IceState.CONNECTED, session.state());
        advanceSeconds(29);
        assertEquals(IceState.CONNECTED, session.checkConsent());
    }

    @Test
    void consentIsKeptByPeriodicChecks() {
        send(check().nominate(), A);
        for (int i = 0; i < 20; i++) {
            advanceSeconds(5);
            send(check(), A);
            assertEquals(IceState.CONNECTED, session.checkConsent());
        }
    }

    @Test
    void restartKeepsTheSessionAndAcceptsOldCredentialsUntilTheNewOnesAreUsed() {
        send(check().nominate(), A);
        IceCredentials local2 = new IceCredentials("srvufr2x", "newserverpassword0123456");
        IceCredentials remote2 = new IceCredentials("cli2", "newclientpassword0123456");
        session.restart(local2, remote2);
        assertEquals(local2, session.localCredentials());
        assertEquals(IceState.CONNECTED, session.state());
        assertEquals(A, session.selectedAddress());

        assertSame(session, send(check(), A), "old credentials still work");
        assertTrue(out.last().verifyIntegrity(StunIntegrity.key(local.pwd())), "answered with the old password");
        assertSame(session, send(Check.to(local2, remote2), A), "new credentials work");
        assertTrue(out.last().verifyIntegrity(StunIntegrity.key(local2.pwd())));
        assertNull(send(check(), A), "once the new ones are used, the old ones are gone");
        assertEquals(401, out.last().errorCode());
        assertSame(session, send(Check.to(local2, remote2).nominate(), B));
        assertEquals(B, session.selectedAddress());
        assertEquals(IceState.CONNECTED, session.state());
        assertEquals(List.of(IceState.CHECKING, IceState.CONNECTED), listener.states, "no state change on restart");
    }

    @Test
    void restartToATakenUfragIsRefused() {
        IceCredentials other = IceCredentials.random();
        server.register(other, IceCredentials.random(), null);
        assertThrows(IllegalArgumentException.class, () -> session.restart(other, remote));
        assertThrows(IllegalArgumentException.class, () -> server.register(local, remote, null));
    }

    @Test
    void peerThatMovesIsFollowedOnItsNominatingCheck() {
        send(check().nominate(), A);
        assertSame(session, send(check(), B), "a valid check from a new address is answered");
        assertEquals(A, session.selectedAddress(), "but does not move the selection without USE-CANDIDATE");
        assertSame(session, server.sessionFor(B));
        assertSame(session, send(check().nominate(), B));
        assertEquals(B, session.selectedAddress());
        assertEquals(List.of(A, B), listener.selected);
        assertEquals(IceState.CONNECTED, session.state());
    }

    @Test
    void nominationFromANewAddressRecoversADisconnectedSession() {
        send(check().nominate(), A);
        advanceSeconds(31);
        assertEquals(IceState.DISCONNECTED, session.checkConsent());
        send(check().nominate(), C);
        assertEquals(IceState.CONNECTED, session.state());
        assertEquals(C, session.selectedAddress());
    }

    @Test
    void learnedAddressesAreCapped() {
        send(check().nominate(), A);
        for (int i = 0; i < 50; i++) {
            advanceSeconds(1);
            assertSame(session, send(check(), new InetSocketAddress("127.0.0.1", 50000 + i)));
        }
        assertEquals(IceLiteSession.MAX_ADDRESSES, session.learnedAddresses().size());
        assertTrue(session.learnedAddresses().contains(A), "the selected address is never evicted");
        assertSame(session, server.sessionFor(A));
        assertNull(server.sessionFor(new InetSocketAddress("127.0.0.1", 50000)), "the oldest went");
        assertSame(session, server.sessionFor(new InetSocketAddress("127.0.0.1", 50049)));
    }

    @Test
    void unauthenticatedTrafficCreatesNoState() {
        for (int i = 0; i < 1000; i++) {
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 20000 + i);
            send(check().nominate().pwd("bad" + i), from);
            send(check().username("x" + i + ":y"), from);
            assertNull(server.sessionFor(from));
        }
        assertTrue(session.learnedAddresses().isEmpty());
        assertEquals(IceState.NEW, session.state());
    }

    @Test
    void anAddressTakenOverByAnotherSessionMovesToIt() {
        IceCredentials l2 = IceCredentials.random();
        IceCredentials r2 = IceCredentials.random();
        IceLiteSession s2 = server.register(l2, r2, null);
        send(check().nominate(), A);
        assertSame(s2, send(Check.to(l2, r2).nominate(), A));
        assertSame(s2, server.sessionFor(A));
        assertFalse(session.learnedAddresses().contains(A));
    }

    @Test
    void closedSessionIsForgotten() {
        send(check().nominate(), A);
        server.unregister(session);
        assertEquals(IceState.CLOSED, session.state());
        assertNull(server.sessionFor(A));
        assertNull(send(check(), A));
        assertEquals(401, out.last().errorCode());
        assertEquals(0, server.sessionCount());
        session.close(); // idempotent
        assertSame(server.register(local, remote, null).localCredentials(), local, "the ufrag is free again");
    }

    @Test
    void randomCredentialsHaveTheRightShape() {
        IceCredentials c = IceCredentials.random();
        assertEquals(8, c.ufrag().length());
        assertEquals(24, c.pwd().length());
        assertTrue(c.ufrag().matches("[A-Za-z0-9+/]+"));
        assertTrue(c.pwd().matches("[A-Za-z0-9+/]+"));
        assertNotEquals(c, IceCredentials.random());
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("a:b", "pwd"));
        assertFalse(c.toString().contains(c.pwd()));
    }

    @Test
    void manyThreadsCheckingManySessionsAtOnce() throws Exception {
        int threads = 4;
        int perThread = 100;
        IceCredentials[][] creds = new IceCredentials[threads * perThread][];
        IceLiteSession[] sessions = new IceLiteSession[creds.length];
        for (int i = 0; i < creds.length; i++) {
            creds[i] = new IceCredentials[] {IceCredentials.random(), IceCredentials.random()};
            sessions[i] = server.register(creds[i][0], creds[i][1], null);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                done.add(pool.submit(() -> {
                    Recorder r = new Recorder();
                    for (int round = 0; round < 5; round++) {
                        for (int i = first; i < first + perThread; i++) {
                            byte[] b = Check.to(creds[i][0], creds[i][1]).nominate().bytes();
                            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 10000 + i);
                            assertSame(sessions[i], server.handle(b, 0, b.length, from, r));
                            // garbage interleaved from the same address changes nothing
                            server.handle(b, 0, b.length - 4, from, r);
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < sessions.length; i++) {
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 10000 + i);
            assertEquals(IceState.CONNECTED, sessions[i].state());
            assertEquals(from, sessions[i].selectedAddress());
            assertSame(sessions[i], server.sessionFor(from));
        }
    }
}
