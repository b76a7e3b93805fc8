/**
 * SDP for WebRTC: a model, parser and writer (RFC 8866) covering what JSEP (RFC 8829, unified plan) uses, and an
 * answerer for an ICE-lite server.
 *
 * <ul>
 * <li>{@link dev.arena.rtc.sdp.SessionDescription#parse(String)} reads an offer or answer; {@code toString()}
 *     writes it back with CRLF. Unknown attributes and lines are kept verbatim and in order, so real offers
 *     round-trip exactly. Malformed input gives a {@link dev.arena.rtc.sdp.SdpParseException} naming the line;
 *     {@link dev.arena.rtc.sdp.SdpLimits} bound size, lines, line length and m= sections.</li>
 * <li>Typed attributes: BUNDLE groups (RFC 9143, RFC 5888), candidates (RFC 8839), fingerprint (RFC 8122),
 *     setup (RFC 8842), rtpmap/fmtp (RFC 8866), rtcp-fb (RFC 4585), extmap (RFC 8285), msid (RFC 8830),
 *     ssrc and ssrc-group (RFC 5576), rid (RFC 8851), simulcast (RFC 8853), sctp-port and max-message-size
 *     (RFC 8841).</li>
 * <li>{@link dev.arena.rtc.sdp.SdpAnswerer} with {@link dev.arena.rtc.sdp.AnswerOptions} builds the answer.</li>
 * </ul>
 * The parser is for the signaling path, not the packet path: it allocates freely and may throw.
 */
package dev.arena.rtc.sdp;
