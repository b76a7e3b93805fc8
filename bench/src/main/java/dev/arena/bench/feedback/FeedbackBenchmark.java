package dev.arena.bench.feedback;

import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.feedback.PacketHistory;
import dev.arena.rtc.feedback.ReceiveStatistics;
import dev.arena.rtc.feedback.TwccFeedbackGenerator;
import java.util.concurrent.TimeUnit;
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

/**
 * Per-packet cost of the sfu feedback building blocks: storing a 1200-byte packet in the video
 * {@link PacketHistory} and copying one out (as a NACK would), recording a transport-wide sequence number
 * in the {@link TwccFeedbackGenerator} (alone, and with a feedback written every 20 packets = 50 ms of
 * fake clock), and accounting a packet in {@link ReceiveStatistics}. Must allocate nothing:
 * {@code java -jar bench/target/benchmarks.jar FeedbackBenchmark -prof gc} shows ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FeedbackBenchmark {
    private final byte[] packet = new byte[1200];
    private final byte[] out = new byte[1500];
    private final PacketHistory history = PacketHistory.forVideo(null);
    private final TwccFeedbackGenerator twcc = new TwccFeedbackGenerator(0x11111111);
    private final TwccFeedbackGenerator twccWithPoll = new TwccFeedbackGenerator(0x22222222);
    private final ReceiveStatistics stats = new ReceiveStatistics(90_000);
    private int seq;
    private int tseq;
    private int tseq2;
    private int rseq;
    private long now = 1_000_000_000L;

    @Setup
    public void setUp() {
        byte[] payload = new byte[1200 - 12];
        int len = new RtpPacketWriter().start(packet, 0, packet.length, 96, 0, 0, 0x33333333)
                .payload(payload, 0, payload.length).finish();
        if (len != 1200) {
            throw new IllegalStateException("packet is " + len + " bytes");
        }
    }

    @Benchmark
    public int historyStoreAndCopyOut() {
        int s = seq = (seq + 1) & 0xFFFF;
        long t = now += 1_000_000L; // 1000 packets/s, within the 1 s age
        history.store(packet, 0, 1200, s, t);
        return history.copyOut((s - 100) & 0xFFFF, out, 0, t);
    }

    @Benchmark
    public int twccOnPacket() {
        int s = tseq = (tseq + 1) & 0xFFFF;
        long t = now += 2_500_000L;
        twcc.onPacket(s, t, 0x33333333);
        return s;
    }

    @Benchmark
    public int twccOnPacketAndPoll() {
        int s = tseq2 = (tseq2 + 1) & 0xFFFF;
        long t = now += 2_500_000L;
        twccWithPoll.onPacket(s, t, 0x33333333);
        return twccWithPoll.poll(t, out, 0);
    }

    @Benchmark
    public long receiveStatisticsOnPacket() {
        int s = rseq = (rseq + 1) & 0xFFFF;
        long t = now += 11_111_111L;
        stats.onPacket(s, 1000L * s, t);
        return stats.jitter();
    }
}
