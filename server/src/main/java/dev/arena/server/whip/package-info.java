/**
 * WHIP (RFC 9725) and WHEP: publish into and watch a room over plain HTTP with a Bearer access token.
 * {@link dev.arena.server.rooms.Rooms} holds the node's rooms, {@link dev.arena.server.whip.WhipService} handles the
 * requests independently of the HTTP server, {@link dev.arena.server.whip.WhipHttpHandler} adapts the JDK's one.
 */
package dev.arena.server.whip;
