package dev.arena.bench.transport;

import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.srtp.SrtpProfile;
import dev.arena.rtc.srtp.SrtpSession;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-packet cost of forwarding one 1200-byte RTP packet from a publisher to one subscriber:
 * SRTP unprotect (publisher's keys), RTP parse and rewrite of SSRC, sequence number, timestamp, payload
 * type and four header-extension ids, SRTP protect (subscriber's keys), all in place in one buffer, as
 * the echo and the SFU do it. {@code -prof gc} shows what it allocates per packet.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar ForwardPathBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForwardPathBenchmark {
    private static final int PACKET = 1200;

    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    public String profile;

    private SrtpSession fromPublisher;
    private SrtpSession toSubscriber;
    private final RtpPacket view = new RtpPacket();
    private final byte[] idMap = new byte[16];
    private byte[] wire;
    private int wireLength;
    private final byte[] buf = new byte[2048];
    private int seq;

    @Setup
    public void setUp() {
        SrtpProfile p = SrtpProfile.valueOf(profile);
        Random random = new Random(1);
        byte[] pubKey = bytes(random, p.masterKeyLength);
        byte[] pubSalt = bytes(random, p.masterSaltLength);
        byte[] subKey = bytes(random, p.masterKeyLength);
        byte[] subSalt = bytes(random, p.masterSaltLength);
        SrtpSession publisher = new SrtpSession(p, pubKey, pubSalt, bytes(random, p.masterKeyLength),
                bytes(random, p.masterSaltLength));
        fromPublisher = new SrtpSession(p, bytes(random, p.masterKeyLength), bytes(random, p.masterSaltLength),
                pubKey, pubSalt);
        // The same packet is unprotected again and again: that is a replay by design here.
        fromPublisher.setReplayProtection(false);
        toSubscriber = new SrtpSession(p, subKey, subSalt, bytes(random, p.masterKeyLength),
                bytes(random, p.masterSaltLength));

        byte[] payload = bytes(random, 1200);
        byte[] plain = new byte[2048];
        RtpPacketWriter w = new RtpPacketWriter().start(plain, 0, plain.length, 96, 1000, 90_000, 0x11223344)
                .beginExtensions(false)
                .extension(1, 0x6d30, 2)        // mid
                .extension(2, 0x123456, 3)      // abs-send-time
                .extension(3, 0x0102, 2)        // transport-cc
                .extension(4, 0x80, 1);         // audio level
        int header = w.finish();
        int n = new RtpPacketWriter().start(plain, 0, plain.length, 96, 1000, 90_000, 0x11223344)
                .beginExtensions(false)
                .extension(1, 0x6d30, 2)
                .extension(2, 0x123456, 3)
                .extension(3, 0x0102, 2)
                .extension(4, 0x80, 1)
                .payload(payload, 0, PACKET - header)
                .finish();
        if (n != PACKET) {
            throw new IllegalStateException("packet is " + n + " bytes");
        }
        wireLength = publisher.protectRtp(plain, 0, n);
        wire = Arrays.copyOf(plain, wireLength);
        publisher.close();
        for (int id = 1; id <= 4; id++) {
            idMap[id] = (byte) (id + 4);
        }
        if (forward() < 0) {
            throw new IllegalStateException("the forward path rejects the packet: " + fromPublisher.drops());
        }
    }

    @TearDown
    public void tearDown() {
        fromPublisher.close();
        toSubscriber.close();
    }

    @Benchmark
    public int forward() {
        byte[] b = buf;
        System.arraycopy(wire, 0, b, 0, wireLength); // the datagram as it arrives
        int n = fromPublisher.unprotectRtp(b, 0, wireLength);
        if (n < 0 || !view.wrap(b, 0, n)) {
            return -1;
        }
        int s = seq = (seq + 1) & 0xFFFF;
        view.setSsrc(0xCAFEBABE);
        view.setSequenceNumber(s);
        view.setTimestamp(view.timestamp() + 3000);
        view.setPayloadType(100);
        view.rewriteExtensionIds(idMap);
        return toSubscriber.protectRtp(b, 0, n);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
