package dev.arena.rtc.stun;

import static dev.arena.rtc.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.arena.rtc.util.DropCounter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StunMessageTest {
    private final DropCounter<StunDrop> drops = new DropCounter<>(StunDrop.class);
    private final StunMessage m = new StunMessage(drops);
    private final SecretKeySpec key = StunIntegrity.key(SHORT_TERM_PASSWORD);

    @Test
    void rfc5769SampleRequest() {
        assertTrue(m.wrap(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length));
        assertEquals(StunMessage.BINDING_REQUEST, m.type());
        assertEquals(1, m.method());
        assertEquals(StunMessage.CLASS_REQUEST, m.messageClass());
        assertEquals("evtj:h6vY", m.username());
        assertEquals(4, m.usernameColon());
        assertTrue(m.usernameStartsWith("evtj".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(m.usernameStartsWith("evt".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("STUN test client", m.software());
        assertTrue(m.hasPriority());
        assertEquals(0x6e0001ff, m.priority());
        assertTrue(m.iceControlled());
        assertFalse(m.iceControlling());
        assertEquals(0x932ff9b151263b36L, m.tieBreaker());
        assertFalse(m.useCandidate());
        assertTrue(m.hasIntegrity());
        assertTrue(m.hasFingerprint());
        assertEquals(0, m.unknownRequiredCount());
        assertArrayEquals(hex("b7e7a701bc34d686fa87dfae"), m.transactionId());
        assertTrue(m.verifyIntegrity(key));
        assertFalse(m.verifyIntegrity(StunIntegrity.key("VOkJxbRl1RmTxUk/WvJxBT")));
        assertEquals(1, drops.get(StunDrop.BAD_INTEGRITY));
    }

    @Test
    void rfc5769Ipv4Response() throws Exception {
        assertTrue(m.wrap(SAMPLE_IPV4_RESPONSE, 0, SAMPLE_IPV4_RESPONSE.length));
        assertEquals(StunMessage.BINDING_SUCCESS, m.type());
        assertEquals(StunMessage.CLASS_SUCCESS, m.messageClass());
        assertEquals("test vector", m.software());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), m.xorMappedAddress());
        assertTrue(m.verifyIntegrity(key));
        assertEquals(0, drops.total());
    }

    @Test
    void rfc5769Ipv6Response() throws Exception {
        assertTrue(m.wrap(SAMPLE_IPV6_RESPONSE, 0, SAMPLE_IPV6_RESPONSE.length));
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                m.xorMappedAddress());
        assertTrue(m.verifyIntegrity(key));
        assertEquals(0, drops.total());
    }

    @Test
    void rfc5769LongTermRequestParsesAndItsIntegrityVerifiesWithTheLongTermKey() throws Exception {
        assertTrue(m.wrap(SAMPLE_LONG_TERM_REQUEST, 0, SAMPLE_LONG_TERM_REQUEST.length));
        assertEquals(LONG_TERM_USERNAME, m.username());
        assertFalse(m.hasFingerprint());
        assertEquals(0, m.unknownRequiredCount(), "REALM and NONCE are known");
        // The long-term key is MD5(username ":" realm ":" password) (RFC 8489 section 9.2.2); the MAC code
        // is the same, only the key differs.
        byte[] k = MessageDigest.getInstance("MD5").digest(
                (LONG_TERM_USERNAME + ":" + LONG_TERM_REALM + ":" + LONG_TERM_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(k, "HmacSHA1"));
        assertTrue(m.verifyIntegrity(mac));
    }

    @Test
    void vectorsAtAnOffsetInALargerBuffer() {
        byte[] big = new byte[SAMPLE_REQUEST.length + 37];
        System.arraycopy(SAMPLE_REQUEST, 0, big, 13, SAMPLE_REQUEST.length);
        assertTrue(m.wrap(big, 13, SAMPLE_REQUEST.length));
        assertEquals("evtj:h6vY", m.username());
        assertTrue(m.verifyIntegrity(key));
    }

    @Test
    void everySingleBitFlipIsCaughtWhileFingerprintIsPresent() {
        for (int i = 0; i < SAMPLE_REQUEST.length * 8; i++) {
            byte[] b = SAMPLE_REQUEST.clone();
            b[i / 8] ^= (byte) (1 << (i % 8));
            if (m.wrap(b, 0, b.length) && m.hasFingerprint()) {
                // A flipped length may make an attribute swallow the rest (then there is no FINGERPRINT
                // left to check); with FINGERPRINT present, every flip must be caught.
                fail("bit " + i + " flipped and still accepted");
            }
        }
        assertTrue(drops.get(StunDrop.BAD_FINGERPRINT) > 0);
    }

    @Test
    void integrityWithoutFingerprintCatchesTampering() {
        byte[] msg = new byte[200];
        int n = new StunWriter().start(msg, 0, StunMessage.BINDING_REQUEST, new byte[12], 0)
                .username("a:b").priority(7).iceControlling(1).messageIntegrity(key).length();
        assertTrue(m.wrap(msg, 0, n));
        assertTrue(m.verifyIntegrity(key));
        msg[27] ^= 1; // in the username
        assertTrue(m.wrap(msg, 0, n));
        assertFalse(m.verifyIntegrity(key));
    }

    @Test
    void writerRoundTripWithAllIceAttributes() throws Exception {
        byte[] tx = hex("0102030405060708090a0b0c");
        byte[] buf = new byte[300];
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5000);
        int n = new StunWriter().start(buf, 4, StunMessage.BINDING_REQUEST, tx, 0)
                .username("abcd:efgh").software("arena").priority(0x7effffff).useCandidate().iceControlling(-5L)
                .xorMappedAddress(v6).messageIntegrity(key).fingerprint().length();
        assertEquals(0, (n - 20) % 4);
        assertTrue(m.wrap(buf, 4, n));
        assertEquals("abcd:efgh", m.username());
        assertEquals("arena", m.software());
        assertEquals(0x7effffff, m.priority());
        assertTrue(m.useCandidate());
        assertTrue(m.iceControlling());
        assertEquals(-5L, m.tieBreaker());
        assertEquals(v6, m.xorMappedAddress());
        assertArrayEquals(tx, m.transactionId());
        assertTrue(m.hasFingerprint());
        assertTrue(m.verifyIntegrity(key));
    }

    @Test
    void writerXorMappedAddressMatchesTheRfcEncoding() throws Exception {
        byte[] buf = new byte[100];
        int n = new StunWriter().start(buf, 0, StunMessage.BINDING_SUCCESS, SAMPLE_IPV6_RESPONSE, 8)
                .xorMappedAddress(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853))
                .length();
        assertArrayEquals(Arrays.copyOfRange(SAMPLE_IPV6_RESPONSE, 36, 60), Arrays.copyOfRange(buf, 20, n));
        n = new StunWriter().start(buf, 0, StunMessage.BINDING_SUCCESS, SAMPLE_IPV4_RESPONSE, 8)
                .xorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)).length();
        assertArrayEquals(Arrays.copyOfRange(SAMPLE_IPV4_RESPONSE, 36, 48), Arrays.copyOfRange(buf, 20, n));
    }

    @Test
    void writerIntegrityAndFingerprintMatchTheRfcSampleRequest() {
        // Rebuild 2.1 with the writer: raw attributes carry the RFC's space padding so the bytes line up.
        byte[] buf = new byte[200];
        StunWriter w = new StunWriter().start(buf, 0, StunMessage.BINDING_REQUEST, SAMPLE_REQUEST, 8);
        w.attribute(StunAttributeType.SOFTWARE, SAMPLE_REQUEST, 24, 16)
                .priority(0x6e0001ff).iceControlled(0x932ff9b151263b36L)
                .username("evtj:h6vY");
        // replace the writer's zero padding with the RFC's spaces before the MAC covers it
        Arrays.fill(buf, 20 + 20 + 8 + 12 + 4 + 9, 20 + 20 + 8 + 12 + 4 + 12, (byte) ' ');
        int n = w.messageIntegrity(key).fingerprint().length();
        assertArrayEquals(SAMPLE_REQUEST, Arrays.copyOf(buf, n));
    }

    @Test
    void errorCodeAndUnknownAttributesRoundTrip() {
        byte[] buf = new byte[200];
        int n = StunMessage.build(buf, 0, StunMessage.BINDING_ERROR, new byte[12], 0)
                .errorCode(420, "Unknown Attribute").unknownAttributes(new int[] {0x0777, 0x1234, 0x0042}, 3)
                .fingerprint().length();
        assertTrue(m.wrap(buf, 0, n));
        assertEquals(StunMessage.CLASS_ERROR, m.messageClass());
        assertEquals(420, m.errorCode());
        assertEquals("Unknown Attribute", m.errorReason());
        assertArrayEquals(new int[] {0x0777, 0x1234, 0x0042}, m.unknownAttributesListed());
    }

    @Test
    void unknownComprehensionRequiredAttributesAreListedOptionalOnesAreNot() {
        byte[] buf = new byte[200];
        int n = new StunWriter().start(buf, 0, StunMessage.BINDING_REQUEST, new byte[12], 0)
                .attribute(0x0777, new byte[3], 0, 3).attribute(0x8777, new byte[5], 0, 5)
                .attribute(0x0777, new byte[0], 0, 0).attribute(0x7FFF, new byte[1], 0, 1).length();
        assertTrue(m.wrap(buf, 0, n));
        assertArrayEquals(new int[] {0x0777, 0x7FFF}, m.unknownRequired());
    }

    @Test
    void attributesAfterIntegrityAreIgnoredExceptFingerprint() {
        byte[] buf = new byte[200];
        int n = new StunWriter().start(buf, 0, StunMessage.BINDING_REQUEST, new byte[12], 0)
                .username("a:b").messageIntegrity(key).attribute(0x0777, new byte[4], 0, 4).useCandidate()
                .fingerprint().length();
        assertTrue(m.wrap(buf, 0, n));
        assertEquals(0, m.unknownRequiredCount());
        assertFalse(m.useCandidate());
        assertTrue(m.verifyIntegrity(key), "integrity covers only the part before MESSAGE-INTEGRITY");
    }

    @Test
    void malformedInputIsDroppedWithAReason() {
        assertFalse(m.wrap(new byte[5], 0, 5));
        assertEquals(StunDrop.TOO_SHORT, m.lastDrop());
        byte[] rtp = SAMPLE_REQUEST.clone();
        rtp[0] = (byte) 0x80;
        assertFalse(m.wrap(rtp, 0, rtp.length));
        assertEquals(StunDrop.NOT_STUN, m.lastDrop());
        byte[] cookie = SAMPLE_REQUEST.clone();
        cookie[4] = 0;
        assertFalse(m.wrap(cookie, 0, cookie.length));
        assertEquals(StunDrop.NOT_STUN, m.lastDrop());
        assertFalse(m.wrap(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length - 4));
        assertEquals(StunDrop.BAD_LENGTH, m.lastDrop());
        byte[] overrun = SAMPLE_REQUEST.clone();
        overrun[22] = 0x7F; // SOFTWARE length
        assertFalse(m.wrap(overrun, 0, overrun.length));
        assertEquals(StunDrop.BAD_ATTRIBUTE, m.lastDrop());
        byte[] afterFp = new byte[200];
        int n = new StunWriter().start(afterFp, 0, StunMessage.BINDING_REQUEST, new byte[12], 0)
                .fingerprint().useCandidate().length();
        assertFalse(m.wrap(afterFp, 0, n));
        assertEquals(StunDrop.FINGERPRINT_NOT_LAST, m.lastDrop());
        assertFalse(m.wrap(null, 0, 0));
        assertFalse(m.wrap(SAMPLE_REQUEST, 100, 50));
        assertFalse(m.isValid());
        assertFalse(m.verifyIntegrity(key));
        assertEquals(1, drops.get(StunDrop.MISSING_INTEGRITY));
    }

    @Test
    void looksLikeStun() {
        assertTrue(StunMessage.looksLikeStun(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length));
        assertFalse(StunMessage.looksLikeStun(new byte[40], 0, 40));
    }
}
