package dev.arena.bots.peer;

import dev.arena.bots.media.MediaKind;
import dev.arena.rtc.sdp.Fmtp;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.RtcpFb;
import dev.arena.rtc.sdp.Rtpmap;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one offer/answer exchange settled, in the form the bot's event loop uses: payload types and extension ids
 * (one set for the BUNDLE transport, as JSEP requires the same mapping across its sections), whether video gets NACK
 * and PLI, what each of our sending sections sends, and the remote's declared SSRCs (media and RTX).
 *
 * @param opusPt        payload type of Opus, -1 if no section has it
 * @param vp8Pt         payload type of VP8, -1 if none
 * @param rtxPt         payload type of RTX for VP8 (apt) in the sections that accepted it, -1 if none did
 * @param nack          video sections take generic NACK
 * @param pli           video sections take PLI
 * @param senders       our sending sections the answer accepted
 * @param remoteSsrcs   remote media SSRC -> its kind (from a=ssrc of sections that send to us)
 * @param remoteRtx     remote RTX SSRC -> its media SSRC (a=ssrc-group:FID)
 */
record Negotiated(int opusPt, int vp8Pt, int rtxPt, boolean nack, boolean pli, int audioLevelId, int transportCcId,
                  int midId, int absCaptureTimeId, List<Sender> senders, Map<Integer, MediaKind> remoteSsrcs,
                  Map<Integer, Integer> remoteRtx) {

    /** One sending section: its source goes out on {@code payloadType}, with RTX when {@code rtxPayloadType >= 0}. */
    record Sender(LocalSection section, int payloadType, int rtxPayloadType) {
    }

    /** The remote description that completes ours ({@code sections}, in order, one per m-section of it). */
    static Negotiated read(SessionDescription remote, List<LocalSection> sections) throws PeerException {
        if (remote.media().size() != sections.size()) {
            throw new PeerException("the answer has " + remote.media().size() + " media sections, the offer had "
                    + sections.size() + " (they must match one to one)");
        }
        int opus = -1;
        int vp8 = -1;
        int rtx = -1;
        boolean nack = false;
        boolean pli = false;
        int audioLevel = 0;
        int transportCc = 0;
        int mid = 0;
        int absCapture = 0;
        Map<Integer, MediaKind> remoteSsrcs = new HashMap<>();
        Map<Integer, Integer> remoteRtx = new HashMap<>();
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            LocalSection s = sections.get(i);
            MediaDescription m = remote.media().get(i);
            if (!s.mid.equals(m.mid()) && m.mid() != null) {
                throw new PeerException("media section " + i + " has mid " + m.mid() + ", expected " + s.mid);
            }
            if (m.isRejected() || s.rejected) {
                if (s.sends() && s.active) {
                    throw new PeerException("the answer rejects the " + s.kind.sdpName() + " section we publish on"
                            + " (mid " + s.mid + ")");
                }
                continue;
            }
            int codecPt = -1;
            int sectionRtx = -1;
            try {
                for (Rtpmap r : m.rtpmaps()) {
                    if (s.kind == MediaKind.AUDIO && codecPt < 0 && r.encoding().equalsIgnoreCase("opus")) {
                        codecPt = r.payloadType();
                    } else if (s.kind == MediaKind.VIDEO && codecPt < 0 && r.encoding().equalsIgnoreCase("VP8")) {
                        codecPt = r.payloadType();
                    }
                }
                if (s.kind == MediaKind.VIDEO && codecPt >= 0) {
                    for (Fmtp f : m.fmtps()) {
                        Rtpmap r = m.rtpmap(f.payloadType());
                        if (r != null && r.isRtx() && f.apt() == codecPt) {
                            sectionRtx = f.payloadType();
                        }
                    }
                    for (RtcpFb fb : m.rtcpFeedback(codecPt)) {
                        nack |= "nack".equals(fb.type()) && fb.parameter() == null;
                        pli |= "nack".equals(fb.type()) && "pli".equals(fb.parameter());
                    }
                }
                audioLevel = first(audioLevel, BotSdp.idOf(m, BotSdp.EXT_AUDIO_LEVEL));
                transportCc = first(transportCc, BotSdp.idOf(m, BotSdp.EXT_TRANSPORT_CC));
                mid = first(mid, BotSdp.idOf(m, BotSdp.EXT_MID));
                absCapture = first(absCapture, BotSdp.idOf(m, BotSdp.EXT_ABS_CAPTURE_TIME));
                if (m.direction().sends()) {
                    Map<Integer, Integer> fid = new HashMap<>();
                    for (SsrcGroup g : m.ssrcGroups()) {
                        if ("FID".equals(g.semantics()) && g.ssrcs().size() >= 2) {
                            fid.put((int) (long) g.ssrcs().get(1), (int) (long) g.ssrcs().get(0));
                        }
                    }
                    remoteRtx.putAll(fid);
                    for (long ssrc : m.ssrcIds()) {
                        if (!fid.containsKey((int) ssrc)) {
                            remoteSsrcs.put((int) ssrc, s.kind);
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new PeerException("media section " + s.mid + ": " + e.getMessage(), e);
            }
            if (codecPt < 0) {
                if (s.sends() && s.active) {
                    throw new PeerException("the answer's " + s.kind.sdpName() + " section (mid " + s.mid + ") has no "
                            + (s.kind == MediaKind.AUDIO ? "opus" : "VP8") + " payload type");
                }
                continue;
            }
            if (s.kind == MediaKind.AUDIO && opus < 0) {
                opus = codecPt;
            } else if (s.kind == MediaKind.VIDEO && vp8 < 0) {
                vp8 = codecPt;
            }
            if (rtx < 0 && sectionRtx >= 0) {
                rtx = sectionRtx; // receiving: RTX is known by its payload type wherever a section accepted it
            }
            if (s.sends() && s.active && m.direction().receives()) {
                senders.add(new Sender(s, codecPt, sectionRtx));
            }
        }
        return new Negotiated(opus, vp8, rtx, nack, pli, audioLevel, transportCc, mid, absCapture,
                List.copyOf(senders), Map.copyOf(remoteSsrcs), Map.copyOf(remoteRtx));
    }

    /** The value already chosen, else the new one (0 means none yet). */
    private static int first(int chosen, int candidate) {
        return chosen != 0 ? chosen : candidate;
    }

    /** The kind a payload type carries, null if neither Opus nor VP8 (RTX included: see {@link #isRtx}). */
    MediaKind kindOf(int pt) {
        if (pt == opusPt) {
            return MediaKind.AUDIO;
        }
        if (pt == vp8Pt) {
            return MediaKind.VIDEO;
        }
        return null;
    }

    boolean isRtx(int pt) {
        return rtxPt >= 0 && pt == rtxPt;
    }
}
