package dev.arena.rtc.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link RtcpReader} and every typed view with random bytes, random bytes shaped like RTCP, and
 * mutated valid compounds: nothing throws, the walk ends within len/4 packets, and each accepted packet's
 * iterators stay inside it. Driven by {@link Fuzz}: a failure names the seed, iteration and input hex; the
 * offset, packet type and cut are derived from the input, so replaying it is passing
 * {@code HexFormat.of().parseHex(hex)} to the test's target method. Long run:
 * {@code mvn -pl rtc test -Dtest=RtcpReaderFuzzTest -Darena.fuzz.iterations=1000000}.
 */
class RtcpReaderFuzzTest {
    /** Every valid compound the generator makes, {@link #compound}(1..400). */
    private static final List<byte[]> COMPOUNDS = IntStream.rangeClosed(1, 400).mapToObj(RtcpReaderFuzzTest::compound).toList();

    private final RtcpReader r = new RtcpReader();
    private final ReportBlock block = new ReportBlock();
    private long sink;

    @Test
    void randomBytesNeverThrow() {
        List<byte[]> seeds = new ArrayList<>(COMPOUNDS);
        seeds.addAll(Fuzz.randomSeeds(4, 100, 700, 1500));
        Fuzz.bytes(seeds, 1500, this::atOffset);
    }

    /** Any bytes, at offset 0..8 of the buffer. */
    private void atOffset(byte[] data) {
        int off = Fuzz.knob(data, 0, 9);
        byte[] buf = new byte[data.length + off];
        System.arraycopy(data, 0, buf, off, data.length);
        read(buf, off, data.length);
        RtcpPacket.isRtcp(buf, off, data.length);
    }

    @Test
    void rtcpShapedBytesNeverThrow() {
        List<byte[]> seeds = new ArrayList<>(COMPOUNDS);
        seeds.addAll(Fuzz.randomSeeds(4, 64, 600));
        Fuzz.bytes(seeds, 600, this::rtcpShaped);
    }

    /** 4..600 bytes (short inputs are zero-padded), the packet type for even type bytes derived from the input. */
    private void rtcpShaped(byte[] input) {
        byte[] data = Arrays.copyOf(input, Math.clamp(input.length, 4, 600));
        int pt = 200 + Fuzz.knob(input, 1, 8);
        // make the framing plausible: version 2, a real type, a length that fits, so the typed parsers run
        int p = 0;
        while (p + 4 <= data.length) {
            data[p] = (byte) (0x80 | (data[p] & 0x3F));
            data[p + 1] = (byte) (((data[p + 1] & 1) == 0) ? pt : 200 + (data[p + 1] & 0xFF) % 8);
            int words = Math.min((data.length - p) / 4 - 1, (data[p + 3] & 0x3F));
            data[p + 2] = 0;
            data[p + 3] = (byte) words;
            p += 4 * (words + 1);
        }
        read(data, 0, p);
    }

    @Test
    void mutatedValidCompoundsNeverThrow() {
        Fuzz.bytes(COMPOUNDS, 4096, this::mutated);
    }

    /** A mutated valid compound, its last 0..16 bytes left outside {@code len}. */
    private void mutated(byte[] b) {
        read(b, 0, Math.max(0, b.length - Fuzz.knob(b, 2, 17)));
    }

    @Test
    void validCompoundsReadCleanly() {
        for (int seed = 1; seed <= COMPOUNDS.size(); seed++) {
            try {
                readsCleanly(COMPOUNDS.get(seed - 1));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("compound(" + seed + ")", e);
            }
        }
    }

    private void readsCleanly(byte[] valid) {
        assertTrue(r.reset(valid, 0, valid.length), () -> String.valueOf(r.drop()));
        int n = 0;
        while (r.next() != RtcpType.END) {
            n++;
        }
        assertEquals(0, r.skipped(), () -> String.valueOf(r.drop()));
        assertEquals(10, n);
        read(valid, 0, valid.length);
    }

    private void read(byte[] b, int off, int len) {
        if (!r.reset(b, off, len)) {
            assertTrue(r.drop() != null);
            return;
        }
        int packets = 0;
        for (RtcpType t = r.next(); t != RtcpType.END; t = r.next()) {
            assertTrue(++packets <= len / 4);
            assertTrue(r.offset() >= off && r.offset() + r.length() <= off + len);
            exercise(t);
        }
    }

