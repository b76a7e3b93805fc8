package dev.arena.rtc.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA1 for MESSAGE-INTEGRITY with short-term credentials (RFC 8489 section 9.1): the key is the
 * password itself (ICE passwords are ASCII ice-chars, so OpaqueString leaves them unchanged).
 *
 * <p>One {@link Mac} per thread, re-keyed only when the key object changes, so the check path neither
 * allocates a Mac nor looks up a provider per packet. Hold the {@link SecretKeySpec} from {@link #key}
 * for the life of the credentials.
 */
public final class StunIntegrity {
    private static final ThreadLocal<KeyedMac> MACS = ThreadLocal.withInitial(KeyedMac::new);

    private StunIntegrity() {
    }

    /** The HMAC-SHA1 key for a short-term password. */
    public static SecretKeySpec key(String password) {
        byte[] k = password.getBytes(StandardCharsets.UTF_8);
        if (k.length == 0) {
            // SecretKeySpec refuses empty keys; HMAC pads the key with zeros, so one zero byte is the same.
            k = new byte[1];
        }
        return new SecretKeySpec(k, "HmacSHA1");
    }

    /** This thread's Mac, initialised with {@code key}. Valid until the next call on this thread. */
    public static Mac mac(SecretKeySpec key) {
        return MACS.get().keyed(key);
    }

    static Mac newMac() {
        try {
            try {
                return Mac.getInstance("HmacSHA1", "SunJCE");
            } catch (GeneralSecurityException e) {
                return Mac.getInstance("HmacSHA1");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    private static final class KeyedMac {
        private final Mac mac = newMac();
        private SecretKeySpec key;

        Mac keyed(SecretKeySpec k) {
            if (k != key) {
                try {
                    mac.init(k);
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("bad HMAC key", e);
                }
                key = k;
            } else {
                mac.reset();
            }
            return mac;
        }
    }
}
