package dev.arena.rtc.stun;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.testing.Fuzz;
import dev.arena.rtc.util.DropCounter;
import java.util.Arrays;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link StunMessage#wrap}: random and mutated-valid datagrams never throw, and everything a parsed
 * message offers can be read without throwing. Iterations and seed: see {@link Fuzz}; long run:
 * {@code mvn -pl rtc test -Dtest=StunFuzzTest -Darena.fuzz.iterations=1000000}.
 */
class StunFuzzTest {
    private static final SecretKeySpec KEY = StunIntegrity.key(Rfc5769Vectors.SHORT_TERM_PASSWORD);
    private static final int MAX = 600;
    private static final List<byte[]> SEEDS = List.of(Rfc5769Vectors.SAMPLE_REQUEST,
            Rfc5769Vectors.SAMPLE_IPV4_RESPONSE, Rfc5769Vectors.SAMPLE_IPV6_RESPONSE,
            Rfc5769Vectors.SAMPLE_LONG_TERM_REQUEST, iceRequest());
    private final StunMessage m = new StunMessage(new DropCounter<>(StunDrop.class));

    @Test
    void randomBytesNeverThrow() {
        Fuzz.generated(r -> randomBytes(r, MAX), b -> exercise(b, 0, b.length));
    }

    @Test
    void randomBytesWithAStunHeaderNeverThrow() {
        Fuzz.generated(r -> {
            byte[] body = randomBytes(r, MAX);
            int type = r.nextInt(1 << 16);
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
            return b;
        }, b -> exercise(b, 0, b.length));
    }

    @Test
    void mutatedValidMessagesNeverThrow() {
        Fuzz.bytes(SEEDS, MAX, b -> exercise(b, 0, b.length));
    }

    /** As above, with the header repaired after mutation so the mutation reaches the attribute loop. */
    @Test
    void mutatedValidMessagesWithAConsistentHeaderNeverThrow() {
        Fuzz.bytes(SEEDS, MAX, StunFuzzTest::consistentHeader, b -> exercise(b, 0, b.length));
    }

    /** Also from an offset into a larger buffer, with bytes on either side. */
    @Test
    void mutatedValidMessagesAtAnOffsetNeverThrow() {
        Fuzz.bytes(SEEDS, MAX, StunFuzzTest::consistentHeader, b -> {
            byte[] buf = new byte[b.length + 7];
            Arrays.fill(buf, (byte) 0x5A);
            System.arraycopy(b, 0, buf, 3, b.length);
            exercise(buf, 3, b.length);
        });
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

    /**
     * Keeps a mutated message's header consistent: a 4-byte aligned body (trailing bytes cut), the length field
     * matching it, the two top bits clear and the magic cookie in place. Shorter than a header: unchanged.
     */
    static byte[] consistentHeader(byte[] in) {
        if (in.length < 20) {
            return in;
        }
        byte[] b = Arrays.copyOf(in, 20 + ((in.length - 20) & ~3));
        b[2] = (byte) ((b.length - 20) >> 8);
        b[3] = (byte) (b.length - 20);
        b[0] &= 0x3F;
        b[4] = 0x21;
        b[5] = 0x12;
        b[6] = (byte) 0xA4;
        b[7] = 0x42;
        return b;
    }

    private static byte[] randomBytes(java.util.Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
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
