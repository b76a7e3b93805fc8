package dev.arena.bench.rtp;

import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
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
 * The per-subscriber RTP step of the SFU: wrap a 1200-byte packet that carries a one-byte header
 * extension block (mid, abs-send-time, transport-cc, audio-level), then rewrite SSRC, sequence number,
 * timestamp, payload type and extension ids in place. Must allocate nothing:
 * {@code java -jar bench/target/benchmarks.jar RtpRewriteBenchmark -prof gc} shows ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RtpRewriteBenchmark {
    private static final int MID = 1;
    private static final int ABS_SEND_TIME = 2;
    private static final int TRANSPORT_CC = 3;
    private static final int AUDIO_LEVEL = 4;

    private final byte[] buf = new byte[1500];
    private final RtpPacket packet = new RtpPacket();
    /** Swaps 1..4 with 5..8 both ways, so that rewriting again and again keeps the packet stable. */
    private final byte[] idMap = new byte[16];
    private int len;
    private int seq;

    @Setup
    public void setUp() {
        // 12 fixed + 4 extension header + 12 extension data (1+1, 1+3, 1+2, 1+1, 1 padding byte)
        byte[] payload = new byte[1200 - 12 - 4 - 12];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        len = new RtpPacketWriter()
                .start(buf, 0, buf.length, 96, 4711, 123_456_789L, 0x11223344)
                .marker(true)
                .beginExtensions(false)
                .extension(MID, new byte[] {'0'}, 0, 1)
                .extension(ABS_SEND_TIME, 0x123456, 3)
                .extension(TRANSPORT_CC, 1000, 2)
                .extension(AUDIO_LEVEL, 0x90, 1)
                .payload(payload, 0, payload.length)
                .finish();
        if (len != 1200) {
            throw new IllegalStateException("packet is " + len + " bytes");
        }
        for (int id = 1; id <= 4; id++) {
            idMap[id] = (byte) (id + 4);
            idMap[id + 4] = (byte) id;
        }
    }

    @Benchmark
    public int parseAndRewrite() {
        RtpPacket p = packet;
        if (!p.wrap(buf, 0, len)) {
            return -1;
        }
        int s = seq = (seq + 1) & 0xFFFF;
        p.setSsrc(0xCAFEBABE);
        p.setSequenceNumber(s);
        p.setTimestamp(p.timestamp() + 3000);
        p.setPayloadType(100);
        return p.rewriteExtensionIds(idMap) + p.payloadLength();
    }

    @Benchmark
    public int parseOnly() {
        RtpPacket p = packet;
        return p.wrap(buf, 0, len) ? p.payloadLength() + p.sequenceNumber() : -1;
    }

    @Benchmark
    public int findTransportCc() {
        RtpPacket p = packet;
        if (!p.wrap(buf, 0, len)) {
            return -1;
        }
        return p.extensionValueOffset(TRANSPORT_CC);
    }
}
