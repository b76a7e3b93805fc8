package dev.arena.rtc.srtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

/**
 * AEAD_AES_128_GCM (RFC 7714) on OpenSSL's libcrypto through the FFM API ({@link LibCrypto}), allocation-free
 * per packet: each direction keeps one EVP_CIPHER_CTX per session key (RTP, RTCP) keyed once, and a packet
 * only sets its 12-byte IV ({@code EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, enc)}), feeds the AAD and the
 * text through {@code EVP_CipherUpdate} and gets or sets the tag with {@code EVP_CIPHER_CTX_ctrl}. The bytes go
 * through a native scratch buffer owned by this object (copied in and out with {@link MemorySegment#copy}), so
 * a failed tag check leaves the caller's buffer untouched. The RFC 7714 framing is {@link AesGcmBase}'s.
 *
 * <p>Like JCE, refuses to encrypt twice in a row with the same key and IV. {@link #close()} frees the native
 * contexts and buffer (a {@link Cleaner} does it if the object is dropped unclosed); it must not race with a
 * packet call, and afterwards every call fails with IllegalStateException.
 */
final class AesGcmOpenSslCrypto extends AesGcmBase {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Engine engine;

    AesGcmOpenSslCrypto(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        super(rtpSalt, rtcpSalt);
        if (!LibCrypto.available()) {
            throw new IllegalStateException("libcrypto unavailable: " + LibCrypto.unavailableReason());
        }
        try {
            this.engine = new Engine(rtpKey, rtcpKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EVP AES-128-GCM init failed", e);
        }
    }

    static AesGcmOpenSslCrypto fromMaster(byte[] key, byte[] salt) {
        return fromMaster(key, salt, AesGcmOpenSslCrypto::new);
    }

    @Override
    void close() {
        engine.close();
    }

    @Override
    void seal(boolean rtcp, byte[] buf, int off, int aadLen, int n) throws GeneralSecurityException {
        engine.crypt(rtcp, iv, true, buf, off, aadLen, eword, 0, rtcp ? 4 : 0, buf, off + aadLen, n, buf,
                off + aadLen + n);
    }

    @Override
    boolean open(boolean rtcp, byte[] buf, int off, int aadLen, int n) throws GeneralSecurityException {
        return engine.crypt(rtcp, iv, false, buf, off, aadLen, eword, 0, rtcp ? 4 : 0, buf, off + aadLen, n, buf,
                off + aadLen + n) >= 0;
    }

    /**
     * Two keyed EVP_CIPHER_CTX (RTP and RTCP key) and one native scratch buffer. Scratch layout: [0, 12) IV,
     * [16, 32) tag, [32, 36) the {@code int *outl} that EVP wants, [64, 64 + capacity) AAD, then the text.
     */
    static final class Engine implements AutoCloseable {
        private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
        private static final long IV = 0;
        private static final long TAGP = 16;
        private static final long OUTL = 32;
        private static final long DATA = 64;
        private static final int INITIAL = 2048;

        /** What the Cleaner frees; must not refer to the Engine. */
        private static final class Native implements Runnable {
            long rtpCtx;
            long rtcpCtx;
            long scratch;
            long scratchSize;

            @Override
            public void run() {
                try {
                    if (scratch != 0) {
                        MemorySegment.ofAddress(scratch).reinterpret(scratchSize).fill((byte) 0);
                        LibCrypto.FREE.invokeExact(scratch);
                        scratch = 0;
                    }
                    if (rtpCtx != 0) {
                        LibCrypto.CTX_FREE.invokeExact(rtpCtx); // EVP_CIPHER_CTX_free cleanses the key schedule
                        rtpCtx = 0;
                    }
                    if (rtcpCtx != 0) {
                        LibCrypto.CTX_FREE.invokeExact(rtcpCtx);
                        rtcpCtx = 0;
                    }
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        }

        private final Native nat = new Native();
        private final Cleaner.Cleanable cleanable;
        private final long rtpCtx;
        private final long rtcpCtx;
        private MemorySegment scratch;
        private long base;
        private int capacity;
        private boolean closed;
        // last IV encrypted under each key (JCE-style guard against an immediate IV repeat)
        private long rtpLastHi;
        private int rtpLastLo;
        private boolean rtpLastSet;
        private long rtcpLastHi;
        private int rtcpLastLo;
        private boolean rtcpLastSet;

        Engine(byte[] rtpKey, byte[] rtcpKey) throws GeneralSecurityException {
            cleanable = CLEANER.register(this, nat);
            boolean ok = false;
            try {
                grow(INITIAL);
                nat.rtpCtx = newCtx(rtpKey);
                nat.rtcpCtx = newCtx(rtcpKey);
                ok = true;
            } finally {
                if (!ok) {
                    cleanable.clean();
                }
            }
            rtpCtx = nat.rtpCtx;
            rtcpCtx = nat.rtcpCtx;
        }

        private long newCtx(byte[] key) throws GeneralSecurityException {
            try {
                long ctx = (long) LibCrypto.CTX_NEW.invokeExact();
                if (ctx == 0) {
                    throw new GeneralSecurityException("EVP_CIPHER_CTX_new failed");
                }
                long cipher = (long) LibCrypto.AES_128_GCM.invokeExact();
                MemorySegment.copy(key, 0, scratch, ValueLayout.JAVA_BYTE, DATA, 16);
                int rc = (int) LibCrypto.CIPHER_INIT.invokeExact(ctx, cipher, 0L, base + DATA, 0L, 1);
                scratch.asSlice(DATA, 16).fill((byte) 0);
                if (rc != 1) {
                    LibCrypto.CTX_FREE.invokeExact(ctx);
                    throw new GeneralSecurityException("EVP_CipherInit_ex(key) failed");
                }
                return ctx;
            } catch (GeneralSecurityException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new GeneralSecurityException(t);
            }
        }

        /** Makes the AAD/text area at least {@code n} bytes (a packet larger than any before; rare). */
        private void grow(int n) throws GeneralSecurityException {
            int size = Math.max(n, Math.min(Math.max(2 * capacity, INITIAL), Integer.MAX_VALUE - 128));
            long bytes = DATA + size;
            long p;
            try {
                p = (long) LibCrypto.MALLOC.invokeExact(bytes);
            } catch (Throwable t) {
                throw new GeneralSecurityException(t);
            }
            if (p == 0) {
                throw new GeneralSecurityException("malloc(" + bytes + ") failed");
            }
            long old = nat.scratch;
            long oldSize = nat.scratchSize;
            nat.scratch = p;
            nat.scratchSize = bytes;
            scratch = MemorySegment.ofAddress(p).reinterpret(bytes);
            base = p;
            capacity = size;
            if (old != 0) {
                MemorySegment.ofAddress(old).reinterpret(oldSize).fill((byte) 0);
                try {
                    LibCrypto.FREE.invokeExact(old);
                } catch (Throwable t) {
                    throw new GeneralSecurityException(t);
                }
            }
        }

        /**
         * One GCM operation under the RTP or RTCP key. AAD = a1[a1Off, +a1Len) || a2[a2Off, +a2Len); the text
         * {@code t[tOff, +n)} is replaced in place by its encryption or decryption. Encrypting writes the tag at
         * {@code tag[tagOff]}; decrypting checks the tag there and returns -1 (text untouched) if it differs.
         * Returns n.
         */
        int crypt(boolean rtcp, byte[] iv, boolean enc, byte[] a1, int a1Off, int a1Len, byte[] a2, int a2Off,
                int a2Len, byte[] t, int tOff, int n, byte[] tag, int tagOff) throws GeneralSecurityException {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            int aad = a1Len + a2Len;
            if (aad > capacity || n > capacity) {
                grow(Math.max(aad, n));
            }
            long ctx = rtcp ? rtcpCtx : rtpCtx;
            if (enc) {
                long hi = (long) BE64.get(iv, 0);
                int lo = (int) BE32.get(iv, 8);
                if (rtcp) {
                    if (rtcpLastSet && hi == rtcpLastHi && lo == rtcpLastLo) {
                        throw new GeneralSecurityException("IV reuse");
                    }
                    rtcpLastHi = hi;
                    rtcpLastLo = lo;
                    rtcpLastSet = true;
                } else {
                    if (rtpLastSet && hi == rtpLastHi && lo == rtpLastLo) {
                        throw new GeneralSecurityException("IV reuse");
                    }
                    rtpLastHi = hi;
                    rtpLastLo = lo;
                    rtpLastSet = true;
                }
            }
            MemorySegment s = scratch;
            long b = base;
            try {
                MemorySegment.copy(iv, 0, s, ValueLayout.JAVA_BYTE, IV, 12);
                int rc = (int) LibCrypto.CIPHER_INIT.invokeExact(ctx, 0L, 0L, 0L, b + IV, enc ? 1 : 0);
                if (rc != 1) {
                    throw new GeneralSecurityException("EVP_CipherInit_ex(iv) failed");
                }
                if (!enc) {
                    MemorySegment.copy(tag, tagOff, s, ValueLayout.JAVA_BYTE, TAGP, TAG);
                    rc = (int) LibCrypto.CTX_CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_GCM_SET_TAG, TAG, b + TAGP);
                    if (rc != 1) {
                        throw new GeneralSecurityException("EVP_CTRL_GCM_SET_TAG failed");
                    }
                }
                if (aad > 0) {
                    MemorySegment.copy(a1, a1Off, s, ValueLayout.JAVA_BYTE, DATA, a1Len);
                    if (a2Len > 0) {
                        MemorySegment.copy(a2, a2Off, s, ValueLayout.JAVA_BYTE, DATA + a1Len, a2Len);
                    }
                    rc = (int) LibCrypto.CIPHER_UPDATE.invokeExact(ctx, 0L, b + OUTL, b + DATA, aad);
                    if (rc != 1) {
                        throw new GeneralSecurityException("EVP_CipherUpdate(aad) failed");
                    }
                }
                if (n > 0) {
                    MemorySegment.copy(t, tOff, s, ValueLayout.JAVA_BYTE, DATA, n);
                    rc = (int) LibCrypto.CIPHER_UPDATE.invokeExact(ctx, b + DATA, b + OUTL, b + DATA, n);
                    if (rc != 1) {
                        throw new GeneralSecurityException("EVP_CipherUpdate failed");
                    }
                }
                rc = (int) LibCrypto.CIPHER_FINAL.invokeExact(ctx, b + DATA + n, b + OUTL);
                if (rc != 1) {
                    if (enc) {
                        throw new GeneralSecurityException("EVP_CipherFinal_ex failed");
                    }
                    return -1; // tag mismatch
                }
                if (enc) {
                    rc = (int) LibCrypto.CTX_CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_GCM_GET_TAG, TAG, b + TAGP);
                    if (rc != 1) {
                        throw new GeneralSecurityException("EVP_CTRL_GCM_GET_TAG failed");
                    }
                    MemorySegment.copy(s, ValueLayout.JAVA_BYTE, TAGP, tag, tagOff, TAG);
                }
                if (n > 0) {
                    MemorySegment.copy(s, ValueLayout.JAVA_BYTE, DATA, t, tOff, n);
                }
                return n;
            } catch (GeneralSecurityException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new GeneralSecurityException(e);
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public void close() {
            closed = true;
            cleanable.clean();
        }
    }
}
