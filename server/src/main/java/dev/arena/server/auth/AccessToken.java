package dev.arena.server.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * What a token grants, as given to {@link TokenIssuer#issue}: a room, an identity (unique in the room),
 * an optional display name, a stage role, grants and how long the token is valid.
 */
public record AccessToken(String room, String identity, String name, Role role, Grants grants, Duration ttl) {
    /** Longest room, identity or display name, in characters. */
    public static final int MAX_FIELD_LENGTH = 256;
    /** Longest validity of a token. */
    public static final Duration MAX_TTL = Duration.ofDays(366);
    public static final Duration DEFAULT_TTL = Duration.ofHours(6);

    public AccessToken {
        checkField("room", room);
        checkField("identity", identity);
        if (name != null && name.length() > MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException("name is longer than " + MAX_FIELD_LENGTH + " characters");
        }
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(grants, "grants");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toSeconds() < 1 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be between 1 s and " + MAX_TTL.toDays() + " days, got " + ttl);
        }
    }

    /** A token for {@code role} with that role's usual grants, no display name and the default lifetime (6 h). */
    public static AccessToken of(String room, String identity, Role role) {
        return new AccessToken(room, identity, null, role, Grants.forRole(role), DEFAULT_TTL);
    }

    public AccessToken withName(String newName) {
        return new AccessToken(room, identity, newName, role, grants, ttl);
    }

    public AccessToken withGrants(Grants newGrants) {
        return new AccessToken(room, identity, name, role, newGrants, ttl);
    }

    public AccessToken withTtl(Duration newTtl) {
        return new AccessToken(room, identity, name, role, grants, newTtl);
    }

    static void checkField(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.length() > MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_FIELD_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters");
            }
        }
    }
}
