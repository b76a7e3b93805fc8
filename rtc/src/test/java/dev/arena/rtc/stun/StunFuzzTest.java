package dev.arena.rtc.stun;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.util.DropCounter;
import java.util.Arrays;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes {@link StunMessage#wrap}: random and mutated-valid datagrams never throw, and everything a parsed
 * message offers can be read without throwing. Tries: junit-platform.properties; long run:
 * {@code mvn -pl rtc test -Dtest=StunFuzzTest -Djqwik.tries.default=1000000}.
 */
class StunFuzzTest {
    private static final SecretKeySpec KEY = StunIntegrity.key(Rfc5769Vectors.SHORT_TERM_PASSWORD);
    private final StunMessage m = new StunMessage(new DropCounter<>(StunDrop.class));

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] bytes) {
        exercise(bytes, 0, bytes.length);
    }

    @Property
    void randomBytesWithAStunHeaderNeverThrow(@ForAll @Size(max = 600) byte[] body, @ForAll short type) {
        byte[] b = new byte[20 + body.length];
        b[0] = (byte) ((type >> 8) & 0x3F);
        b[1] = (byte) type;
        b[2] = (byte) (body.length >> 8);
        b[3] = (byte) body.length;
        b[4] = 0x21;
        b[5] = 0x12;
        b[6] = (byte) 0xA4;
        b[7] = 0x42;
        System.arraycopy(body, 0, b, 20, body.length);
        exercise(b, 0, b.length);
    }

    @Property
    void mutatedValidMessagesNeverThrow(@ForAll("mutated") byte[] bytes) {
        exercise(bytes, 0, bytes.length);
    }

    private void exercise(byte[] b, int off, int len) {
        if (m.wrap(b, off, len)) {
            m.username();
            m.usernameColon();
            m.usernameStartsWith(new byte[] {'a'});
            m.xorMappedAddress();
            m.errorCode();
            m.errorReason();
            m.unknownAttributesListed();
            m.unknownRequired();
            m.software();
            m.toString();
            m.verifyIntegrity(KEY);
            assertTrue(m.length() == len);
        } else {
            assertTrue(m.lastDrop() != null);
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        List<byte[]> seeds = List.of(Rfc5769Vectors.SAMPLE_REQUEST, Rfc5769Vectors.SAMPLE_IPV4_RESPONSE,
                Rfc5769Vectors.SAMPLE_IPV6_RESPONSE, Rfc5769Vectors.SAMPLE_LONG_TERM_REQUEST, iceRequest());
        Arbitrary<byte[]> seed = Arbitraries.of(seeds);
        Arbitrary<int[]> edits = Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofMaxSize(8);
        Arbitrary<Integer> cut = Arbitraries.integers().between(-8, 8);
        return Combinators.combine(seed, edits, cut, Arbitraries.of(false, true)).as((s, e, c, fixLength) -> {
            byte[] b = Arrays.copyOf(s, Math.max(0, s.length + c * 4));
            for (int x : e) {
                if (b.length > 0) {
                    b[(x >>> 8) % b.length] = (byte) x;
                }
            }
            if (fixLength && b.length >= 20) {
                // keep the header consistent so the mutation reaches the attribute loop
                b[2] = (byte) ((b.length - 20) >> 8);
                b[3] = (byte) (b.length - 20);
                b[0] &= 0x3F;
                b[4] = 0x21;
                b[5] = 0x12;
                b[6] = (byte) 0xA4;
                b[7] = 0x42;
            }
            return b;
        });
    }

    private static byte[] iceRequest() {
        byte[] buf = new byte[200];
        int n = new StunWriter().start(buf, 0, StunMessage.BINDING_REQUEST, new byte[12], 0)
                .username("abcd:efgh").priority(1).useCandidate().iceControlling(42)
                .errorCode(401, "x").unknownAttributes(new int[] {1, 2, 3}, 3)
                .messageIntegrity(KEY).fingerprint().length();
        return Arrays.copyOf(buf, n);
    }
}
