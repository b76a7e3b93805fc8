package dev.arena.rtc.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts of one DTLS-SRTP association, split from the exported keying material
 * (RFC 5764 section 4.2: client key, server key, client salt, server salt). "Local" protects what we send,
 * "remote" unprotects what we receive.
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

    public SrtpKeys {
        Objects.requireNonNull(profile, "profile");
        check("localKey", localKey, profile.masterKeyLength);
        check("remoteKey", remoteKey, profile.masterKeyLength);
        check("localSalt", localSalt, profile.masterSaltLength);
        check("remoteSalt", remoteSalt, profile.masterSaltLength);
    }

    /**
     * Splits the RFC 5764 keying material ("EXTRACTOR-dtls_srtp", {@code p.keyingMaterialLength()} bytes).
     *
     * @param localIsDtlsClient true when this side was the DTLS client (a=setup:active)
     * @throws IllegalArgumentException if the material is not exactly {@code p.keyingMaterialLength()} bytes
     */
    public static SrtpKeys split(SrtpProfile p, byte[] keyingMaterial, boolean localIsDtlsClient) {
        Objects.requireNonNull(p, "profile");
        Objects.requireNonNull(keyingMaterial, "keyingMaterial");
        if (keyingMaterial.length != p.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material for " + p + " must be " + p.keyingMaterialLength()
                    + " bytes, got " + keyingMaterial.length);
        }
        int k = p.masterKeyLength;
        int s = p.masterSaltLength;
        byte[] clientKey = Arrays.copyOfRange(keyingMaterial, 0, k);
        byte[] serverKey = Arrays.copyOfRange(keyingMaterial, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(keyingMaterial, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(keyingMaterial, 2 * k + s, 2 * k + 2 * s);
        return localIsDtlsClient
                ? new SrtpKeys(p, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpKeys(p, serverKey, serverSalt, clientKey, clientSalt);
    }

    /** A session that protects with the local keys and unprotects with the remote ones. */
    public SrtpSession newSession() {
        return new SrtpSession(profile, localKey, localSalt, remoteKey, remoteSalt);
    }

    private static void check(String name, byte[] v, int len) {
        Objects.requireNonNull(v, name);
        if (v.length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes, got " + v.length);
        }
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]"; // never print key material
    }
}
