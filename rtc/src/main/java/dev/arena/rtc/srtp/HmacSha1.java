package dev.arena.rtc.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) on two reusable {@link MessageDigest}s. Unlike {@code javax.crypto.Mac}, whose
 * {@code doFinal(byte[], int)} allocates the inner digest, this writes into caller arrays only.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] ipad = new byte[64];
    private final byte[] opad = new byte[64];
    private final byte[] innerOut = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            inner = MessageDigest.getInstance("SHA-1");
            outer = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
        byte[] k = key.length > 64 ? inner.digest(key) : key;
        for (int i = 0; i < 64; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
    }

    void start() {
        inner.reset();
        inner.update(ipad, 0, 64);
    }

    void update(byte[] b, int off, int len) {
        inner.update(b, off, len);
    }

    /** Writes the 20-byte MAC at {@code out[off]}. */
    void finish(byte[] out, int off) {
        try {
            inner.digest(innerOut, 0, LENGTH);
            outer.reset();
            outer.update(opad, 0, 64);
            outer.update(innerOut, 0, LENGTH);
            outer.digest(out, off, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // out has room: cannot happen
        }
    }
}
