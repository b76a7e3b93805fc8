package dev.arena.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * An API key id and its secret. The secret signs access tokens (HMAC-SHA256 over its UTF-8 bytes); it
 * is never shown by {@link #toString()}.
 */
public record ApiKey(String id, String secret) {
    /** A secret must have at least this many characters (HS256 needs a key of 256 bits or more). */
    public static final int MIN_SECRET_LENGTH = 32;
    public static final int MAX_SECRET_LENGTH = 512;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ApiKey {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("API key id must be 1 to 64 of A-Z a-z 0-9 _ -, got '" + id + "'");
        }
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the secret of API key '" + id + "' must have at least "
                    + MIN_SECRET_LENGTH + " characters (generate one with: openssl rand -base64 32)");
        }
        if (secret.length() > MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("the secret of API key '" + id + "' is longer than "
                    + MAX_SECRET_LENGTH + " characters");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("the secret of API key '" + id
                        + "' must not contain spaces or control characters");
            }
        }
    }

    SecretKey hmacKey() {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    @Override
    public String toString() {
        return "ApiKey[" + id + "]";
    }
}
