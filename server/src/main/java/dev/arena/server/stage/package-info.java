/**
 * The rooms' state as participants see it: who is there, with which role and permissions, what they publish,
 * the raised-hand queue and the active speakers, behind {@link dev.arena.server.stage.StageStore} (in this process
 * now, shared by many nodes later). The media side of a room (transports, tracks, forwarding) is the sfu's.
 */
package dev.arena.server.stage;
