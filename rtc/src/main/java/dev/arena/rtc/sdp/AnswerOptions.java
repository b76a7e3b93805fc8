package dev.arena.rtc.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link SdpAnswerer} needs besides the offer: our ICE credentials, certificate fingerprint and candidates,
 * and what we accept. Build with {@link #builder(String, String, Fingerprint)}; everything else has a default:
 * ICE-lite, codecs opus/48000/2 and VP8/90000 with their RTX, the header extensions an SFU uses
 * ({@link #DEFAULT_HEADER_EXTENSIONS}), the usual RTCP feedback ({@link #DEFAULT_RTCP_FEEDBACK}), data channels
 * and simulcast accepted, sendrecv where the offer allows it, setup:passive to an actpass offer.
 *
 * @param iceUfrag          our a=ice-ufrag (RFC 8839: 4 to 256 ice-chars)
 * @param icePwd            our a=ice-pwd (22 to 256 ice-chars)
 * @param fingerprint       our DTLS certificate fingerprint
 * @param candidates        our candidates, in every accepted section, followed by a=end-of-candidates
 * @param iceLite           write a=ice-lite at session level
 * @param codecs            codecs we accept, matched by name (case-insensitive), clock rate, channels and fmtp
 * @param rtx               keep rtx payload types whose apt is an accepted codec
 * @param headerExtensions  extmap URIs we accept (same ids as offered)
 * @param rtcpFeedback      rtcp-fb values we accept ("nack", "nack pli", ...); null keeps all offered
 * @param acceptDataChannel accept SCTP data-channel sections (else reject them with port 0)
 * @param maxMessageSize    our a=max-message-size for data channels (RFC 8841)
 * @param acceptSimulcast   answer an offer's a=simulcast:send / a=rid:x send with recv (RFC 8853)
 * @param requireBundle     reject sections that the offer did not put in its BUNDLE group (one transport per peer)
 * @param directions        per mid, the direction we want (intersected with the mirror of the offer); default sendrecv
 * @param rejectMids        mids to reject with port 0
 * @param sendTracks        per mid, the track we send (a=msid, a=ssrc, a=ssrc-group:FID), if the direction sends
 * @param setupForActpass   our a=setup to an actpass offer: PASSIVE (we are the DTLS server) or ACTIVE
 */
public record AnswerOptions(String iceUfrag, String icePwd, Fingerprint fingerprint, List<Candidate> candidates,
                            boolean iceLite, List<Codec> codecs, boolean rtx, Set<String> headerExtensions,
                            Set<String> rtcpFeedback, boolean acceptDataChannel, long maxMessageSize,
                            boolean acceptSimulcast, boolean requireBundle, Map<String, Direction> directions,
                            Set<String> rejectMids, Map<String, SendTrack> sendTracks, Setup setupForActpass) {

    /**
     * A codec we accept. {@code channels} 0 matches any channel count; {@code fmtp} entries must all be present
     * with equal values (case-insensitive) in the offered fmtp, e.g. {@code packetization-mode=1} for H264.
     */
    public record Codec(String name, int clockRate, int channels, Map<String, String> fmtp) {
        public Codec {
            Objects.requireNonNull(name);
            fmtp = Map.copyOf(fmtp);
        }

        public Codec(String name, int clockRate, int channels) {
            this(name, clockRate, channels, Map.of());
        }

        boolean matches(Rtpmap r, Fmtp f) {
            if (!name.equalsIgnoreCase(r.encoding()) || clockRate != r.clockRate()) {
                return false;
            }
            if (channels != 0 && channels != r.channelsOrOne()) {
                return false;
            }
            if (!fmtp.isEmpty()) {
                Map<String, String> offered = f == null ? Map.of() : f.parameters();
                for (var e : fmtp.entrySet()) {
                    String v = offered.get(e.getKey());
                    if (v == null || !v.toLowerCase(Locale.ROOT).equals(e.getValue().toLowerCase(Locale.ROOT))) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /**
     * A track we send on a mid: written as a=msid:{streamId} {trackId} and a=ssrc lines with cname and msid, plus
     * a=ssrc-group:FID when {@code rtxSsrc} is not 0 and an rtx payload type was accepted.
     */
    public record SendTrack(String streamId, String trackId, String cname, long ssrc, long rtxSsrc) {
        public SendTrack {
            Objects.requireNonNull(streamId);
            Objects.requireNonNull(trackId);
            Objects.requireNonNull(cname);
            if (ssrc < 0 || ssrc > 0xFFFF_FFFFL || rtxSsrc < 0 || rtxSsrc > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("SSRC out of 32-bit range");
            }
        }
    }

    public static final Codec OPUS = new Codec("opus", 48000, 2);
    public static final Codec VP8 = new Codec("VP8", 90000, 0);
    /** H264 constrained baseline, packetization-mode 1, as browsers offer it. */
    public static final Codec H264 = new Codec("H264", 90000, 0, Map.of("packetization-mode", "1", "profile-level-id", "42e01f"));

    public static final String EXT_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String EXT_RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String EXT_REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String EXT_ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String EXT_TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String EXT_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    public static final Set<String> DEFAULT_HEADER_EXTENSIONS = Set.of(EXT_MID, EXT_RID, EXT_REPAIRED_RID,
            EXT_ABS_SEND_TIME, EXT_TRANSPORT_CC, EXT_AUDIO_LEVEL);
    public static final Set<String> DEFAULT_RTCP_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");

    public AnswerOptions {
        checkIceChars(iceUfrag, 4, "iceUfrag");
        checkIceChars(icePwd, 22, "icePwd");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
        codecs = List.copyOf(codecs);
        headerExtensions = Set.copyOf(headerExtensions);
        rtcpFeedback = rtcpFeedback == null ? null : Set.copyOf(rtcpFeedback);
        directions = Map.copyOf(directions);
        rejectMids = Set.copyOf(rejectMids);
        sendTracks = Map.copyOf(sendTracks);
        if (setupForActpass != Setup.ACTIVE && setupForActpass != Setup.PASSIVE) {
            throw new IllegalArgumentException("setupForActpass must be ACTIVE or PASSIVE");
        }
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize < 0");
        }
    }

    private static void checkIceChars(String s, int min, String what) {
        Objects.requireNonNull(s, what);
        if (s.length() < min || s.length() > 256) {
            throw new IllegalArgumentException(what + " must have " + min + " to 256 chars");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128 || c == '+' || c == '/')) {
                throw new IllegalArgumentException(what + " has a char outside ALPHA / DIGIT / '+' / '/'");
            }
        }
    }

    public static Builder builder(String iceUfrag, String icePwd, Fingerprint fingerprint) {
        return new Builder(iceUfrag, icePwd, fingerprint);
    }

    /** A builder with the defaults described on {@link AnswerOptions}. */
    public static final class Builder {
        private final String iceUfrag;
        private final String icePwd;
        private final Fingerprint fingerprint;
        private final List<Candidate> candidates = new ArrayList<>();
        private boolean iceLite = true;
        private List<Codec> codecs = List.of(OPUS, VP8);
        private boolean rtx = true;
        private Set<String> headerExtensions = DEFAULT_HEADER_EXTENSIONS;
        private Set<String> rtcpFeedback = DEFAULT_RTCP_FEEDBACK;
        private boolean acceptDataChannel = true;
        private long maxMessageSize = 262144;
        private boolean acceptSimulcast = true;
        private boolean requireBundle = true;
        private final Map<String, Direction> directions = new LinkedHashMap<>();
        private final Set<String> rejectMids = new LinkedHashSet<>();
        private final Map<String, SendTrack> sendTracks = new LinkedHashMap<>();
        private Setup setupForActpass = Setup.PASSIVE;

        private Builder(String iceUfrag, String icePwd, Fingerprint fingerprint) {
            this.iceUfrag = iceUfrag;
            this.icePwd = icePwd;
            this.fingerprint = fingerprint;
        }

        public Builder candidate(Candidate c) {
            candidates.add(Objects.requireNonNull(c));
            return this;
        }

        /** Adds UDP host candidates with foundations 1, 2, ... e.g. {@code 1 1 udp 2130706431 127.0.0.1 40000 typ host}. */
        public Builder hostCandidates(List<InetSocketAddress> addresses) {
            for (InetSocketAddress a : addresses) {
                candidates.add(Candidate.host(Integer.toString(candidates.size() + 1), a));
            }
            return this;
        }

        public Builder iceLite(boolean v) {
            iceLite = v;
            return this;
        }

        public Builder codecs(List<Codec> v) {
            codecs = List.copyOf(v);
            return this;
        }

        public Builder rtx(boolean v) {
            rtx = v;
            return this;
        }

        public Builder headerExtensions(Set<String> v) {
            headerExtensions = Set.copyOf(v);
            return this;
        }

        /** null keeps every rtcp-fb offered for an accepted codec. */
        public Builder rtcpFeedback(Set<String> v) {
            rtcpFeedback = v;
            return this;
        }

        public Builder acceptDataChannel(boolean v) {
            acceptDataChannel = v;
            return this;
        }

        public Builder maxMessageSize(long v) {
            maxMessageSize = v;
            return this;
        }

        public Builder acceptSimulcast(boolean v) {
            acceptSimulcast = v;
            return this;
        }

        public Builder requireBundle(boolean v) {
            requireBundle = v;
            return this;
        }

        public Builder direction(String mid, Direction d) {
            directions.put(mid, d);
            return this;
        }

        public Builder reject(String mid) {
            rejectMids.add(mid);
            return this;
        }

        public Builder sendTrack(String mid, SendTrack t) {
            sendTracks.put(mid, t);
            return this;
        }

        public Builder setupForActpass(Setup v) {
            setupForActpass = v;
            return this;
        }

        public AnswerOptions build() {
            return new AnswerOptions(iceUfrag, icePwd, fingerprint, candidates, iceLite, codecs, rtx, headerExtensions,
                    rtcpFeedback, acceptDataChannel, maxMessageSize, acceptSimulcast, requireBundle, directions,
                    rejectMids, sendTracks, setupForActpass);
        }
    }
}
