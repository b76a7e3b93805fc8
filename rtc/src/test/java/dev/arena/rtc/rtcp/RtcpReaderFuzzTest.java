package dev.arena.rtc.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes {@link RtcpReader} and every typed view with random bytes, random bytes shaped like RTCP, and
 * mutated valid compounds: nothing throws, the walk ends within len/4 packets, and each accepted packet's
 * iterators stay inside it. Long run: {@code mvn -pl rtc test -Dtest='RtpPacketFuzzTest,RtcpReaderFuzzTest' -Djqwik.tries.default=1000000}.
 */
class RtcpReaderFuzzTest {
    private final RtcpReader r = new RtcpReader();
    private final ReportBlock block = new ReportBlock();
    private long sink;

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 1500) byte[] data, @ForAll @IntRange(max = 8) int off) {
        byte[] buf = new byte[data.length + off];
        System.arraycopy(data, 0, buf, off, data.length);
        read(buf, off, data.length);
        RtcpPacket.isRtcp(buf, off, data.length);
    }

    @Property
    void rtcpShapedBytesNeverThrow(@ForAll @Size(min = 4, max = 600) byte[] data, @ForAll @IntRange(min = 200, max = 207) int pt) {
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

    @Property
    void mutatedValidCompoundsNeverThrow(@ForAll("compounds") byte[] valid, @ForAll("mutations") int[] mutations,
                                         @ForAll @IntRange(max = 16) int cut) {
        byte[] b = valid.clone();
        for (int i = 0; i + 1 < mutations.length; i += 2) {
            b[Math.floorMod(mutations[i], b.length)] = (byte) mutations[i + 1];
        }
        read(b, 0, Math.max(0, b.length - cut));
    }

    @Property
    void validCompoundsReadCleanly(@ForAll("compounds") byte[] valid) {
        assertTrue(r.reset(valid, 0, valid.length), () -> String.valueOf(r.drop()));
        int n = 0;
        while (r.next() != RtcpType.END) {
            n++;
        }
        assertEquals(0, r.skipped(), () -> String.valueOf(r.drop()));
        assertEquals(10, n);
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

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().between(-2000, 2000).array(int[].class).ofMaxSize(8);
    }

    @Provide
    Arbitrary<byte[]> compounds() {
        return Arbitraries.integers().between(1, 400).map(seed -> {
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
            byte[] out = new byte[p];
            System.arraycopy(b, 0, out, 0, p);
            return out;
        });
    }
}
