/**
 * ICE (RFC 8445) for Arena's two roles: {@link dev.arena.rtc.ice.IceLiteServer} is the ICE-lite responder
 * on the media server's shared UDP port (section 2.5), with consent freshness (RFC 7675) and ICE restart;
 * {@link dev.arena.rtc.ice.IceControllingAgent} is a full agent in the controlling role for bots and relays
 * (connectivity checks with retransmission, regular nomination, consent). Both send through
 * {@link dev.arena.rtc.udp.DatagramSender} and take time from an injected clock and scheduler.
 */
package dev.arena.rtc.ice;
