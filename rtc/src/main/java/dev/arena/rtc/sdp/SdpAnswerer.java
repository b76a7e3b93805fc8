package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds an answer to a JSEP offer for a server (RFC 8829 section 5.3, RFC 3264 section 6), typically ICE-lite
 * (RFC 8445 section 2.5):
 * <ul>
 * <li>one m= section per offered section, same mids in the same order; sections with nothing we accept are
 *     rejected with port 0 and still listed (RFC 8829 section 5.3.1);</li>
 * <li>a=group:BUNDLE of the accepted mids (RFC 9143), a=rtcp-mux (RFC 5761), a=rtcp-rsize when offered (RFC 5506);</li>
 * <li>a=ice-lite, our a=ice-ufrag/a=ice-pwd, candidates and a=end-of-candidates (RFC 8839, RFC 8840);</li>
 * <li>our a=fingerprint (RFC 8122) and a=setup: passive to actpass (configurable), active to passive, passive to
 *     active (RFC 8842 section 5.3);</li>
 * <li>directions mirrored (sendonly to recvonly, recvonly to sendonly, sendrecv to what the caller wants);</li>
 * <li>codecs filtered to {@link AnswerOptions#codecs()} in offered order, with their rtx (RFC 4588), their
 *     accepted rtcp-fb lines and the accepted extmaps with the offered ids (RFC 8285);</li>
 * <li>simulcast (RFC 8853) answered with a=rid:x recv and a=simulcast:recv;</li>
 * <li>SCTP data-channel sections accepted with a=sctp-port and a=max-message-size (RFC 8841) or rejected.</li>
 * </ul>
 */
public final class SdpAnswerer {
    private static final String DEFAULT_ADDRESS = "0.0.0.0";
    private static final int DEFAULT_PORT = 9;

    private final AnswerOptions options;

    public SdpAnswerer(AnswerOptions options) {
        this.options = Objects.requireNonNull(options);
    }

    public AnswerOptions options() {
        return options;
    }

    /** Shorthand for {@code new SdpAnswerer(options).answer(offer)}. */
    public static SessionDescription answer(SessionDescription offer, AnswerOptions options) {
        return new SdpAnswerer(options).answer(offer);
    }

    /**
     * The answer to an offer.
     *
     * @throws IllegalArgumentException if a section of the offer has no a=mid (JSEP requires one in each)
     */
    public SessionDescription answer(SessionDescription offer) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < offer.media().size(); i++) {
            String mid = offer.media().get(i).mid();
            if (mid == null) {
                throw new IllegalArgumentException("offer m-section " + i + " has no a=mid");
            }
            if (!seen.add(mid)) {
                throw new IllegalArgumentException("offer has a=mid:" + mid + " twice");
            }
        }
        long sessionId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        SessionDescription answer = new SessionDescription(
                new Origin("-", Long.toString(sessionId), "2", "IN", "IP4", "127.0.0.1"));
        answer.addLine('t', "0 0");

        List<String> offeredBundle = offer.bundleMids();
        List<String> accepted = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            MediaDescription a = answerSection(offer, m, offeredBundle);
            if (a.port() != 0) {
                accepted.add(m.mid());
            }
            answer.media().add(a);
        }

        if (options.iceLite()) {
            answer.addAttribute("ice-lite", null);
        }
        if (!offeredBundle.isEmpty()) {
            List<String> group = new ArrayList<>();
            for (String mid : offeredBundle) {
                if (accepted.contains(mid)) {
                    group.add(mid);
                }
            }
            if (!group.isEmpty()) {
                answer.addAttribute("group", new Group("BUNDLE", group));
            }
        }
        if (offer.extmapAllowMixed() || offer.media().stream().anyMatch(m -> m.hasAttribute("extmap-allow-mixed"))) {
            answer.addAttribute("extmap-allow-mixed", null);
        }
        answer.addAttribute("msid-semantic", " WMS *");
        return answer;
    }

    private MediaDescription answerSection(SessionDescription offer, MediaDescription m, List<String> offeredBundle) {
        String mid = m.mid();
        boolean reject = m.isRejected() || options.rejectMids().contains(mid)
                || (options.requireBundle() && !offeredBundle.contains(mid));
        if (!reject && m.isDataChannel()) {
            return options.acceptDataChannel() ? dataChannel(offer, m) : rejected(m);
        }
        if (reject || !m.isRtp() || !m.rtcpMux() || !("audio".equals(m.media()) || "video".equals(m.media()))) {
            return rejected(m);
        }
        Codecs table = Codecs.of(m);
        List<Integer> pts = acceptedPayloadTypes(m, table);
        if (pts.isEmpty()) {
            return rejected(m);
        }
        return rtp(offer, m, pts, table);
    }

    /** The rtpmap and fmtp lines of a section, parsed once. */
    private record Codecs(Map<Integer, Rtpmap> rtpmaps, Map<Integer, Fmtp> fmtps, List<RtcpFb> feedback) {
        static Codecs of(MediaDescription m) {
            Map<Integer, Rtpmap> r = new HashMap<>();
            for (Rtpmap x : m.rtpmaps()) {
                r.putIfAbsent(x.payloadType(), x);
            }
            Map<Integer, Fmtp> f = new HashMap<>();
            for (Fmtp x : m.fmtps()) {
                int pt = x.payloadType();
                if (pt >= 0) {
                    f.putIfAbsent(pt, x);
                }
            }
            return new Codecs(r, f, m.rtcpFeedback());
        }
    }

    /** Accepted codecs and the rtx whose apt is one of them, in offered order. */
    private List<Integer> acceptedPayloadTypes(MediaDescription m, Codecs table) {
        Set<Integer> codecs = new LinkedHashSet<>();
        List<Integer> offered = m.payloadTypes();
        for (int pt : offered) {
            Rtpmap r = rtpmapOrStatic(table, pt);
            if (r == null || r.isRtx()) {
                continue;
            }
            Fmtp f = table.fmtps().get(pt);
            for (AnswerOptions.Codec c : options.codecs()) {
                if (c.matches(r, f)) {
                    codecs.add(pt);
                    break;
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int pt : offered) {
            if (out.contains(pt)) {
                continue;
            }
            if (codecs.contains(pt)) {
                out.add(pt);
            } else if (options.rtx() && !codecs.isEmpty()) {
                Rtpmap r = table.rtpmaps().get(pt);
                Fmtp f = table.fmtps().get(pt);
                if (r != null && r.isRtx() && f != null && codecs.contains(f.apt())) {
                    out.add(pt);
                }
            }
        }
        return out;
    }

    /** The rtpmap of a payload type, or the static one of RFC 3551 for 0, 8 and 9 when not given. */
    private static Rtpmap rtpmapOrStatic(Codecs table, int pt) {
        Rtpmap r = table.rtpmaps().get(pt);
        if (r != null) {
            return r;
        }
        return switch (pt) {
            case 0 -> new Rtpmap(0, "PCMU", 8000, 0);
            case 8 -> new Rtpmap(8, "PCMA", 8000, 0);
            case 9 -> new Rtpmap(9, "G722", 8000, 0);
            default -> null;
        };
    }

    private MediaDescription rtp(SessionDescription offer, MediaDescription m, List<Integer> pts, Codecs table) {
        String mid = m.mid();
        MediaDescription a = new MediaDescription(m.media(), defaultPort(), -1, m.protocol(),
                pts.stream().map(String::valueOf).toList());
        transport(offer, m, a);
        for (Extmap e : m.extmaps()) {
            if (options.headerExtensions().contains(e.uri())) {
                a.addAttribute("extmap", e.reversed());
            }
        }
        Direction wanted = options.directions().getOrDefault(mid, Direction.SENDRECV);
        Direction dir = m.direction().reverse().intersect(wanted);
        a.addAttribute(dir.attributeName(), null);
        AnswerOptions.SendTrack track = dir.sends() ? options.sendTracks().get(mid) : null;
        if (track != null) {
            a.addAttribute("msid", new Msid(track.streamId(), track.trackId()));
        }
        a.addAttribute("rtcp-mux", null);
        if (m.rtcpRsize()) {
            a.addAttribute("rtcp-rsize", null);
        }
        boolean rtxAccepted = false;
        for (int pt : pts) {
            Rtpmap r = table.rtpmaps().get(pt);
            if (r != null) {
                a.addAttribute("rtpmap", r);
                rtxAccepted |= r.isRtx();
            }
            for (RtcpFb fb : table.feedback()) {
                if (fb.payloadType().equals(Integer.toString(pt))
                        && (options.rtcpFeedback() == null || options.rtcpFeedback().contains(fb.feedback()))) {
                    a.addAttribute("rtcp-fb", fb);
                }
            }
            Fmtp f = table.fmtps().get(pt);
            if (f != null) {
                a.addAttribute("fmtp", f);
            }
        }
        if (options.acceptSimulcast() && dir.receives()) {
            simulcast(m, a, pts);
        }
        if (track != null) {
            boolean fid = rtxAccepted && track.rtxSsrc() != 0;
            if (fid) {
                a.addAttribute("ssrc-group", new SsrcGroup("FID", List.of(track.ssrc(), track.rtxSsrc())));
            }
            for (long ssrc : fid ? List.of(track.ssrc(), track.rtxSsrc()) : List.of(track.ssrc())) {
                a.addAttribute("ssrc", new Ssrc(ssrc, "cname", track.cname()));
                a.addAttribute("ssrc", new Ssrc(ssrc, "msid", track.streamId() + ' ' + track.trackId()));
            }
        }
        return a;
    }

    /** a=rid:x recv for each offered a=rid:x send in the offered a=simulcast:send, then a=simulcast:recv. */
    private static void simulcast(MediaDescription m, MediaDescription a, List<Integer> pts) {
        Simulcast sc = m.simulcast();
        if (sc == null || sc.send().isEmpty()) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (Rid rid : m.rids()) {
            if (!rid.send()) {
                continue;
            }
            List<Integer> ridPts = rid.payloadTypes().stream().filter(pts::contains).toList();
            if (!rid.payloadTypes().isEmpty() && ridPts.isEmpty()) {
                continue;
            }
            a.addAttribute("rid", new Rid(rid.id(), false, ridPts, rid.restrictions()));
            kept.add(rid.id());
        }
        List<List<Simulcast.Layer>> streams = new ArrayList<>();
        for (List<Simulcast.Layer> stream : sc.send()) {
            List<Simulcast.Layer> alts = stream.stream().filter(l -> kept.contains(l.rid())).toList();
            if (!alts.isEmpty()) {
                streams.add(alts);
            }
        }
        if (!streams.isEmpty()) {
            a.addAttribute("simulcast", new Simulcast(List.of(), streams));
        } else {
            a.removeAttributes("rid");
        }
    }

    private MediaDescription dataChannel(SessionDescription offer, MediaDescription m) {
        MediaDescription a = new MediaDescription(m.media(), defaultPort(), -1, m.protocol(), m.formats());
        transport(offer, m, a);
        for (SdpLine l : m.lines()) {
            if (l.isAttribute("sctp-port") || l.isAttribute("sctpmap")) {
                a.lines().add(l);
            }
        }
        if (m.hasAttribute("max-message-size") || m.hasAttribute("sctp-port")) {
            a.addAttribute("max-message-size", Long.toString(options.maxMessageSize()));
        }
        return a;
    }

    /** c=, candidates, end-of-candidates, ICE credentials, fingerprint, setup and mid. */
    private void transport(SessionDescription offer, MediaDescription m, MediaDescription a) {
        Candidate first = options.candidates().isEmpty() ? null : options.candidates().get(0);
        String address = first == null ? DEFAULT_ADDRESS : first.address();
        a.addLine('c', "IN " + (address.indexOf(':') >= 0 ? "IP6 " : "IP4 ") + address);
        for (Candidate c : options.candidates()) {
            a.addAttribute("candidate", c);
        }
        a.addAttribute("end-of-candidates", null);
        a.addAttribute("ice-ufrag", options.iceUfrag());
        a.addAttribute("ice-pwd", options.icePwd());
        a.addAttribute("fingerprint", options.fingerprint());
        a.addAttribute("setup", answerSetup(offer.setupFor(m)));
        a.addAttribute("mid", m.mid());
    }

    private Setup answerSetup(Setup offered) {
        if (offered == null) {
            return Setup.PASSIVE; // RFC 4145: an offer without a=setup means active
        }
        return switch (offered) {
            case ACTPASS -> options.setupForActpass();
            case ACTIVE -> Setup.PASSIVE;
            case PASSIVE -> Setup.ACTIVE;
            case HOLDCONN -> Setup.HOLDCONN;
        };
    }

    private int defaultPort() {
        return options.candidates().isEmpty() ? DEFAULT_PORT : options.candidates().get(0).port();
    }

    /** Port 0, the offered proto and formats, a=mid (RFC 8829 section 5.3.1). */
    private static MediaDescription rejected(MediaDescription m) {
        MediaDescription a = new MediaDescription(m.media(), 0, -1, m.protocol(), m.formats());
        a.addLine('c', "IN IP4 0.0.0.0");
        if (m.isRtp()) {
            a.addAttribute("inactive", null);
        }
        a.addAttribute("mid", m.mid());
        return a;
    }
}
