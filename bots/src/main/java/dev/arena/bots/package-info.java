/**
 * Load generator: thousands of simulated WebRTC users (bots) per core against Arena, Janus or any WHIP/WHEP server.
 * <ul>
 * <li>{@code media}: what publishing bots send (VP8 from IVF, Opus from Ogg, synthetic), packetized and timed;</li>
 * <li>{@code peer}: one bot's media connection (the rtc client transport on shared loops, SDP, sending, receiving
 *     with browser-like feedback, measurements);</li>
 * <li>{@code target}: how a bot reaches a server (Arena signaling, Janus VideoRoom, WHIP/WHEP);</li>
 * <li>{@code scenario}: who joins when and does what (broadcast, conference, stage, churn), ramp-up, shards;</li>
 * <li>{@code report}: live progress, the final report (text, JSON, HdrHistogram logs), merging shard reports.</li>
 * </ul>
 */
package dev.arena.bots;
