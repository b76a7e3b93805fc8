package dev.arena.rtc.ice;

import static org.junit.jupiter.api.Assertions.*;

import dev.arena.rtc.stun.StunMessage;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controlling agent against the lite server (and against itself), in-process on virtual time. */
class IceControllingAgentTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);
    private static final InetSocketAddress DEAD = new InetSocketAddress("127.0.0.1", 9);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress CLIENT2 = new InetSocketAddress("127.0.0.1", 50001);

    private final FakeScheduler scheduler = new FakeScheduler();
    private final FakeNet net = new FakeNet(scheduler);
    private final IceLiteServer server = new IceLiteServer(scheduler.clock());
    private final IceCredentials serverCreds = IceCredentials.random();
    private final IceCredentials clientCreds = IceCredentials.random();
    private final RecordingListener serverListener = new RecordingListener();
    private final RecordingListener clientListener = new RecordingListener();
    private final IceLiteSession session = server.register(serverCreds, clientCreds, serverListener);

    {
        net.bind(SERVER, (b, o, l, from) -> server.handle(b, o, l, from, net.from(SERVER)));
    }

    private IceControllingAgent agent(InetSocketAddress at, List<InetSocketAddress> candidates) {
        IceControllingAgent a = new IceControllingAgent(clientCreds, serverCreds, candidates, net.from(at), scheduler,
                scheduler.clock(), clientListener);
        net.bind(at, a::handle);
        return a;
    }

    private long checksTo(InetSocketAddress to) {
        return net.sent.stream().filter(d -> d.to().equals(to)).filter(d -> {
            StunMessage m = new StunMessage();
            return m.wrap(d.data(), 0, d.data().length) && m.type() == StunMessage.BINDING_REQUEST;
        }).count();
    }

    @Test
    void connectsToTheLiteServerAndNominatesTheFirstSucceededPair() {
        IceControllingAgent agent = agent(CLIENT, List.of(DEAD, SERVER));
        agent.start();
        assertEquals(IceState.CHECKING, agent.state());
        scheduler.advanceMillis(200);
        assertEquals(IceState.CONNECTED, agent.state());
        assertEquals(SERVER, agent.selectedAddress());
        assertEquals(List.of(SERVER), clientListener.selected);
        assertEquals(IceState.CONNECTED, session.state());
        assertEquals(CLIENT, session.selectedAddress());
        assertSame(session, server.sessionFor(CLIENT));
        assertEquals(List.of(IceState.CHECKING, IceState.CONNECTED), clientListener.states);
        assertEquals(0, server.drops().total());
        assertTrue(agent.isControlling());
    }

    @Test
    void retransmitsLostChecks() {
        int[] lost = {0};
        net.lose = d -> d.to().equals(SERVER) && lost[0]++ < 3;
        IceControllingAgent agent = agent(CLIENT, List.of(SERVER));
        agent.start();
        scheduler.advanceMillis(200);
        assertEquals(IceState.CHECKING, agent.state());
        scheduler.advanceMillis(2000); // 250 + 500 + 1000 ms: the fourth transmission gets through
        assertEquals(IceState.CONNECTED, agent.state());
        assertEquals(IceState.CONNECTED, session.state());
    }

    @Test
    void failsAfterSevenTransmissionsPerPair() {
        IceControllingAgent agent = agent(CLIENT, List.of(DEAD, new InetSocketAddress("127.0.0.1", 10)));
        agent.start();
        scheduler.advanceMillis(8000);
        assertEquals(IceState.CHECKING, agent.state());
        scheduler.advanceMillis(1000);
        assertEquals(IceState.FAILED, agent.state());
        assertEquals(IceControllingAgent.MAX_TRANSMITS, checksTo(DEAD));
        assertEquals(0, scheduler.pending(), "no timers left");
    }

    @Test
    void noCandidatesFailsAtOnce() {
        IceControllingAgent agent = agent(CLIENT, List.of());
        agent.start();
        assertEquals(IceState.FAILED, agent.state());
    }

    @Test
    void consentKeepsBothSidesConnected() {
        IceControllingAgent agent = agent(CLIENT, List.of(SERVER));
        agent.start();
        for (int i = 0; i < 24; i++) { // two minutes
            scheduler.advanceMillis(5000);
            assertEquals(IceState.CONNECTED, session.checkConsent());
            assertEquals(IceState.CONNECTED, agent.state());
        }
        long checks = checksTo(SERVER);
        assertTrue(checks >= 20 && checks <= 35, "one consent check every 4-6 s, got " + checks);
    }

    @Test
    void lostConsentDisconnectsBothSidesAndRecovers() {
        IceControllingAgent agent = agent(CLIENT, List.of(SERVER));
        agent.start();
        scheduler.advanceMillis(1000);
        assertEquals(IceState.CONNECTED, agent.state());
        net.lose = d -> true;
        scheduler.advanceMillis(29_000);
        assertEquals(IceState.CONNECTED, agent.state());
        assertEquals(IceState.CONNECTED, session.checkConsent());
        scheduler.advanceMillis(7_000);
        assertEquals(IceState.DISCONNECTED, agent.state());
        assertEquals(IceState.DISCONNECTED, session.checkConsent());

        net.lose = d -> false;
        scheduler.advanceMillis(7_000);
        assertEquals(IceState.CONNECTED, agent.state());
        assertEquals(IceState.CONNECTED, session.state());
        assertEquals(List.of(IceState.CHECKING, IceState.CONNECTED, IceState.DISCONNECTED, IceState.CONNECTED),
                clientListener.states);
    }

    @Test
    void wrongRemotePasswordNeverConnects() {
        IceControllingAgent agent = new IceControllingAgent(clientCreds,
                new IceCredentials(serverCreds.ufrag(), "wrongwrongwrongwrongwrong"), List.of(SERVER),
                net.from(CLIENT), scheduler, scheduler.clock(), clientListener);
        net.bind(CLIENT, agent::handle);
        agent.start();
        scheduler.advanceMillis(20_000);
        assertEquals(IceState.FAILED, agent.state(), "every answer is a 401");
        assertEquals(IceState.NEW, session.state());
        assertNull(server.sessionFor(CLIENT));
        assertTrue(server.drops().get(IceDrop.BAD_INTEGRITY) > 0);
    }

    @Test
    void forgedResponseIsIgnored() {
        IceControllingAgent agent = agent(CLIENT, List.of(SERVER));
        net.lose = d -> true;
        agent.start();
        // Answer the first check as an attacker who saw it but does not know the password.
        FakeNet.Datagram check = net.sent.getFirst();
        StunMessage req = new StunMessage();
        assertTrue(req.wrap(check.data(), 0, check.data().length));
        byte[] forged = new byte[200];
        int n = new dev.arena.rtc.stun.StunWriter().start(forged, 0, StunMessage.BINDING_SUCCESS, check.data(), 8)
                .xorMappedAddress(CLIENT).messageIntegrity(dev.arena.rtc.stun.StunIntegrity.key("guess"))
                .fingerprint().length();
        assertFalse(agent.handle(forged, 0, n, SERVER));
        assertEquals(IceState.CHECKING, agent.state());
        assertEquals(1, agent.drops().get(IceDrop.BAD_INTEGRITY));
        // and a genuine response from the wrong address does not count either
        n = new dev.arena.rtc.stun.StunWriter().start(forged, 0, StunMessage.BINDING_SUCCESS, check.data(), 8)
                .xorMappedAddress(CLIENT).messageIntegrity(dev.arena.rtc.stun.StunIntegrity.key(serverCreds.pwd()))
                .fingerprint().length();
        assertFalse(agent.handle(forged, 0, n, DEAD));
        assertEquals(1, agent.drops().get(IceDrop.WRONG_SOURCE));
        assertTrue(agent.handle(forged, 0, n, SERVER));
    }

    @Test
    void aClientThatMovesIsFollowedByTheServer() {
        IceControllingAgent first = agent(CLIENT, List.of(SERVER));
        first.start();
        scheduler.advanceMillis(500);
        assertEquals(CLIENT, session.selectedAddress());
        // Network change: the same peer (same credentials) now checks in from another port.
        first.close();
        net.unbind(CLIENT);
        IceControllingAgent second = agent(CLIENT2, List.of(SERVER));
        second.start();
        scheduler.advanceMillis(500);
        assertEquals(IceState.CONNECTED, second.state());
        assertEquals(CLIENT2, session.selectedAddress());
        assertEquals(List.of(CLIENT, CLIENT2), serverListener.selected);
        assertEquals(IceState.CLOSED, first.state());
    }

    @Test
    void closeStopsEverything() {
        IceControllingAgent agent = agent(CLIENT, List.of(SERVER));
        agent.start();
        scheduler.advanceMillis(500);
        agent.close();
        int sent = net.sent.size();
        scheduler.advanceMillis(60_000);
        assertEquals(sent, net.sent.size());
        assertEquals(IceState.CLOSED, agent.state());
        assertEquals(0, scheduler.pending());
    }

    @Test
    void twoFullAgentsResolveTheRoleConflictAndConnect() {
        RecordingListener l2 = new RecordingListener();
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 60000);
        IceControllingAgent a = agent(CLIENT, List.of(other));
        IceControllingAgent b = new IceControllingAgent(serverCreds, clientCreds, List.of(CLIENT), net.from(other),
                scheduler, scheduler.clock(), l2);
        net.bind(other, b::handle);
        a.start();
        b.start();
        scheduler.advanceMillis(3000);
        assertEquals(IceState.CONNECTED, a.state());
        assertEquals(IceState.CONNECTED, b.state());
        assertNotEquals(a.isControlling(), b.isControlling(), "exactly one stays controlling");
        assertEquals(other, a.selectedAddress());
        assertEquals(CLIENT, b.selectedAddress());
    }

    @Test
    void fullAgentAnswersChecksFromAPeerReflexiveAddress() {
        IceControllingAgent agent = agent(CLIENT, List.of(DEAD));
        agent.start();
        // The remote full agent checks us from an address we did not know (controlled side: no conflict).
        byte[] req = new StunChecks.Check(clientCreds.ufrag() + ":" + serverCreds.ufrag(), clientCreds.pwd(),
                false, true, false, true, false).bytes();
        StunChecks.Recorder out = new StunChecks.Recorder();
        InetSocketAddress prflx = new InetSocketAddress("127.0.0.1", 61000);
        IceControllingAgent probe = new IceControllingAgent(clientCreds, serverCreds, List.of(), out, scheduler,
                scheduler.clock(), null);
        assertTrue(probe.handle(req, 0, req.length, prflx));
        StunMessage resp = out.sent.stream().map(s -> {
            StunMessage m = new StunMessage();
            m.wrap(s.data(), 0, s.data().length);
            return m;
        }).filter(m -> m.type() == StunMessage.BINDING_SUCCESS).findFirst().orElseThrow();
        assertEquals(prflx, resp.xorMappedAddress());
        assertTrue(resp.verifyIntegrity(dev.arena.rtc.stun.StunIntegrity.key(clientCreds.pwd())));
        assertTrue(out.sent.stream().anyMatch(s -> s.to().equals(prflx) && s.data()[1] == 0x01),
                "a triggered check goes back to the new address");
        byte[] bad = new StunChecks.Check(clientCreds.ufrag() + ":" + serverCreds.ufrag(), "wrong", false, true,
                false, true, false).bytes();
        assertFalse(agent.handle(bad, 0, bad.length, prflx));
        assertEquals(1, agent.drops().get(IceDrop.BAD_INTEGRITY));
    }

    @Test
    void trickledCandidateIsChecked() {
        IceControllingAgent agent = agent(CLIENT, List.of(DEAD));
        agent.start();
        scheduler.advanceMillis(1000);
        assertEquals(IceState.CHECKING, agent.state());
        agent.addRemoteCandidate(SERVER);
        scheduler.advanceMillis(200);
        assertEquals(IceState.CONNECTED, agent.state());
        assertEquals(SERVER, agent.selectedAddress());
    }

    @Test
    void iceRestartOnBothSidesKeepsTheAssociation() {
        IceControllingAgent agent = agent(CLIENT, List.of(SERVER));
        agent.start();
        scheduler.advanceMillis(500);
        assertEquals(IceState.CONNECTED, agent.state());
        IceCredentials newServer = IceCredentials.random();
        IceCredentials newClient = IceCredentials.random();
        session.restart(newServer, newClient);
        agent.restart(newClient, newServer);
        assertEquals(SERVER, agent.selectedAddress(), "media keeps its path during the restart");
        scheduler.advanceMillis(500);
        assertEquals(IceState.CONNECTED, agent.state());
        assertEquals(IceState.CONNECTED, session.state());
        assertEquals(newClient, agent.localCredentials());
        assertEquals(newServer, session.localCredentials());
        // The restart completed on the server: the old credentials are gone.
        StunChecks.Recorder out = new StunChecks.Recorder();
        byte[] old = StunChecks.Check.to(serverCreds, clientCreds).bytes();
        assertNull(server.handle(old, 0, old.length, CLIENT, out));
        assertEquals(401, out.last().errorCode());
        for (int i = 0; i < 12; i++) {
            scheduler.advanceMillis(5000);
            assertEquals(IceState.CONNECTED, session.checkConsent(), "consent checks use the new credentials");
        }
        assertEquals(List.of(IceState.CHECKING, IceState.CONNECTED), clientListener.states);
    }

    @Test
    void restartAfterFailureTriesAgain() {
        IceControllingAgent agent = agent(CLIENT, List.of(SERVER));
        net.lose = d -> true;
        agent.start();
        scheduler.advanceMillis(10_000);
        assertEquals(IceState.FAILED, agent.state());
        net.lose = d -> false;
        IceCredentials newServer = IceCredentials.random();
        IceCredentials newClient = IceCredentials.random();
        session.restart(newServer, newClient);
        agent.restart(newClient, newServer);
        scheduler.advanceMillis(500);
        assertEquals(IceState.CONNECTED, agent.state());
        assertEquals(CLIENT, session.selectedAddress());
    }
}
