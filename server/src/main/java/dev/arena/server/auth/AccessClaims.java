package dev.arena.server.auth;

import java.time.Instant;

/**
 * A verified token: who it admits to which room, as what, and when it stops being valid.
 *
 * @param keyId    the API key that signed it
 * @param name     the display name, or {@code null} when the token has none
 * @param tokenId  the token's {@code jti}, or {@code null}
 */
public record AccessClaims(String keyId, String room, String identity, String name, Role role, Grants grants,
        Instant issuedAt, Instant notBefore, Instant expiresAt, String tokenId) {

    /** Throws {@link TokenException.Code#MISSING_GRANT} unless the token carries {@code grant}. */
    public void require(Grant grant) throws TokenException {
        if (!grants.has(grant)) {
            throw new TokenException(TokenException.Code.MISSING_GRANT,
                    "the token of '" + identity + "' does not grant " + grant.wireName());
        }
    }

    /** The display name, or the identity when the token has none. */
    public String displayName() {
        return name == null || name.isBlank() ? identity : name;
    }
}
