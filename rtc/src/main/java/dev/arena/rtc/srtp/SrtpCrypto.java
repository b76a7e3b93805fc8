package dev.arena.rtc.srtp;

import java.security.GeneralSecurityException;

/**
 * The transform of one direction of one profile, with its RTP and RTCP session keys. The session does
 * framing, ROC and replay; this only encrypts and authenticates. Not thread-safe.
 */
abstract sealed class SrtpCrypto permits AesCmHmacCrypto, AesGcmBase {

    /** Which AEAD_AES_128_GCM implementation new sessions use. */
    enum GcmImpl {
        /** OpenSSL libcrypto through FFM ({@link AesGcmOpenSslCrypto}): fastest, allocation-free; the default. */
        OPENSSL,
        /** JCE's AES/GCM ({@link AesGcmCrypto}): ~1 KB of garbage per packet from its per-packet init. */
        JCE,
        /** AES/ECB + Java GHASH ({@link AesGcmJavaCrypto}): allocation-free, 4-5x slower than JCE. */
        GHASH
    }

    /**
     * {@code -Darena.srtp.gcm=openssl|jce|ghash}, read when a session is created. Unset or {@code openssl}
     * selects OpenSSL when libcrypto loads (needs {@code --enable-native-access=ALL-UNNAMED}), else JCE
     * ({@link LibCrypto} logs the reason once).
     */
    static GcmImpl gcmImpl() {
        String v = System.getProperty("arena.srtp.gcm", "openssl");
        return switch (v) {
            case "jce" -> GcmImpl.JCE;
            case "ghash" -> GcmImpl.GHASH;
            default -> LibCrypto.available() ? GcmImpl.OPENSSL : GcmImpl.JCE;
        };
    }

    static SrtpCrypto create(SrtpProfile p, byte[] masterKey, byte[] masterSalt) {
        return switch (p) {
            case AES128_CM_HMAC_SHA1_80 -> AesCmHmacCrypto.fromMaster(masterKey, masterSalt);
            case AEAD_AES_128_GCM -> switch (gcmImpl()) {
                case OPENSSL -> AesGcmOpenSslCrypto.fromMaster(masterKey, masterSalt);
                case JCE -> AesGcmCrypto.fromMaster(masterKey, masterSalt);
                case GHASH -> AesGcmJavaCrypto.fromMaster(masterKey, masterSalt);
            };
        };
    }

    /** The implementation's class name, for logs and benchmarks. */
    String name() {
        return getClass().getSimpleName();
    }

    /** Frees native resources, if any; idempotent. The object must not be used afterwards. */
    void close() {}

    /** Encrypts the payload after {@code hdr} and appends the tag; returns the new length. */
    abstract int protectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index)
            throws GeneralSecurityException;

    /** Checks the tag and decrypts in place; returns the plain length or -1 if authentication fails. */
    abstract int unprotectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index)
            throws GeneralSecurityException;

    /** Encrypts after the 8-byte header, appends E||index and the tag; returns the new length. */
    abstract int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) throws GeneralSecurityException;

    /**
     * Checks the tag and, when {@code encrypted}, decrypts; returns the plain RTCP length or -1.
     * {@code len} includes the trailer (index word and tag).
     */
    abstract int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int index, boolean encrypted)
            throws GeneralSecurityException;

    /** Offset from the end of an SRTCP packet to its E||index word. */
    abstract int rtcpIndexFromEnd();

    /** Bytes that protectRtcp appends (index word + tag). */
    abstract int rtcpOverhead();

    abstract int rtpTagLength();

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
