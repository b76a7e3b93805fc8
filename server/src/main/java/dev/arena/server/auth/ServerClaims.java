package dev.arena.server.auth;

import java.time.Instant;

/**
 * A verified server token: it administers the whole node through the REST API (any room), and admits to no room.
 *
 * @param keyId   the API key that signed it
 * @param subject who it was issued to (free text, for logs)
 */
public record ServerClaims(String keyId, String subject, Instant expiresAt) {
}
