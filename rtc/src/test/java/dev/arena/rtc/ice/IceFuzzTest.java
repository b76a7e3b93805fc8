package dev.arena.rtc.ice;

import static org.junit.jupiter.api.Assertions.*;

import dev.arena.rtc.testing.Fuzz;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Garbage and mutated checks into the lite server and the agent: never an exception, never state from
 * unauthenticated input. Iterations and seed: see {@link Fuzz}; long run:
 * {@code mvn -pl rtc test -Dtest=IceFuzzTest -Darena.fuzz.iterations=1000000}.
 */
class IceFuzzTest {
    private static final IceCredentials SERVER = new IceCredentials("srvufrag", "serverpassword0123456789");
    private static final IceCredentials CLIENT = new IceCredentials("cli1", "clientpassword0123456789");
    private static final byte[] VALID = StunChecks.Check.to(SERVER, CLIENT).nominate().bytes();

    private final FakeScheduler scheduler = new FakeScheduler();
    private final IceLiteServer server = new IceLiteServer(scheduler.clock());
    private final IceLiteSession session = server.register(SERVER, CLIENT, null);
    private final StunChecks.Recorder out = new StunChecks.Recorder();
    private final IceControllingAgent agent = new IceControllingAgent(CLIENT, SERVER,
            List.of(new InetSocketAddress("127.0.0.1", 1)), out, scheduler, scheduler.clock(), null);

    /** Every datagram from its own port 1..65535, derived from its bytes so a reported input replays as is. */
    @Test
    void garbageNeverThrows() {
        Fuzz.generated(r -> {
            byte[] b = new byte[r.nextInt(301)];
            r.nextBytes(b);
            return b;
        }, bytes -> {
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 1 + Math.floorMod(Arrays.hashCode(bytes), 65535));
            assertNull(server.handle(bytes, 0, bytes.length, from, out));
            agent.handle(bytes, 0, bytes.length, from);
            assertNull(server.sessionFor(from));
            assertEquals(IceState.NEW, session.state());
        });
    }

    /**
     * Mutations of a valid nominating check, from one address; the server and agent live across all inputs, so
     * each datagram is compared with the state before it. The unmutated check passes now and then (a mutation
     * can be a no-op), so the accepting branch runs too.
     */
    @Test
    void mutatedChecksNeverThrowAndOnlyValidOnesChangeState() {
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 5000);
        Fuzz.bytes(List.of(VALID), VALID.length + 64, bytes -> {
            IceState before = session.state();
            IceLiteSession ownerBefore = server.sessionFor(from);
            IceLiteSession s = server.handle(bytes, 0, bytes.length, from, out);
            agent.start();
            agent.handle(bytes, 0, bytes.length, from);
            if (s == null) {
                assertSame(ownerBefore, server.sessionFor(from));
                assertEquals(before, session.state());
            } else {
                assertSame(session, server.sessionFor(from));
            }
        });
    }
}
