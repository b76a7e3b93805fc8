package dev.arena.bench.srtp;

import dev.arena.rtc.srtp.SrtpKeys;
import dev.arena.rtc.srtp.SrtpProfile;
import dev.arena.rtc.srtp.SrtpSession;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;
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
 * SRTP protect and unprotect of a 1200-byte RTP packet (12-byte header, 1188-byte payload) in both
 * profiles: Arena's implementation on JCE ({@code impl=arena}; {@code arena-openssl} runs the GCM profile on
 * OpenSSL's libcrypto through FFM, the default when it loads; {@code arena-ghash} on AES/ECB + Arena's Java
 * GHASH; both are the same code as {@code arena} for AES-CM) against
 * org.jitsi:jitsi-srtp ({@code impl=jitsi}, which loads its OpenSSL JNI library when libssl3 is present).
 * Each operation first copies the 1200-byte input into the work buffer (same cost for both; {@code copyOnly}
 * measures it). Protect bumps the sequence number each time (GCM refuses a repeated IV); unprotect decrypts
 * the same packet each time, so both receivers run with replay protection off. The setup checks that both
 * implementations produce identical SRTP bytes and unprotect each other's packets.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar SrtpBenchmark -prof gc
 * -f 1 -wi 3 -w 1s -i 5 -r 1s} (the forks also get the flag from {@code @Fork}; should libcrypto not load,
 * {@code arena-openssl} fails its setup rather than silently measuring the JCE fallback).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SrtpBenchmark {
    static final int PACKET = 1200;
    static final int SSRC = 0x1234abcd;

    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    public String profile;

    /**
     * arena: Arena on JCE (GCM on JCE's AES/GCM); arena-openssl: GCM on libcrypto via FFM; arena-ghash: GCM on
     * AES/ECB + Arena's GHASH; jitsi: jitsi-srtp.
     */
    @Param({"arena", "arena-openssl", "arena-ghash", "jitsi"})
    public String impl;

    private byte[] plain;
    private byte[] wire;
    private int wireLen;
    private final Buf buf = new Buf(new byte[PACKET + 64]);
    private int seq;

    private SrtpSession arenaTx;
    private SrtpSession arenaRx;
    private SrtpCryptoContext jitsiTx;
    private SrtpCryptoContext jitsiRx;
    private boolean arena;

    @Setup
    public void setup() throws Exception {
        SrtpProfile p = SrtpProfile.valueOf(profile);
        arena = impl.startsWith("arena");
        System.setProperty("arena.srtp.gcm", switch (impl) {
            case "arena-ghash" -> "ghash";
            case "arena-openssl" -> "openssl";
            default -> "jce";
        });
        byte[] km = new byte[p.keyingMaterialLength()];
        new Random(42).nextBytes(km);
        SrtpKeys client = SrtpKeys.split(p, km, true);
        SrtpKeys server = SrtpKeys.split(p, km, false);
        arenaTx = client.newSession();
        arenaRx = server.newSession();
        arenaRx.setReplayProtection(false);
        if (impl.equals("arena-openssl") && p == SrtpProfile.AEAD_AES_128_GCM
                && !arenaTx.cryptoName().equals("AesGcmOpenSslCrypto")) {
            throw new IllegalStateException("libcrypto did not load (see the log line; --enable-native-access?)");
        }
        jitsiTx = jitsi(p, client.localKey(), client.localSalt(), true).deriveContext(SSRC, 0);
        jitsiRx = jitsi(p, client.localKey(), client.localSalt(), false).deriveContext(SSRC, 0);

        plain = new byte[PACKET];
        new Random(7).nextBytes(plain);
        plain[0] = (byte) 0x80;
        plain[1] = 96;
        plain[8] = 0x12;
        plain[9] = 0x34;
        plain[10] = (byte) 0xab;
        plain[11] = (byte) 0xcd;
        setSeq(plain, 1);

        // Cross-check: both produce the same SRTP bytes, and each unprotects the other's packet.
        byte[] a = Arrays.copyOf(plain, PACKET + 64);
        int aLen = arenaTx.protectRtp(a, 0, PACKET);
        Buf j = new Buf(Arrays.copyOf(plain, PACKET + 64));
        j.length = PACKET;
        check(jitsiTx.transformPacket(j), "jitsi protect");
        if (aLen != j.length || !Arrays.equals(a, 0, aLen, j.buffer, 0, aLen)) {
            throw new IllegalStateException(profile + ": arena and jitsi SRTP differ");
        }
        wire = Arrays.copyOf(a, aLen);
        wireLen = aLen;
        byte[] x = Arrays.copyOf(wire, PACKET + 64);
        if (arenaRx.unprotectRtp(x, 0, wireLen) != PACKET || !Arrays.equals(x, 0, PACKET, plain, 0, PACKET)) {
            throw new IllegalStateException(profile + ": arena cannot unprotect");
        }
        Buf y = new Buf(Arrays.copyOf(wire, PACKET + 64));
        y.length = wireLen;
        check(jitsiRx.reverseTransformPacket(y, false), "jitsi unprotect");
        if (y.length != PACKET || !Arrays.equals(y.buffer, 0, PACKET, plain, 0, PACKET)) {
            throw new IllegalStateException(profile + ": jitsi cannot unprotect");
        }
        seq = 2;
    }

    @TearDown
    public void tearDown() {
        arenaTx.close();
        arenaRx.close();
    }

    private static SrtpContextFactory jitsi(SrtpProfile p, byte[] key, byte[] salt, boolean sender) {
        SrtpPolicy policy = p == SrtpProfile.AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        policy.setReceiveReplayEnabled(false);
        return new SrtpContextFactory(sender, key, salt, policy, policy, new LoggerImpl("bench"));
    }

    private static void check(SrtpErrorStatus s, String what) {
        if (s != SrtpErrorStatus.OK) {
            throw new IllegalStateException(what + ": " + s);
        }
    }

    private static void setSeq(byte[] b, int s) {
        b[2] = (byte) (s >>> 8);
        b[3] = (byte) s;
    }

    @Benchmark
    public int copyOnly() {
        System.arraycopy(plain, 0, buf.buffer, 0, PACKET);
        setSeq(buf.buffer, seq++);
        return buf.buffer[5];
    }

    @Benchmark
    public int protect() throws Exception {
        byte[] b = buf.buffer;
        System.arraycopy(plain, 0, b, 0, PACKET);
        setSeq(b, seq++);
        if (arena) {
            return arenaTx.protectRtp(b, 0, PACKET);
        }
        buf.offset = 0;
        buf.length = PACKET;
        jitsiTx.transformPacket(buf);
        return buf.length;
    }

    @Benchmark
    public int unprotect() throws Exception {
        byte[] b = buf.buffer;
        System.arraycopy(wire, 0, b, 0, wireLen);
        if (arena) {
            return arenaRx.unprotectRtp(b, 0, wireLen);
        }
        buf.offset = 0;
        buf.length = wireLen;
        jitsiRx.reverseTransformPacket(buf, false);
        return buf.length;
    }

    /** Minimal ByteArrayBuffer over one array (jitsi-utils has no public implementation). */
    static final class Buf implements ByteArrayBuffer {
        byte[] buffer;
        int offset;
        int length;

        Buf(byte[] b) {
            buffer = b;
        }

        @Override
        public byte[] getBuffer() {
            return buffer;
        }

        @Override
        public int getOffset() {
            return offset;
        }

        @Override
        public int getLength() {
            return length;
        }

        @Override
        public void setLength(int len) {
            length = len;
        }

        @Override
        public void setOffset(int off) {
            offset = off;
        }

        @Override
        public boolean isInvalid() {
            return false;
        }

        @Override
        public void readRegionToBuff(int off, int len, byte[] outBuf) {
            System.arraycopy(buffer, offset + off, outBuf, 0, len);
        }

        @Override
        public void grow(int howMuch) {
            if (buffer.length - offset - length < howMuch) {
                buffer = Arrays.copyOf(buffer, offset + length + howMuch);
            }
        }

        @Override
        public void append(byte[] data, int len) {
            grow(len);
            System.arraycopy(data, 0, buffer, offset + length, len);
            length += len;
        }

        @Override
        public void shrink(int len) {
            length = Math.max(0, length - len);
        }
    }
}
