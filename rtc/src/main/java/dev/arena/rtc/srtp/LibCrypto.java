package dev.arena.rtc.srtp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downcalls into OpenSSL 3's libcrypto (EVP AES-128-GCM, NIST SP 800-38D) through the Foreign Function &amp;
 * Memory API, bound once. Pointers are passed as {@code long} addresses (same register class as a pointer on
 * the x86-64 and AArch64 ABIs) so that a call builds no MemorySegment and allocates nothing. The per-packet
 * calls are linked {@link Linker.Option#critical critical} (short, never call back into Java).
 *
 * <p>Loads {@code libcrypto.so.3} (or the file named by {@code -Darena.srtp.libcrypto=/path}) only if this
 * code's module has native access ({@code --enable-native-access=ALL-UNNAMED}; otherwise the JVM would warn or
 * refuse), then runs a known-answer test (NIST GCM test case 2). On any failure {@link #available()} is
 * false, {@link #unavailableReason()} says why, and one line is logged.
 */
final class LibCrypto {
    private static final Logger LOG = LoggerFactory.getLogger(LibCrypto.class);

    static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    static final int EVP_CTRL_GCM_SET_TAG = 0x11;

    private static final ValueLayout.OfLong P = ValueLayout.JAVA_LONG; // a pointer, as an address
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    /** EVP_CIPHER_CTX *EVP_CIPHER_CTX_new(void) */
    static final MethodHandle CTX_NEW;
    /** void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *) */
    static final MethodHandle CTX_FREE;
    /** const EVP_CIPHER *EVP_aes_128_gcm(void) */
    static final MethodHandle AES_128_GCM;
    /** int EVP_CipherInit_ex(ctx, const EVP_CIPHER *, ENGINE *, const uchar *key, const uchar *iv, int enc) */
    static final MethodHandle CIPHER_INIT;
    /** int EVP_CipherUpdate(ctx, uchar *out, int *outl, const uchar *in, int inl) */
    static final MethodHandle CIPHER_UPDATE;
    /** int EVP_CipherFinal_ex(ctx, uchar *out, int *outl) */
    static final MethodHandle CIPHER_FINAL;
    /** int EVP_CIPHER_CTX_ctrl(ctx, int type, int arg, void *ptr) */
    static final MethodHandle CTX_CTRL;
    /** libc void *malloc(size_t), void free(void *) */
    static final MethodHandle MALLOC;
    static final MethodHandle FREE;

    private static final String UNAVAILABLE;

    static {
        MethodHandle ctxNew = null, ctxFree = null, gcm = null, init = null, update = null, fin = null,
                ctrl = null, malloc = null, free = null;
        String why = null;
        if (!LibCrypto.class.getModule().isNativeAccessEnabled()) {
            why = "native access is not enabled (run with --enable-native-access=ALL-UNNAMED)";
        } else {
            String lib = System.getProperty("arena.srtp.libcrypto", "libcrypto.so.3");
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup crypto = SymbolLookup.libraryLookup(lib, Arena.global());
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option critical = Linker.Option.critical(false);
                ctxNew = linker.downcallHandle(find(crypto, "EVP_CIPHER_CTX_new"), FunctionDescriptor.of(P));
                ctxFree = linker.downcallHandle(find(crypto, "EVP_CIPHER_CTX_free"), FunctionDescriptor.ofVoid(P));
                gcm = linker.downcallHandle(find(crypto, "EVP_aes_128_gcm"), FunctionDescriptor.of(P));
                init = linker.downcallHandle(find(crypto, "EVP_CipherInit_ex"),
                        FunctionDescriptor.of(I, P, P, P, P, P, I), critical);
                update = linker.downcallHandle(find(crypto, "EVP_CipherUpdate"),
                        FunctionDescriptor.of(I, P, P, P, P, I), critical);
                fin = linker.downcallHandle(find(crypto, "EVP_CipherFinal_ex"),
                        FunctionDescriptor.of(I, P, P, P), critical);
                ctrl = linker.downcallHandle(find(crypto, "EVP_CIPHER_CTX_ctrl"),
                        FunctionDescriptor.of(I, P, I, I, P), critical);
                malloc = linker.downcallHandle(find(libc, "malloc"), FunctionDescriptor.of(P, P));
                free = linker.downcallHandle(find(libc, "free"), FunctionDescriptor.ofVoid(P));
            } catch (Throwable e) { // IllegalArgumentException (no such library/symbol), IllegalCallerException
                why = "cannot bind " + lib + ": " + e;
            }
        }
        CTX_NEW = ctxNew;
        CTX_FREE = ctxFree;
        AES_128_GCM = gcm;
        CIPHER_INIT = init;
        CIPHER_UPDATE = update;
        CIPHER_FINAL = fin;
        CTX_CTRL = ctrl;
        MALLOC = malloc;
        FREE = free;
        if (why == null) {
            why = knownAnswerTest();
        }
        UNAVAILABLE = why;
        if (why != null) {
            LOG.info("SRTP AEAD_AES_128_GCM falls back to JCE's AES/GCM (~1 KB garbage per packet): {}", why);
        }
    }

    private LibCrypto() {}

    private static MemorySegment find(SymbolLookup l, String name) {
        return l.find(name).orElseThrow(() -> new IllegalArgumentException("no symbol " + name));
    }

    /** Whether libcrypto is bound and passed its known-answer test. */
    static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why libcrypto is not used, or null. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    static void check(int rc, String what) throws java.security.GeneralSecurityException {
        if (rc != 1) {
            throw new java.security.GeneralSecurityException(what + " failed");
        }
    }

    /** NIST GCM test case 2 (zero key and IV, one zero block) through the same calls the packet path makes. */
    private static String knownAnswerTest() {
        try (AesGcmOpenSslCrypto.Engine e = new AesGcmOpenSslCrypto.Engine(new byte[16], new byte[16])) {
            byte[] buf = new byte[32];
            int n = e.crypt(false, new byte[12], true, buf, 0, 0, null, 0, 0, buf, 0, 16, buf, 16);
            byte[] want = HexFormat.of().parseHex("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
            if (n != 16 || !java.util.Arrays.equals(buf, want)) {
                return "libcrypto failed the AES-128-GCM known-answer test";
            }
            return null;
        } catch (Throwable t) {
            return "libcrypto failed the AES-128-GCM known-answer test: " + t;
        }
    }
}
