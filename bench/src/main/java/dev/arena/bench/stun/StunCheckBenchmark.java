package dev.arena.bench.stun;

import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.ice.IceLiteServer;
import dev.arena.rtc.ice.IceLiteSession;
import dev.arena.rtc.stun.StunAttributeType;
import dev.arena.rtc.stun.StunIntegrity;
import dev.arena.rtc.stun.StunMessage;
import dev.arena.rtc.stun.StunWriter;
import dev.arena.rtc.udp.DatagramSender;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The STUN check path of the ICE-lite server: a Chromium-shaped Binding request (USERNAME, GOOG-NETWORK-INFO,
 * ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT; 104 bytes).
 *
 * <pre>
 * mvn -q -pl rtc,bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar StunCheckBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StunCheckBenchmark {
    private final IceCredentials server = new IceCredentials("Srv8ufrg", "serverpassword0123456789");
    private final IceCredentials client = new IceCredentials("cLi4", "clientpassword01234567");
    private final InetSocketAddress from = new InetSocketAddress("192.0.2.10", 54321);
    private final StunMessage msg = new StunMessage();
    private final StunWriter writer = new StunWriter();
    private final byte[] out = new byte[256];
    private byte[] request;
    private SecretKeySpec key;
    private SecretKeySpec otherKey;
    private IceLiteServer lite;
    private final DatagramSender nowhere = (buf, off, len, to) -> { };

    @Setup
    public void setup() {
        key = StunIntegrity.key(server.pwd());
        otherKey = StunIntegrity.key("anotherpassword012345678");
        byte[] buf = new byte[256];
        byte[] tx = new byte[12];
        Arrays.fill(tx, (byte) 0x5A);
        int n = new StunWriter().start(buf, 0, StunMessage.BINDING_REQUEST, tx, 0)
                .username(server.ufrag() + ":" + client.ufrag())
                .attribute(0xC057, new byte[] {0, 1, 0, 10}, 0, 4)
                .iceControlling(0x0102030405060708L).useCandidate().priority(1853824767)
                .messageIntegrity(key).fingerprint().length();
        request = Arrays.copyOf(buf, n);
        lite = new IceLiteServer(System::nanoTime);
        IceLiteSession s = lite.register(server, client, null);
        if (lite.handle(request, 0, request.length, from, nowhere) != s) {
            throw new IllegalStateException("the request does not validate");
        }
        if (!msg.wrap(request, 0, request.length) || msg.unknownRequiredCount() != 0
                || StunAttributeType.isComprehensionRequired(0xC057)) {
            throw new IllegalStateException("unexpected request shape");
        }
    }

    /** Parse (header, attributes, FINGERPRINT CRC-32). */
    @Benchmark
    public boolean parse() {
        return msg.wrap(request, 0, request.length);
    }

    /** Parse and verify MESSAGE-INTEGRITY (HMAC-SHA1 over the buffer, no copy). */
    @Benchmark
    public boolean parseAndVerify() {
        return msg.wrap(request, 0, request.length) && msg.verifyIntegrity(StunIntegrity.mac(key));
    }

    /**
     * As {@link #parseAndVerify}, but every check finds this thread's Mac keyed for another session, as when
     * the checks of many sessions interleave on one event loop (two re-keys per op: away and back).
     */
    @Benchmark
    public boolean parseAndVerifyRekeyed() {
        StunIntegrity.mac(otherKey);
        return msg.wrap(request, 0, request.length) && msg.verifyIntegrity(StunIntegrity.mac(key));
    }

    /** Parse, verify, and build the success response (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT). */
    @Benchmark
    public int check() {
        if (!msg.wrap(request, 0, request.length)) {
            return -1;
        }
        Mac mac = StunIntegrity.mac(key);
        if (!msg.verifyIntegrity(mac)) {
            return -2;
        }
        return writer.start(out, 0, StunMessage.BINDING_SUCCESS, request, msg.transactionIdOffset())
                .xorMappedAddress(from).messageIntegrity(mac).fingerprint().length();
    }

    /** The whole server path for a known address: lookup, check, answer, session update. */
    @Benchmark
    public void liteServerHandle(Blackhole bh) {
        bh.consume(lite.handle(request, 0, request.length, from, nowhere));
    }
}
