package dev.arena.bots.peer;

import dev.arena.bots.media.MediaKind;
import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.sdp.Direction;
import dev.arena.rtc.sdp.Extmap;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.Origin;
import dev.arena.rtc.sdp.Rtpmap;
import dev.arena.rtc.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the bot's descriptions with the rtc.sdp model: a BUNDLE offer (one section per {@link LocalSection}, the
 * same ICE credentials and fingerprint in each, a=setup:actpass, rtcp-mux, no candidates) and the answer to a
 * remote offer (Janus subscribers: receive-only sections, a=setup:active, the remote's payload types and extension
 * ids). What a browser offers, trimmed to what the bots use: Opus 111, VP8 96 with rtx 97, NACK, PLI, FIR, REMB and
 * transport-cc feedback, and the mid, transport-cc, abs-capture-time and (audio) audio-level extensions.
 */
final class BotSdp {
    static final int OPUS_PT = 111;
    static final int VP8_PT = 96;
    static final int RTX_PT = 97;
    static final String EXT_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    static final String EXT_TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    static final String EXT_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    static final String EXT_ABS_CAPTURE_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";
    /** Ids we offer (as Chrome numbers them where it has them); an answer mirrors them. */
    static final int ID_AUDIO_LEVEL = 1;
    static final int ID_TRANSPORT_CC = 3;
    static final int ID_MID = 4;
    static final int ID_ABS_CAPTURE_TIME = 5;
    private static final String PROTOCOL = "UDP/TLS/RTP/SAVPF";

    private BotSdp() {
    }

    /** Our offer: every section, in order, with the same transport attributes. */
    static String offer(String sessionId, long version, IceCredentials ice, DtlsCertificate certificate,
                        String cname, List<LocalSection> sections) {
        SessionDescription sd = session(sessionId, version, sections);
        for (LocalSection s : sections) {
            MediaDescription m = new MediaDescription(s.kind.sdpName(), 9, -1, PROTOCOL,
                    s.kind == MediaKind.AUDIO ? List.of(Integer.toString(OPUS_PT))
                            : List.of(Integer.toString(VP8_PT), Integer.toString(RTX_PT)));
            transport(m, s.mid, ice, certificate, "actpass");
            extensions(m, s.kind, ID_AUDIO_LEVEL, ID_TRANSPORT_CC, ID_MID, ID_ABS_CAPTURE_TIME);
            Direction d = !s.sends() ? Direction.RECVONLY : s.active ? Direction.SENDONLY : Direction.INACTIVE;
            m.addAttribute(d.attributeName(), null);
            if (s.sends() && s.active) {
                m.addAttribute("msid", s.streamId + " " + s.trackId);
            }
            m.addAttribute("rtcp-mux", null);
            m.addAttribute("rtcp-rsize", null);
            codecs(m, s.kind, OPUS_PT, VP8_PT, RTX_PT);
            if (s.sends() && s.active) {
                ssrcs(m, s, cname);
            }
            sd.media().add(m);
        }
        return sd.toString();
    }

    /**
     * Our answer to a remote offer: the accepted sections receive only (in the remote's payload types and
     * extension ids), the others are rejected (port 0).
     */
    static String answer(SessionDescription offer, String sessionId, long version, IceCredentials ice,
                         DtlsCertificate certificate, List<LocalSection> sections) {
        SessionDescription sd = session(sessionId, version, sections);
        for (int i = 0; i < sections.size(); i++) {
            LocalSection s = sections.get(i);
            MediaDescription o = offer.media().get(i);
            if (s.rejected) {
                MediaDescription m = new MediaDescription(o.media(), 0, -1, o.protocol(), o.formats());
                m.addLine('c', "IN IP4 0.0.0.0");
                if (o.mid() != null) {
                    m.addAttribute("mid", o.mid());
                }
                m.addAttribute("inactive", null);
                sd.media().add(m);
                continue;
            }
            List<String> formats = new ArrayList<>();
            formats.add(Integer.toString(s.offeredCodecPt));
            if (s.offeredRtxPt >= 0) {
                formats.add(Integer.toString(s.offeredRtxPt));
            }
            MediaDescription m = new MediaDescription(s.kind.sdpName(), 9, -1, o.protocol(), formats);
            transport(m, s.mid, ice, certificate, "active");
            extensions(m, s.kind, idOf(o, EXT_AUDIO_LEVEL), idOf(o, EXT_TRANSPORT_CC), idOf(o, EXT_MID),
                    idOf(o, EXT_ABS_CAPTURE_TIME));
            m.addAttribute(o.direction().sends() ? "recvonly" : "inactive", null);
            m.addAttribute("rtcp-mux", null);
            if (o.rtcpRsize()) {
                m.addAttribute("rtcp-rsize", null);
            }
            codecs(m, s.kind, s.offeredCodecPt, s.offeredCodecPt, s.offeredRtxPt);
            sd.media().add(m);
        }
        return sd.toString();
    }

