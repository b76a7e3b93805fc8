package dev.arena.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.arena.rtc.testing.Fuzz;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the DTLS record prefilter. Long run:
 * {@code mvn -pl rtc test -Dtest=DtlsRecordFilterFuzzTest -Darena.fuzz.iterations=1000000}.
 */
class DtlsRecordFilterFuzzTest {

    @Test
    void randomAndMutatedBytesNeverThrow() {
        Fuzz.bytes(wellFormedSeeds(new Random(Fuzz.seed()), 16), 2048, datagram -> {
            int off = Math.min(datagram.length % 17, datagram.length);
            DtlsRecordFilter.check(datagram, off, datagram.length - off);
        });
    }

    @Test
    void mutatedDatagramsNeverThrowAndNeverOverrun() {
        Fuzz.bytes(wellFormedSeeds(new Random(Fuzz.seed()), 32), 2048, mutated -> {
            // the buffer may be longer than the datagram: the filter must stay inside off..off+len
            byte[] padded = new byte[mutated.length + 32];
            java.util.Arrays.fill(padded, (byte) 0x17);
            System.arraycopy(mutated, 0, padded, 16, mutated.length);
            DtlsDrop a = DtlsRecordFilter.check(padded, 16, mutated.length);
            assertEquals(DtlsRecordFilter.check(mutated, 0, mutated.length), a);
        });
    }

    @Test
    void wellFormedDatagramsPassAndTruncationIsDroppedUnlessAtARecordBoundary() {
        Random random = new Random(Fuzz.seed());
        for (int i = 0; i < Fuzz.iterations(); i++) {
            byte[] datagram = datagram(random);
            assertNull(DtlsRecordFilter.check(datagram, 0, datagram.length), "well-formed passes");
            int shorter = datagram.length - 1 - random.nextInt(datagram.length);
            Set<Integer> boundaries = new HashSet<>();
            for (int pos = 0; pos < datagram.length; ) {
                pos += 13 + (((datagram[pos + 11] & 0xff) << 8) | (datagram[pos + 12] & 0xff));
                boundaries.add(pos);
            }
            DtlsDrop result = DtlsRecordFilter.check(datagram, 0, shorter);
            if (boundaries.contains(shorter)) {
                assertNull(result, "cut at a record boundary: still whole records");
            } else {
                assertNotNull(result, "cut inside a record at " + shorter + " of " + datagram.length);
            }
        }
    }

    @Test
    void sessionReceiveNeverThrows() {
        Random random = new Random(Fuzz.seed());
        List<byte[]> seeds = wellFormedSeeds(random, 16);
        int sessions = Math.max(1, Fuzz.iterations() / 1000);
        for (int s = 0; s < sessions; s++) {
            DtlsSession session = new DtlsSession(DtlsRole.SERVER, DtlsPair.CERT_A, "sha-256",
                    DtlsPair.CERT_B.fingerprintValue(), d -> { }, new RecordingListener(), Duration.ofSeconds(5));
            for (int i = 0; i < 100; i++) {
                byte[] d;
                if (random.nextInt(4) == 0) {
                    d = new byte[random.nextInt(301)];
                    random.nextBytes(d);
                } else {
                    d = seeds.get(random.nextInt(seeds.size())).clone();
                    for (int m = 1 + random.nextInt(4); m > 0; m--) {
                        d[random.nextInt(d.length)] = (byte) random.nextInt(256);
                    }
                    d = java.util.Arrays.copyOf(d, random.nextInt(d.length + 1));
                }
                session.receive(d, 0, d.length);
            }
            session.close();
        }
    }

    private static List<byte[]> wellFormedSeeds(Random random, int n) {
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seeds.add(datagram(random));
        }
        return seeds;
    }

    /** One to five well-formed records: type 20..24, version DTLS 1.0 or 1.2, random body. */
    private static byte[] datagram(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int records = 1 + random.nextInt(5);
        for (int k = 0; k < records; k++) {
            byte[] body = new byte[random.nextInt(301)];
            random.nextBytes(body);
            int version = random.nextBoolean() ? 0xfefd : 0xfeff;
            byte[] r = new byte[13 + body.length];
            r[0] = (byte) (20 + random.nextInt(5));
            r[1] = (byte) (version >>> 8);
            r[2] = (byte) version;
            r[11] = (byte) (body.length >>> 8);
            r[12] = (byte) body.length;
            System.arraycopy(body, 0, r, 13, body.length);
            out.writeBytes(r);
        }
        return out.toByteArray();
    }
}
