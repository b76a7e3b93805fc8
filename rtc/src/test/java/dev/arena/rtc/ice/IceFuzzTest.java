package dev.arena.rtc.ice;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Garbage and mutated checks into the lite server and the agent: never an exception, never state from
 * unauthenticated input. Long run: {@code mvn -pl rtc test -Dtest=IceFuzzTest -Djqwik.tries.default=1000000}.
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

    @Property
    void garbageNeverThrows(@ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(min = 1, max = 65535) int port) {
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", port);
        assertNull(server.handle(bytes, 0, bytes.length, from, out));
        agent.handle(bytes, 0, bytes.length, from);
        assertNull(server.sessionFor(from));
        assertEquals(IceState.NEW, session.state());
    }

    @Property
    void mutatedChecksNeverThrowAndOnlyValidOnesChangeState(@ForAll("mutated") byte[] bytes) {
        // jqwik may reuse this instance across tries: compare with the state before this datagram.
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 5000);
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
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<int[]> edits = Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofMaxSize(4);
        return Combinators.combine(edits, Arbitraries.integers().between(-3, 3)).as((e, cut) -> {
            byte[] b = Arrays.copyOf(VALID, VALID.length + cut * 4);
            for (int x : e) {
                b[(x >>> 8) % b.length] = (byte) x;
            }
            return b;
        });
    }
}
