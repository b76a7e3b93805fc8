package dev.arena.rtc.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH of AES-GCM (NIST SP 800-38D section 6.4) in plain Java, allocation-free once built. A block is two
 * big-endian longs; bit 0 of the spec is the top bit of {@code hi}. With {@code table} the multiply by H
 * XORs 32 precomputed entries, one per nibble position (32 x 16 entries, 8 KiB per key); without it
 * it walks the 128 bits (for SRTCP, where packets are few and small, to save the memory).
 */
final class Ghash {
    private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long R = 0xE100000000000000L;

    private final long hHi;
    private final long hLo;
    private final long[] tHi;
    private final long[] tLo;
    private long zHi;
    private long zLo;
    private final byte[] pending = new byte[16];
    private int pendingLen;
    private long totalLen;

    /** @param h the hash subkey E(K, 0^128), 16 bytes */
    Ghash(byte[] h, boolean table) {
        hHi = (long) BE.get(h, 0);
        hLo = (long) BE.get(h, 8);
        if (table) {
            tHi = new long[32 * 16];
            tLo = new long[32 * 16];
            long vh = hHi;
            long vl = hLo;
            long[] ph = new long[128];
            long[] pl = new long[128];
            for (int p = 0; p < 128; p++) { // H * x^p
                ph[p] = vh;
                pl[p] = vl;
                long carry = vl & 1;
                vl = (vl >>> 1) | (vh << 63);
                vh = (vh >>> 1) ^ (carry != 0 ? R : 0);
            }
            for (int pos = 0; pos < 32; pos++) {
                for (int n = 0; n < 16; n++) {
                    long a = 0;
                    long b = 0;
                    for (int k = 0; k < 4; k++) {
                        if ((n & (8 >>> k)) != 0) {
                            a ^= ph[4 * pos + k];
                            b ^= pl[4 * pos + k];
                        }
                    }
                    tHi[pos * 16 + n] = a;
                    tLo[pos * 16 + n] = b;
                }
            }
        } else {
            tHi = null;
            tLo = null;
        }
    }

    void reset() {
        zHi = 0;
        zLo = 0;
        pendingLen = 0;
        totalLen = 0;
    }

    /** Absorbs bytes; pieces are concatenated until {@link #pad()} (AAD given in several pieces). */
    void update(byte[] b, int off, int len) {
        totalLen += len;
        if (pendingLen > 0) {
            int take = Math.min(len, 16 - pendingLen);
            System.arraycopy(b, off, pending, pendingLen, take);
            pendingLen += take;
            off += take;
            len -= take;
            if (pendingLen < 16) {
                return;
            }
            block((long) BE.get(pending, 0), (long) BE.get(pending, 8));
            pendingLen = 0;
        }
        int end = off + (len & ~15);
        for (; off < end; off += 16) {
            block((long) BE.get(b, off), (long) BE.get(b, off + 8));
        }
        int rest = len & 15;
        if (rest > 0) {
            System.arraycopy(b, off, pending, 0, rest);
            pendingLen = rest;
        }
    }

    /** Zero-pads the bytes absorbed so far to a block boundary; returns their count and restarts it. */
    long pad() {
        if (pendingLen > 0) {
            java.util.Arrays.fill(pending, pendingLen, 16, (byte) 0);
            block((long) BE.get(pending, 0), (long) BE.get(pending, 8));
            pendingLen = 0;
        }
        long n = totalLen;
        totalLen = 0;
        return n;
    }

    /** Absorbs the length block and writes GHASH XOR mask (E(K, J0)) to out[off, off+16). */
    void finish(long aadBytes, long textBytes, byte[] mask, byte[] out, int off) {
        block(aadBytes * 8, textBytes * 8);
        BE.set(out, off, zHi ^ (long) BE.get(mask, 0));
        BE.set(out, off + 8, zLo ^ (long) BE.get(mask, 8));
    }

    private void block(long xh, long xl) {
        xh ^= zHi;
        xl ^= zLo;
        long a = 0;
        long b = 0;
        if (tHi != null) {
            long[] th = tHi;
            long[] tl = tLo;
            for (int i = 0; i < 16; i++) {
                int n = i * 16 + (int) ((xh >>> (60 - 4 * i)) & 0xf);
                a ^= th[n];
                b ^= tl[n];
            }
            for (int i = 0; i < 16; i++) {
                int n = (16 + i) * 16 + (int) ((xl >>> (60 - 4 * i)) & 0xf);
                a ^= th[n];
                b ^= tl[n];
            }
        } else {
            long vh = hHi;
            long vl = hLo;
            for (int i = 0; i < 128; i++) {
                long bit = i < 64 ? (xh >>> (63 - i)) & 1 : (xl >>> (127 - i)) & 1;
                long m = -bit;
                a ^= vh & m;
                b ^= vl & m;
                long carry = vl & 1;
                vl = (vl >>> 1) | (vh << 63);
                vh = (vh >>> 1) ^ (R & -carry);
            }
        }
        zHi = a;
        zLo = b;
    }
}
