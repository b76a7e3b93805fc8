/**
 * One bot's media connection. {@link dev.arena.bots.peer.BotPeer} is the {@link dev.arena.bots.peer.SdpPeer} a
 * target drives: it writes offers and answers ({@code BotSdp}, on the rtc.sdp model), reads what the remote chose
 * ({@code Negotiated}), and on the first answer starts an rtc client transport (ICE controlling, DTLS, SRTP) on the
 * shared loops of its {@link dev.arena.bots.peer.BotContext}. Everything per packet runs in {@code MediaSession} on
 * that transport's loop, with one timer per bot:
 * <ul>
 * <li>{@code SendStream}: a source paced by its send times, RTP with mid, transport-cc, abs-capture-time and audio
 *     level extensions, a packet history answering NACKs (RTX, or the stored SRTP bytes resent), sender reports;</li>
 * <li>{@code ReceiveStream}: one remote SSRC as a browser receives it (RTX unwrapped, duplicates ignored, loss after
 *     retransmission, RFC 3550 jitter, NACKs, throttled PLIs, receiver reports); latency from abs-capture-time
 *     against {@code WallClock}.</li>
 * </ul>
 */
package dev.arena.bots.peer;
