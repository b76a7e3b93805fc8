/**
 * Access to a node: API keys and secrets ({@link dev.arena.server.auth.ApiKeys}), signed access tokens
 * (JWT, HS256) that carry a room, an identity, a stage role and grants ({@link dev.arena.server.auth.TokenIssuer},
 * {@link dev.arena.server.auth.TokenVerifier}), and the {@code ./arena token} command
 * ({@link dev.arena.server.auth.TokenCommand}).
 *
 * <p>Wire format of a token: header {@code {"alg":"HS256","typ":"JWT","kid":KEY}}; payload
 * {@code {"iss":KEY,"sub":IDENTITY,"name":NAME,"room":ROOM,"role":"host|speaker|listener",
 * "grants":{"join":b,"publish":b,"subscribe":b,"roomAdmin":b,"hidden":b},"iat":s,"nbf":s,"exp":s,"jti":ID}}.
 * The HMAC key is the UTF-8 bytes of the secret string, so any JWT library can mint tokens from the pair.
 */
package dev.arena.server.auth;