    private static SessionDescription session(String sessionId, long version, List<LocalSection> sections) {
        SessionDescription sd = new SessionDescription(new Origin("-", sessionId, Long.toString(version), "IN",
                "IP4", "127.0.0.1"));
        sd.addLine('t', "0 0");
        StringBuilder bundle = new StringBuilder("BUNDLE");
        for (LocalSection s : sections) {
            if (!s.rejected) {
                bundle.append(' ').append(s.mid);
            }
        }
        sd.addAttribute("group", bundle.toString());
        sd.addAttribute("msid-semantic", " WMS *");
        return sd;
    }

    private static void transport(MediaDescription m, String mid, IceCredentials ice, DtlsCertificate certificate,
                                  String setup) {
        m.addLine('c', "IN IP4 0.0.0.0");
        m.addAttribute("rtcp", "9 IN IP4 0.0.0.0");
        m.addAttribute("ice-ufrag", ice.ufrag());
        m.addAttribute("ice-pwd", ice.pwd());
        m.addAttribute("fingerprint", certificate.fingerprint());
        m.addAttribute("setup", setup);
        m.addAttribute("mid", mid);
    }

    /** Extension lines for the ids given; an id of 0 leaves that extension out. */
    private static void extensions(MediaDescription m, MediaKind kind, int audioLevel, int transportCc, int mid,
                                   int absCaptureTime) {
        if (kind == MediaKind.AUDIO && audioLevel > 0) {
            m.addAttribute("extmap", new Extmap(audioLevel, null, EXT_AUDIO_LEVEL, null));
        }
        if (transportCc > 0) {
            m.addAttribute("extmap", new Extmap(transportCc, null, EXT_TRANSPORT_CC, null));
        }
        if (mid > 0) {
            m.addAttribute("extmap", new Extmap(mid, null, EXT_MID, null));
        }
        if (absCaptureTime > 0) {
            m.addAttribute("extmap", new Extmap(absCaptureTime, null, EXT_ABS_CAPTURE_TIME, null));
        }
    }

    private static void codecs(MediaDescription m, MediaKind kind, int opusPt, int vp8Pt, int rtxPt) {
        if (kind == MediaKind.AUDIO) {
            m.addAttribute("rtpmap", new Rtpmap(opusPt, "opus", 48000, 2));
            m.addAttribute("rtcp-fb", opusPt + " transport-cc");
            m.addAttribute("fmtp", opusPt + " minptime=10;useinbandfec=1");
            return;
        }
        m.addAttribute("rtpmap", new Rtpmap(vp8Pt, "VP8", 90000, 0));
        m.addAttribute("rtcp-fb", vp8Pt + " goog-remb");
        m.addAttribute("rtcp-fb", vp8Pt + " transport-cc");
        m.addAttribute("rtcp-fb", vp8Pt + " ccm fir");
        m.addAttribute("rtcp-fb", vp8Pt + " nack");
        m.addAttribute("rtcp-fb", vp8Pt + " nack pli");
        if (rtxPt >= 0) {
            m.addAttribute("rtpmap", new Rtpmap(rtxPt, "rtx", 90000, 0));
            m.addAttribute("fmtp", rtxPt + " apt=" + vp8Pt);
        }
    }

    private static void ssrcs(MediaDescription m, LocalSection s, String cname) {
        long ssrc = Integer.toUnsignedLong(s.ssrc);
        if (s.rtxSsrc != 0) {
            m.addAttribute("ssrc-group", "FID " + ssrc + " " + Integer.toUnsignedLong(s.rtxSsrc));
        }
        m.addAttribute("ssrc", ssrc + " cname:" + cname);
        m.addAttribute("ssrc", ssrc + " msid:" + s.streamId + " " + s.trackId);
        if (s.rtxSsrc != 0) {
            long rtx = Integer.toUnsignedLong(s.rtxSsrc);
            m.addAttribute("ssrc", rtx + " cname:" + cname);
            m.addAttribute("ssrc", rtx + " msid:" + s.streamId + " " + s.trackId);
        }
    }

    /** The id the section maps {@code uri} to, 0 when it does not. */
    static int idOf(MediaDescription m, String uri) {
        Extmap e = m.extmap(uri);
        return e == null ? 0 : e.id();
    }
}
