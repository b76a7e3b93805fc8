package dev.arena.sfu.room;

import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Direction;
import dev.arena.rtc.sdp.Extmap;
import dev.arena.rtc.sdp.Fmtp;
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
 * every packet. Pure: no room state is touched; the caller applies the {@link Negotiation} on the room's home loop.
 *
 * <p>Renegotiation: a re-offer is answered against what the participant has ({@link Current}); see
 * {@link #negotiate(SessionDescription, AnswerOptions.Builder, int, boolean, Current, List, IntSupplier)}.
 * RTX (RFC 4588) is accepted on sections that only deliver to the participant; we retransmit on it.
 *
 * <p>Not yet: simulcast (a=rid) and SSRC-less sections.
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

    /**
     * What one audio/video section of the offer carries after the answer: the participant's published track
     * ({@code sends}: kept, or new from {@link Negotiation#published()} by mid), a track we deliver on it, or nothing.
     *
     * @param receives   the section can carry a track to the participant (accepted, and the offer receives on it)
     * @param sends      the participant publishes on it
     * @param delivered  the track delivered on it, null if none
     */
    public record SectionOutcome(String mid, MediaKind kind, boolean receives, boolean sends, Track delivered) {
        public SectionOutcome {
            Objects.requireNonNull(mid);
            Objects.requireNonNull(kind);
        }
    }

    /**
     * The answer and the changes it makes: tracks to publish and deliveries to create (new), tracks to unpublish and
     * subscriptions to close (gone from the offer, or replaced by a new one because what was negotiated changed), and
     * every audio/video section in m-line order. Apply removals first, then additions.
     */
    public record Negotiation(SessionDescription answer, List<TrackSpec> published, List<Delivery> deliveries,
                              List<Track> unpublished, List<Subscription> unsubscribed,
                              List<SectionOutcome> sections) {
        public Negotiation {
            published = List.copyOf(published);
            deliveries = List.copyOf(deliveries);
            unpublished = List.copyOf(unpublished);
            unsubscribed = List.copyOf(unsubscribed);
            sections = List.copyOf(sections);
        }
    }

    /**
     * What a participant has from its earlier negotiations (empty for a first offer): its published tracks and its
     * subscriptions, each on its mid, and every SSRC already used toward it.
     */
    public record Current(Map<String, Track> published, Map<String, Subscription> delivered, Set<Integer> usedSsrcs) {
        public static final Current NONE = new Current(Map.of(), Map.of(), Set.of());

        public Current {
            published = Map.copyOf(published);
            delivered = Map.copyOf(delivered);
            usedSsrcs = Set.copyOf(usedSsrcs);
        }

        /** The live tracks and subscriptions of {@code p}, by mid. Call on the room's home loop. */
        public static Current of(Participant p) {
            Map<String, Track> tracks = new HashMap<>();
            for (Track t : p.trackArray()) {
                tracks.put(t.spec().mid(), t);
            }
            Map<String, Subscription> subs = new HashMap<>();
            Set<Integer> used = new HashSet<>();
            for (Subscription s : p.subscriptionArray()) {
                subs.put(s.spec().mid(), s);
                used.add(s.ssrc());
                if (s.spec().rtxSsrc() != 0) {
                    used.add(s.spec().rtxSsrc());
                }
            }
            return new Current(tracks, subs, used);
        }
    }

    /**
     * Answers a first offer the lenient way (WHIP/WHEP): sending sections are ignored when {@code publish} is false,
     * and an offer with nothing we accept gets an answer with every section rejected (the caller decides).
     *
     * @param options   a builder with our ICE credentials, fingerprint and candidates; directions, send tracks,
     *                  extensions, RTX, simulcast and data channels are set here
     * @param publish   accept the offer's sending sections as published tracks
     * @param available tracks to deliver, assigned in order to receiving sections of the same kind
     * @param ssrcs     source of our SSRCs (non-zero, unique toward this participant)
     */
    public static Negotiation negotiate(SessionDescription offer, AnswerOptions.Builder options, boolean publish,
                                        List<Track> available, IntSupplier ssrcs) {
        try {
            return negotiate(offer, options, publish ? Integer.MAX_VALUE : 0, false, Current.NONE, available, ssrcs);
        } catch (NegotiationException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // an SSRC in two sections
        }
    }

    /**
     * Answers a first offer or a re-offer (JSEP, RFC 8829 sections 5.3.1 and 5.3.2). Sections keep what they had:
     * a published track stays while its section sends with the same parameters, a delivery stays while its
     * section receives and its track lives. A section that stopped sending unpublishes its track; a receiving
     * section without a live track is free and takes the next track of {@code available} of its kind that is not
     * delivered yet, else it is answered inactive. Pure: nothing is changed.
     *
     * @param maxPublished  how many tracks the participant may publish in all
     * @param strict        the signaling protocol's rules: with {@code maxPublished == 0} refuse an offer that sends
     *                      media (a sending section with an a=ssrc), and refuse one with no common codec; lenient
     *                      (WHIP/WHEP) ignores sending sections it may not publish and answers with every section
     *                      rejected
     * @param current       what the participant has now
     * @param available     the other participants' tracks, in the order they should be delivered
     * @throws NegotiationException PUBLISH_NOT_ALLOWED, TOO_MANY_TRACKS, NO_COMMON_CODEC, BAD_SDP (an SSRC twice)
     */
    public static Negotiation negotiate(SessionDescription offer, AnswerOptions.Builder options, int maxPublished,
                                        boolean strict, Current current, List<Track> available,
                                        IntSupplier ssrcs) throws NegotiationException {
        options.acceptDataChannel(false).acceptSimulcast(false).headerExtensions(HEADER_EXTENSIONS);
        boolean publish = maxPublished > 0;
        if (!publish && strict) {
            for (MediaDescription m : offer.media()) {
                if (MediaKind.of(m.media()) != null && !m.isRejected() && m.direction().sends() && !m.ssrcIds().isEmpty()) {
                    throw new NegotiationException(NegotiationException.Code.PUBLISH_NOT_ALLOWED,
                            "section " + m.mid() + " sends media, and this participant may not publish");
                }
            }
        }
        // Sections the answer will accept (codecs, bundle, rtcp-mux): only those keep or take a track.
        Set<String> acceptable = new HashSet<>();
        for (MediaDescription a : answer(offer, options, Set.of()).media()) {
            if (a.port() != 0) {
                acceptable.add(a.mid());
            }
        }
        // Pass 1: what each section keeps; pass 2: free receiving sections take waiting tracks.
        List<MediaDescription> media = new ArrayList<>();
        Map<String, Subscription> kept = new HashMap<>();
        Set<Track> delivered = new HashSet<>();
        boolean anyOffered = false;
        for (MediaDescription m : offer.media()) {
            MediaKind kind = MediaKind.of(m.media());
            if (m.isRejected() || !m.isRtp() || kind == null) {
                continue;
            }
            anyOffered = true;
            if (!acceptable.contains(m.mid())) {
                continue;
            }
            media.add(m);
            Subscription s = current.delivered().get(m.mid());
            if (s != null && !s.isClosed() && !s.track().isClosed() && m.direction().receives()
                    && s.track().kind() == kind) {
                kept.put(m.mid(), s);
                delivered.add(s.track());
            }
        }
        List<Track> waiting = new ArrayList<>();
        for (Track t : available) {
            if (!delivered.contains(t) && !t.isClosed()) {
                waiting.add(t);
            }
        }
        Map<String, Track> sendByMid = new HashMap<>();
        Map<String, Integer> ssrcByMid = new HashMap<>();
        Map<String, Integer> rtxSsrcByMid = new HashMap<>();
        Set<String> receiveMids = new HashSet<>();
        Set<String> rtxMids = new HashSet<>();
        Set<Integer> used = new HashSet<>(current.usedSsrcs());
        for (MediaDescription m : media) {
            MediaKind kind = MediaKind.of(m.media());
            boolean receive = publish && m.direction().sends() && primarySsrc(m) != 0;
            Subscription s = kept.get(m.mid());
            Track track = s != null ? s.track() : null;
            if (track == null && m.direction().receives()) {
                for (Track t : waiting) {
                    if (t.kind() == kind) {
                        track = t;
                        break;
                    }
                }
                waiting.remove(track);
            }
            options.direction(m.mid(), Direction.of(track != null, receive));
            if (receive) {
                receiveMids.add(m.mid());
            }
            if (track != null) {
                int ssrc = s != null ? s.ssrc() : newSsrc(ssrcs, used);
                int rtxSsrc = s != null ? s.spec().rtxSsrc() : offersRtx(m) ? newSsrc(ssrcs, used) : 0;
                sendByMid.put(m.mid(), track);
                ssrcByMid.put(m.mid(), ssrc);
                rtxSsrcByMid.put(m.mid(), rtxSsrc);
                if (rtxSsrc != 0 && !receive) {
                    rtxMids.add(m.mid()); // RTX toward the subscriber only: we do not unwrap a publisher's RTX
                }
                options.sendTrack(m.mid(), new AnswerOptions.SendTrack(track.publisher().id(), track.id(),
                        "arena-" + track.publisher().id(), Integer.toUnsignedLong(ssrc),
                        Integer.toUnsignedLong(rtxSsrc)));
            }
        }
        SessionDescription answer = answer(offer, options, rtxMids);
        List<TrackSpec> published = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        List<Track> unpublished = new ArrayList<>();
        List<Subscription> unsubscribed = new ArrayList<>();
        List<SectionOutcome> sections = new ArrayList<>();
        Set<String> answeredMids = new HashSet<>();
        boolean anyAccepted = false;
        int keptTracks = 0;
        Set<Integer> publishedSsrcs = new HashSet<>();
        for (MediaDescription a : answer.media()) {
            MediaKind kind = MediaKind.of(a.media());
            if (a.mid() == null || kind == null) {
                continue;
            }
            answeredMids.add(a.mid());
            MediaDescription o = offer.mediaByMid(a.mid());
            List<RtpCodec> codecs = codecs(a);
            boolean accepted = a.port() != 0 && !codecs.stream().allMatch(RtpCodec::isRtx);
            anyAccepted |= accepted;
            Map<String, Integer> extensionIds = extensionIds(a);
            Track had = current.published().get(a.mid());
            boolean sends = false;
            if (accepted && receiveMids.contains(a.mid()) && a.direction().receives()) {
                TrackSpec spec = new TrackSpec(kind, a.mid(), primarySsrc(o), rtxSsrc(o), codecs, extensionIds);
                if (!publishedSsrcs.add(spec.ssrc()) || spec.rtxSsrc() != 0 && !publishedSsrcs.add(spec.rtxSsrc())) {
                    throw new NegotiationException(NegotiationException.Code.BAD_SDP,
                            "section " + a.mid() + " sends on an SSRC that another section uses");
                }
                sends = true;
                if (had != null && !had.isClosed() && had.spec().equals(spec)) {
                    keptTracks++;
                    had = null;
                } else {
                    published.add(spec);
                }
            }
            if (had != null && !had.isClosed()) {
                unpublished.add(had);
            }
            Subscription sub = current.delivered().get(a.mid());
            Track t = sendByMid.get(a.mid());
            Track deliveredHere = null;
            if (accepted && t != null && a.direction().sends()) {
                int rtxSsrc = rtxSsrc(a); // the FID group our answer declared, if RTX was accepted
                SubscriberSpec spec = new SubscriberSpec(a.mid(), ssrcByMid.get(a.mid()), rtxSsrc, codecs,
                        extensionIds);
                deliveredHere = t;
                if (sub != null && kept.get(a.mid()) == sub && sub.spec().equals(spec)) {
                    sub = null;
                } else {
                    deliveries.add(new Delivery(t, spec));
                }
            }
            if (sub != null && !sub.isClosed()) {
                unsubscribed.add(sub);
            }
            sections.add(new SectionOutcome(a.mid(), kind, accepted && o.direction().receives(), sends,
                    deliveredHere));
        }
        // tracks and subscriptions on mids the offer no longer has
        for (var e : current.published().entrySet()) {
            if (!answeredMids.contains(e.getKey()) && !e.getValue().isClosed()) {
                unpublished.add(e.getValue());
            }
        }
        for (var e : current.delivered().entrySet()) {
            if (!answeredMids.contains(e.getKey()) && !e.getValue().isClosed()) {
                unsubscribed.add(e.getValue());
            }
        }
        if (strict && !anyAccepted && anyOffered) {
            throw new NegotiationException(NegotiationException.Code.NO_COMMON_CODEC,
                    "no audio or video section of the offer has a codec we forward (Opus, VP8)");
        }
        if (!published.isEmpty() && keptTracks + published.size() > maxPublished) {
            throw new NegotiationException(NegotiationException.Code.TOO_MANY_TRACKS, "the offer publishes "
                    + (keptTracks + published.size()) + " tracks; at most " + maxPublished + " are allowed");
        }
        return new Negotiation(answer, published, deliveries, unpublished, unsubscribed, sections);
    }

    /**
     * The answer; sections in {@code rtxMids} keep the offer's rtx payload types (RFC 4588), the others none.
     * AnswerOptions switches RTX for a whole answer, so those sections come from a second answer with it on.
     */
    private static SessionDescription answer(SessionDescription offer, AnswerOptions.Builder options,
                                             Set<String> rtxMids) throws NegotiationException {
        SessionDescription answer = answer(offer, options.rtx(false));
        if (rtxMids.isEmpty()) {
            return answer;
        }
        SessionDescription withRtx = answer(offer, options.rtx(true));
        for (int i = 0; i < answer.media().size(); i++) {
            if (rtxMids.contains(answer.media().get(i).mid())) {
                answer.media().set(i, withRtx.media().get(i));
            }
        }
        return answer;
    }

    /** SdpAnswerer's refusals (a section without a=mid, a mid twice) are the offer's fault. */
    private static SessionDescription answer(SessionDescription offer, AnswerOptions.Builder options)
            throws NegotiationException {
        try {
            return SdpAnswerer.answer(offer, options.build());
        } catch (IllegalArgumentException e) {
            throw new NegotiationException(NegotiationException.Code.BAD_SDP, e.getMessage(), e);
        }
    }

    private static int newSsrc(IntSupplier ssrcs, Set<Integer> used) {
        int ssrc;
        do {
            ssrc = ssrcs.getAsInt();
        } while (ssrc == 0 || !used.add(ssrc));
        return ssrc;
    }

    /** Whether a section offers an rtx payload type for one of its codecs. */
    private static boolean offersRtx(MediaDescription m) {
        for (Rtpmap r : m.rtpmaps()) {
            if (r.isRtx()) {
                return true;
            }
        }
        return false;
    }

    /** The payload types of a section with their rtpmaps, in m= line order. */
    static List<RtpCodec> codecs(MediaDescription m) {
        List<RtpCodec> out = new ArrayList<>();
        for (int pt : m.payloadTypes()) {
            Rtpmap r = m.rtpmap(pt);
            if (r != null) {
                Fmtp f = r.isRtx() ? m.fmtp(pt) : null;
                out.add(new RtpCodec(pt, r.encoding(), r.clockRate(), r.channels(), f == null ? -1 : f.apt()));
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
