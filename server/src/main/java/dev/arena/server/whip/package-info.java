/**
 * WHIP (RFC 9725) and WHEP: publish into and watch a room over plain HTTP with a Bearer access token.
 * {@link dev.arena.server.rooms.Rooms} holds the node's rooms, {@link dev.arena.server.whip.WhipService} answers the
 * requests as a route of the node's {@link dev.arena.server.http.WebServer}.
 */
package dev.arena.server.whip;
