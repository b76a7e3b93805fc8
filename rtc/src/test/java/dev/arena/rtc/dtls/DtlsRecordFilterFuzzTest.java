package dev.arena.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
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
 * Fuzzes the DTLS record prefilter. Tries come from junit-platform.properties; the long run is
 * {@code mvn -pl rtc test -Dtest='DtlsRecordFilterFuzzTest' -Djqwik.tries.default=1000000}.
 */
class DtlsRecordFilterFuzzTest {

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 2048) byte[] datagram, @ForAll @IntRange(max = 16) int cut) {
        int off = Math.min(cut, datagram.length);
        DtlsRecordFilter.check(datagram, off, datagram.length - off);
    }

    @Property
    void wellFormedDatagramsPass(@ForAll("datagrams") byte[] datagram) {
        assertNull(DtlsRecordFilter.check(datagram, 0, datagram.length));
    }

    @Property
    void truncationIsDroppedUnlessAtARecordBoundary(@ForAll("datagrams") byte[] datagram,
            @ForAll @IntRange(min = 1) int cut) {
        int shorter = datagram.length - 1 - (cut % datagram.length);
        java.util.Set<Integer> boundaries = new java.util.HashSet<>();
        for (int pos = 0; pos < datagram.length; ) {
            pos += 13 + (((datagram[pos + 11] & 0xff) << 8) | (datagram[pos + 12] & 0xff));
            boundaries.add(pos);
        }
        DtlsDrop result = DtlsRecordFilter.check(datagram, 0, shorter);
        if (boundaries.contains(shorter)) {
            assertNull(result);
        } else {
            assertNotNull(result);
        }
    }

    @Property
    void mutatedDatagramsNeverThrowAndNeverOverrun(@ForAll("datagrams") byte[] datagram,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1 << 20) Integer> positions,
            @ForAll @Size(min = 8, max = 8) byte[] values) {
        byte[] mutated = datagram.clone();
        for (int i = 0; i < positions.size(); i++) {
            mutated[positions.get(i) % mutated.length] = values[i];
        }
        // the buffer may be longer than the datagram: the filter must stay inside off..off+len
        byte[] padded = new byte[mutated.length + 32];
        System.arraycopy(mutated, 0, padded, 16, mutated.length);
        DtlsDrop a = DtlsRecordFilter.check(padded, 16, mutated.length);
        assertEquals(DtlsRecordFilter.check(mutated, 0, mutated.length), a);
    }

    @Property
    void sessionReceiveNeverThrows(@ForAll @Size(max = 100) List<@Size(max = 300) byte[]> datagrams) {
        DtlsSession s = new DtlsSession(DtlsRole.SERVER, DtlsPair.CERT_A, "sha-256", DtlsPair.CERT_B.fingerprintValue(),
                d -> { }, new RecordingListener(), Duration.ofSeconds(5));
        for (byte[] d : datagrams) {
            s.receive(d, 0, d.length);
        }
    }

    @Provide
    Arbitrary<byte[]> datagrams() {
        Arbitrary<byte[]> record = Combinators.combine(
                        Arbitraries.integers().between(20, 24),
                        Arbitraries.of(0xfefd, 0xfeff),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as((type, version, body) -> {
                    byte[] r = new byte[13 + body.length];
                    r[0] = type.byteValue();
                    r[1] = (byte) (version >>> 8);
                    r[2] = version.byteValue();
                    r[11] = (byte) (body.length >>> 8);
                    r[12] = (byte) body.length;
                    System.arraycopy(body, 0, r, 13, body.length);
                    return r;
                });
        return record.list().ofMinSize(1).ofMaxSize(5).map(records -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            records.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }
}