    private void exercise(RtcpType t) {
        switch (t) {
            case SR -> {
                SenderReport sr = r.senderReport();
                sink += sr.ntpTimestamp() + sr.octetCount();
                for (int i = 0; i < sr.reportCount(); i++) {
                    sink += sr.reportBlock(i, block).cumulativeLost() + block.delaySinceLastSr();
                }
            }
            case RR -> {
                ReceiverReport rr = r.receiverReport();
                for (int i = 0; i < rr.reportCount(); i++) {
                    sink += rr.reportBlock(i, block).jitter();
                }
            }
            case SDES -> {
                Sdes s = r.sdes();
                int items = 0;
                while (s.nextChunk()) {
                    while (s.nextItem()) {
                        assertTrue(s.itemOffset() + s.itemLength() <= s.offset() + s.contentLength());
                        assertTrue(++items < 1500);
                    }
                }
                s.cname();
            }
            case BYE -> {
                Bye bye = r.bye();
                for (int i = 0; i < bye.ssrcCount(); i++) {
                    sink += bye.ssrc(i);
                }
                bye.reason();
            }
            case APP -> sink += r.app().dataLength();
            case NACK -> {
                int[] n = {0};
                r.nack().forEachLost(s -> n[0]++);
                assertEquals(r.nack().lostCount(), n[0]);
            }
            case TRANSPORT_CC -> {
                TransportCc tcc = r.transportCc();
                int[] n = {0, 0};
                tcc.forEachPacket((seq, received, at) -> {
                    n[0]++;
                    if (received) {
                        n[1]++;
                    }
                });
                assertEquals(tcc.packetStatusCount(), n[0]);
                assertEquals(tcc.receivedCount(), n[1]);
            }
            case FIR -> {
                for (int i = 0; i < r.fir().entryCount(); i++) {
                    sink += r.fir().entrySsrc(i);
                }
            }
            case REMB -> {
                assertTrue(r.remb().bitrate() >= 0);
                for (int i = 0; i < r.remb().ssrcCount(); i++) {
                    sink += r.remb().ssrc(i);
                }
            }
            case PLI -> sink += r.pli().mediaSsrc();
            default -> sink += r.length();
        }
    }


    /** A valid compound of SR (0..3 blocks), SDES, NACK, PLI, FIR, REMB, APP, BYE, transport-cc and RR. */
    private static byte[] compound(int seed) {
        byte[] b = new byte[2000];
        int p = SenderReport.write(b, 0, seed, seed * 1000L, seed, seed, seed);
        for (int i = 0; i < seed % 4; i++) {
            p = ReportBlock.append(b, 0, i, seed, -seed, seed, seed, seed, seed);
        }
        p += Sdes.writeCname(b, p, seed, ("cname-" + seed).getBytes(StandardCharsets.US_ASCII));
        int[] lost = new int[seed % 20 + 1];
        for (int i = 0; i < lost.length; i++) {
            lost[i] = (seed * 7 + i * (1 + seed % 5)) & 0xFFFF;
        }
        p += Nack.write(b, p, 1, seed, lost, 0, lost.length);
        p += Pli.write(b, p, 1, seed);
        p += Fir.write(b, p, 1, seed, seed);
        p += Remb.write(b, p, 1, seed * 10_000L, lost, Math.min(lost.length, 3));
        p += App.write(b, p, seed % 32, seed, App.name("FUZZ"), b, 0, seed % 9);
        p += Bye.write(b, p, lost, Math.min(lost.length, 31), seed % 2 == 0 ? null : "gone".getBytes(StandardCharsets.US_ASCII));
        int n = seed % 60 + 1;
        int[] seqs = new int[n];
        long[] at = new long[n];
        int s = 65500;
        for (int i = 0; i < n; i++) {
            s += 1 + (seed + i) % 3;
            seqs[i] = s & 0xFFFF;
            at[i] = seed * 1_000_000L + i * (seed % 7 == 0 ? -40_000L : 3_000L * (i % 4));
        }
        p += new TransportCcWriter().write(b, p, 600, 1, seed, seed, seqs, at, 0, n);
        p += ReceiverReport.write(b, p, seed);
        return Arrays.copyOf(b, p);
    }
}
