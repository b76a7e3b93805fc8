package dev.arena.bench.room;

import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.srtp.SrtpProfile;
import dev.arena.rtc.srtp.SrtpSession;
import dev.arena.sfu.room.FeedbackFactory;
import dev.arena.sfu.room.LoopPlacement;
import dev.arena.sfu.room.MediaKind;
import dev.arena.sfu.room.PacketSink;
import dev.arena.sfu.room.Participant;
import dev.arena.sfu.room.Room;
import dev.arena.sfu.room.RoomListener;
import dev.arena.sfu.room.RtpCodec;
import dev.arena.sfu.room.SubscriberSpec;
import dev.arena.sfu.room.Track;
import dev.arena.sfu.room.TrackSpec;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.Map;
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
 * One publisher's video fanned out to many subscribers by a room on 1 or 2 event loops (Netty I/O loops with their
 * lock-free task queues; no sockets): per op, a read batch of 16 packets (1200 bytes) arrives on the publisher's
 * loop, which rewrites, protects (AEAD_AES_128_GCM, each subscriber its own keys) and "sends" (the sink counts) for
 * its own subscribers and hands each packet once to the other loop, which does the same for its half. The op ends
 * when both loops are done with the batch (a no-op task through each loop, in order), so it measures the batch's
 * time end to end, hand-off included.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar FanOutBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FanOutBenchmark {
    private static final int BATCH = 16;
    private static final int PACKET = 1200;
    private static final int SSRC = 0x11223344;

    @Param({"1", "2"})
    public int loops;

    @Param({"50"})
    public int subscribers;

    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop publisherLoop;
    private IoEventLoop otherLoop;
    private Participant publisher;
    private final byte[] packet = new byte[PACKET];
    private final byte[] buf = new byte[2048];
    private int seq;
    private Runnable batch;
    private static final Runnable NOTHING = () -> { };

    @Setup
    public void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        publisherLoop = (IoEventLoop) group.next();
        otherLoop = (IoEventLoop) group.next();
        Thread pubThread = publisherLoop.submit(Thread::currentThread).get();
        Thread otherThread = otherLoop.submit(Thread::currentThread).get();
        Room room = new Room("bench", System::nanoTime, new RoomListener() {}, FeedbackFactory.BASIC);
        LoopPlacement.home(room, publisherLoop);
        List<RtpCodec> vp8 = List.of(new RtpCodec(96, "VP8", 90000, 0));
        publisherLoop.submit(() -> {
            publisher = room.join("pub");
            publisher.attach(new CountingSink(null));
            Track video = room.publish(publisher, new TrackSpec(MediaKind.VIDEO, "1", SSRC, 0, vp8, Map.of()));
            LoopPlacement.place(room, publisher, publisherLoop, pubThread);
            Random random = new Random(1);
            for (int i = 0; i < subscribers; i++) {
                Participant s = room.join("s" + i);
                s.attach(new CountingSink(random));
                room.subscribe(video, s, new SubscriberSpec("1", 1000 + i, 0, vp8, Map.of()));
                boolean other = loops == 2 && i % 2 == 1;
                LoopPlacement.place(room, s, other ? otherLoop : publisherLoop, other ? otherThread : pubThread);
            }
            return null;
        }).get();
        RtpPacketWriter w = new RtpPacketWriter();
        int header = w.start(packet, 0, packet.length, 96, 0, 0, SSRC).finish();
        new RtpPacketWriter().start(packet, 0, packet.length, 96, 0, 0, SSRC)
                .payload(new byte[PACKET - header], 0, PACKET - header).finish();
        batch = () -> {
            for (int i = 0; i < BATCH; i++) {
                System.arraycopy(packet, 0, buf, 0, PACKET);
                int s = seq = (seq + 1) & 0xFFFF;
                buf[2] = (byte) (s >> 8);
                buf[3] = (byte) s;
                publisher.onRtp(null, buf, 0, PACKET);
            }
        };
    }

    @TearDown
    public void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** A batch of 16 packets to every subscriber; ends when both loops have sent it. */
    @Benchmark
    public void batchOf16() throws Exception {
        publisherLoop.submit(batch).get();
        publisherLoop.submit(NOTHING).get(); // after the hand-off flush, which the batch queued
        if (loops == 2) {
            otherLoop.submit(NOTHING).get(); // after the hand-off's delivery
        }
    }

    /** Protects in place with its own keys (the cost a transport adds), then counts. */
    static final class CountingSink implements PacketSink {
        private final SrtpSession srtp;
        long sent;

        CountingSink(Random random) {
            SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
            srtp = random == null ? null : new SrtpSession(p, bytes(random, p.masterKeyLength),
                    bytes(random, p.masterSaltLength), bytes(random, p.masterKeyLength),
                    bytes(random, p.masterSaltLength));
        }

        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            if (srtp != null && srtp.protectRtp(buf, off, len) < 0) {
                return false;
            }
            sent++;
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            return true;
        }

        @Override
        public void close() {}

        private static byte[] bytes(Random random, int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }
    }
}
