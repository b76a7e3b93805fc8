package dev.arena.sfu.room;

import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Direction;
import dev.arena.rtc.sdp.Extmap;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.Rtpmap;
import dev.arena.rtc.sdp.SdpAnswerer;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The SDP glue between a participant's offer and the room (JSEP, RFC 8829 section 5.3): each offered audio/video
 * section that sends and lists its SSRC (a=ssrc, RFC 5576) becomes a published track when publishing is allowed;
 * each section that can receive gets one of the room's tracks of its kind, declared as our send track (a=msid,
 * a=ssrc); the answer's payload types and extension ids (which mirror the offer's) become the specs that map
 * every packet. Pure: no room state is touched; the caller applies the {@link Negotiation} on the room's loop.
 *
 * <p>Not yet: simulcast (a=rid) and SSRC-less sections, RTX, renegotiation when tracks come and go.
 */
public final class RoomSdp {
    /** Header extensions we accept: those of an SFU plus the ones we forward end to end. */
    public static final Set<String> HEADER_EXTENSIONS;

    static {
        Set<String> s = new LinkedHashSet<>(AnswerOptions.DEFAULT_HEADER_EXTENSIONS);
        s.addAll(Subscription.FORWARDED_EXTENSIONS);
        HEADER_EXTENSIONS = Set.copyOf(s);
    }

    private RoomSdp() {}

    /** A track assigned to a section of the subscriber's offer, with what the subscriber negotiated for it. */
    public record Delivery(Track track, SubscriberSpec spec) {
        public Delivery {
            Objects.requireNonNull(track);
            Objects.requireNonNull(spec);
        }
    }

    /** The answer, the tracks it accepted to receive, and the tracks it declared to send. */
    public record Negotiation(SessionDescription answer, List<TrackSpec> published, List<Delivery> deliveries) {
        public Negotiation {
            published = List.copyOf(published);
            deliveries = List.copyOf(deliveries);
        }
    }

    /**
     * Answers {@code offer}.
     *
     * @param options   a builder with our ICE credentials, fingerprint and candidates; directions, send tracks,
     *                  extensions, RTX, simulcast and data channels are set here
     * @param publish   accept the offer's sending sections as published tracks
     * @param available tracks to deliver, assigned in order to receiving sections of the same kind
     * @param ssrcs     source of our SSRCs (non-zero, unique toward this participant)
     */
    public static Negotiation negotiate(SessionDescription offer, AnswerOptions.Builder options, boolean publish,
                                        List<Track> available, IntSupplier ssrcs) {
        options.acceptDataChannel(false).acceptSimulcast(false).rtx(false).headerExtensions(HEADER_EXTENSIONS);
        List<Track> unassigned = new ArrayList<>(available);
        Map<String, Track> sendByMid = new HashMap<>();
        Map<String, Integer> ssrcByMid = new HashMap<>();
        Set<String> receiveMids = new HashSet<>();
        Set<Integer> used = new HashSet<>();
        for (MediaDescription m : offer.media()) {
            MediaKind kind = MediaKind.of(m.media());
            if (m.isRejected() || !m.isRtp() || m.mid() == null || kind == null) {
                continue;
            }
            boolean receive = publish && m.direction().sends() && primarySsrc(m) != 0;
            Track track = null;
            if (m.direction().receives()) {
                for (Track t : unassigned) {
                    if (t.kind() == kind) {
                        track = t;
                        break;
                    }
                }
            }
            options.direction(m.mid(), Direction.of(track != null, receive));
            if (receive) {
                receiveMids.add(m.mid());
            }
            if (track != null) {
                unassigned.remove(track);
                int ssrc;
                do {
                    ssrc = ssrcs.getAsInt();
                } while (ssrc == 0 || !used.add(ssrc));
                sendByMid.put(m.mid(), track);
                ssrcByMid.put(m.mid(), ssrc);
                options.sendTrack(m.mid(), new AnswerOptions.SendTrack(track.publisher().id(), track.id(),
                        "arena-" + track.publisher().id(), Integer.toUnsignedLong(ssrc), 0));
            }
        }
        SessionDescription answer = SdpAnswerer.answer(offer, options.build());
        List<TrackSpec> published = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (MediaDescription a : answer.media()) {
            if (a.port() == 0 || a.mid() == null) {
                continue;
            }
            MediaDescription o = offer.mediaByMid(a.mid());
            List<RtpCodec> codecs = codecs(a);
            Map<String, Integer> extensionIds = extensionIds(a);
            if (codecs.stream().allMatch(RtpCodec::isRtx)) {
                continue;
            }
            if (receiveMids.contains(a.mid()) && a.direction().receives()) {
                published.add(new TrackSpec(MediaKind.of(a.media()), a.mid(), primarySsrc(o), rtxSsrc(o), codecs,
                        extensionIds));
            }
            Track t = sendByMid.get(a.mid());
            if (t != null && a.direction().sends()) {
                deliveries.add(new Delivery(t, new SubscriberSpec(a.mid(), ssrcByMid.get(a.mid()), 0, codecs,
                        extensionIds)));
            }
        }
        return new Negotiation(answer, published, deliveries);
    }

    /** The payload types of a section with their rtpmaps, in m= line order. */
    static List<RtpCodec> codecs(MediaDescription m) {
        List<RtpCodec> out = new ArrayList<>();
        for (int pt : m.payloadTypes()) {
            Rtpmap r = m.rtpmap(pt);
            if (r != null) {
                out.add(new RtpCodec(pt, r.encoding(), r.clockRate(), r.channels()));
            }
        }
        return out;
    }

    /** a=extmap id by URI. */
    static Map<String, Integer> extensionIds(MediaDescription m) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Extmap e : m.extmaps()) {
            ids.putIfAbsent(e.uri(), e.id());
        }
        return ids;
    }

    /** The media SSRC of a section: the first of its FID group, else its first a=ssrc; 0 if none. */
    static int primarySsrc(MediaDescription m) {
        for (SsrcGroup g : m.ssrcGroups()) {
            if ("FID".equals(g.semantics()) && !g.ssrcs().isEmpty()) {
                return (int) (long) g.ssrcs().getFirst();
            }
        }
        List<Long> ids = m.ssrcIds();
        return ids.isEmpty() ? 0 : (int) (long) ids.getFirst();
    }

    /** The RTX SSRC of a section (second of its FID group), 0 if none. */
    static int rtxSsrc(MediaDescription m) {
        for (SsrcGroup g : m.ssrcGroups()) {
            if ("FID".equals(g.semantics()) && g.ssrcs().size() >= 2) {
                return (int) (long) g.ssrcs().get(1);
            }
        }
        return 0;
    }
}
