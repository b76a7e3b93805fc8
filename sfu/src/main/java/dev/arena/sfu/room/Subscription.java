package dev.arena.sfu.room;

import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtxPacket;
import dev.arena.rtc.rtp.SequenceNumbers;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * One track delivered to one participant (mediasoup's consumer). Every packet is rewritten to what the subscriber
 * negotiated: our SSRC, continuous sequence numbers and timestamps ({@link SequenceRewriter},
 * {@link TimestampRewriter}), its payload type for the same codec, and its header-extension ids for the same URIs
 * (RFC 8285 section 5); extensions it did not negotiate, and hop-by-hop ones, are stripped in place.
 * {@link #pause()} stops delivery; {@link #resume()} continues the numbering without a gap and asks the publisher
 * for a keyframe.
 *
 * <p>Threads: created, paused, resumed and closed on the room's home loop; its packets are rewritten and sent on
 * the subscriber's loop (the numbering state lives there). A resync asked for on the home loop is applied by the
 * subscriber's loop before the next packet it rewrites (an epoch, so neither side waits). The counters are written
 * by the subscriber's loop; read elsewhere they may lag.
 */
public final class Subscription implements AutoCloseable {
    /**
     * Extensions that describe the media and go end to end. Not forwarded: mid, rid and repaired-rid (they name the
     * publisher's transceiver and layers; the SSRC we declared identifies the stream), abs-send-time and
     * transport-cc (per hop: we would have to write our own).
     */
    public static final Set<String> FORWARDED_EXTENSIONS = Set.of(
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "urn:3gpp:video-orientation",
            "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
            "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
            "http://www.webrtc.org/experiments/rtp-hdrext/video-content-type",
            "http://www.webrtc.org/experiments/rtp-hdrext/color-space");

    private final Room room;
    private final String id;
    private final Track track;
    private final Participant subscriber;
    private final SubscriberSpec spec;
    private final int[] payloadTypeMap;
    private final byte[] extensionIdMap;
    private final SequenceRewriter sequence;
    private final TimestampRewriter timestamp;
    private final IntUnaryOperator outToIn;
    /** Subscriber media payload type -> its rtx payload type (RFC 4588 apt), -1: none; null without RTX. */
    private final int[] rtxPayloadTypes;
    private int rtxSeq;
    private long rtxPacketsOut;
    private SubscriptionFeedback feedback;
    private RetransmitSink retransmitSink;
    private volatile boolean paused;
    private volatile boolean closed;
    /** Resyncs asked for (home loop) and applied (subscriber's loop). */
    private volatile int resyncsAsked;
    private int resyncsApplied;
    private long packetsOut;
    private long bytesOut;
    private long payloadBytesOut;

    Subscription(Room room, String id, Track track, Participant subscriber, SubscriberSpec spec, int firstSeq,
                 long firstTimestamp) {
        this.room = Objects.requireNonNull(room);
        this.id = Objects.requireNonNull(id);
        this.track = Objects.requireNonNull(track);
        this.subscriber = Objects.requireNonNull(subscriber);
        this.spec = Objects.requireNonNull(spec);
        this.payloadTypeMap = payloadTypeMap(track.spec(), spec);
        this.extensionIdMap = extensionIdMap(track.spec().extensionIds(), spec.extensionIds(), FORWARDED_EXTENSIONS);
        this.sequence = new SequenceRewriter(firstSeq);
        this.timestamp = new TimestampRewriter(track.spec().clockRate(), firstTimestamp);
        this.outToIn = sequence::toIn;
        this.rtxPayloadTypes = spec.rtxSsrc() == 0 ? null : rtxPayloadTypes(spec);
        this.rtxSeq = (int) (firstTimestamp >>> 8) & 0xFFFF; // random in production, like firstSeq
    }

    /** The subscriber's rtx payload type for each of its media payload types (by a=fmtp apt). */
    static int[] rtxPayloadTypes(SubscriberSpec spec) {
        int[] map = new int[128];
        Arrays.fill(map, -1);
        for (RtpCodec c : spec.codecs()) {
            if (c.isRtx() && c.apt() >= 0) {
                map[c.apt()] = c.payloadType();
            }
        }
        return map;
    }

    void retransmitSink(RetransmitSink sink) {
        this.retransmitSink = Objects.requireNonNull(sink);
    }

    void feedback(SubscriptionFeedback f) {
        this.feedback = Objects.requireNonNull(f);
    }

    /**
     * Publisher payload type -> subscriber payload type (-1: none) for the same codec, RTX excluded (it is not
     * forwarded; retransmissions are ours to make).
     */
    static int[] payloadTypeMap(TrackSpec from, SubscriberSpec to) {
        int[] map = new int[128];
        Arrays.fill(map, -1);
        for (RtpCodec c : from.codecs()) {
            if (c.isRtx()) {
                continue;
            }
            for (RtpCodec d : to.codecs()) {
                if (!d.isRtx() && c.sameCodecAs(d)) {
                    map[c.payloadType()] = d.payloadType();
                    break;
                }
            }
        }
        return map;
    }

    /**
     * Publisher extension id -> subscriber extension id by URI, for the URIs in {@code forwarded} that both
     * negotiated; 0 strips (see {@link RtpPacket#rewriteExtensionIds}).
     */
    static byte[] extensionIdMap(Map<String, Integer> from, Map<String, Integer> to, Set<String> forwarded) {
        byte[] map = new byte[256];
        for (var e : from.entrySet()) {
            Integer target = to.get(e.getKey());
            int id = e.getValue();
            if (target != null && forwarded.contains(e.getKey()) && id > 0 && id < 256 && target > 0 && target < 256) {
                map[id] = (byte) (int) target;
            }
        }
        return map;
    }

    public String id() {
        return id;
    }

    public Track track() {
        return track;
    }

    public Participant subscriber() {
        return subscriber;
    }

    public SubscriberSpec spec() {
        return spec;
    }

    /** The SSRC we declared to the subscriber for this track. */
    public int ssrc() {
        return spec.ssrc();
    }

    public SubscriptionFeedback feedback() {
        return feedback;
    }

    public boolean isPaused() {
        return paused;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops delivery; numbering continues without a gap on {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    /**
     * The next packet starts a new segment of the source (after a mute): numbering continues without a gap. Call
     * before the change that lets packets flow again (unmute, resume): the packets that change lets through see it.
     */
    void resync() {
        resyncsAsked++; // written on the home loop only
    }

    /**
     * Wraps a retransmission, already {@link #rewrite rewritten} for this subscriber, as RTX (RFC 4588 section 4:
     * our RTX SSRC and sequence numbers, the original sequence number first in the payload) into {@code out}.
     *
     * @return the RTX packet's length, or -1 when the subscriber negotiated no RTX for the packet's payload type
     *         (then the plain packet is resent)
     */
    int wrapRtx(RtpPacket rewritten, byte[] out, int off) {
        if (rtxPayloadTypes == null) {
            return -1;
        }
        int pt = rtxPayloadTypes[rewritten.payloadType()];
        if (pt < 0) {
            return -1;
        }
        int n = RtxPacket.wrap(rewritten, out, off, spec.rtxSsrc(), pt, rtxSeq);
        if (n > 0) {
            rtxSeq = SequenceNumbers.add(rtxSeq, 1);
            rtxPacketsOut++;
        }
        return n;
    }

    /** Retransmissions sent as RTX. */
    public long rtxPacketsOut() {
        return rtxPacketsOut;
    }

    /** Restarts delivery: the next packet continues our numbering; a video track gets a keyframe request. */
    public void resume() {
        if (!paused || closed) {
            return;
        }
        resync();
        paused = false;
        room.requestKeyframe(track);
    }

    /** The track's sequence number that we sent as {@code out}, or -1 (for NACKs). */
    public int toTrackSequence(int out) {
        return sequence.toIn(out);
    }

    IntUnaryOperator outToIn() {
        return outToIn;
    }

    /** Rewrites a packet of the track (as the publisher sent it) like the original and sends it again. */
    public RetransmitSink retransmitSink() {
        return retransmitSink;
    }

    /**
     * Rewrites a copy of a track packet in place for this subscriber. Returns the drop reason, or null if the packet
     * is ready to send. Allocation-free.
     */
    ForwardDrop rewrite(RtpPacket p, long nowNanos) {
        int asked = resyncsAsked;
        if (asked != resyncsApplied) {
            resyncsApplied = asked;
            sequence.resync();
            timestamp.resync();
        }
        int pt = payloadTypeMap[p.payloadType()];
        if (pt < 0) {
            sequence.drop(p.sequenceNumber());
            return ForwardDrop.UNMAPPED_PAYLOAD_TYPE;
        }
        int seq = sequence.rewrite(p.sequenceNumber());
        if (seq < 0) {
            return ForwardDrop.BEFORE_RESYNC;
        }
        p.setSequenceNumber(seq);
        p.setTimestamp(timestamp.rewrite(p.timestamp(), nowNanos));
        p.setSsrc(spec.ssrc());
        p.setPayloadType(pt);
        int format = p.extensionFormat();
        if (format == RtpPacket.EXT_ONE_BYTE || format == RtpPacket.EXT_TWO_BYTE) {
            p.rewriteExtensionIds(extensionIdMap);
        }
        return null;
    }

    void countOut(int len, int payloadLen) {
        packetsOut++;
        bytesOut += len;
        payloadBytesOut += payloadLen;
    }

    /** A source RTP timestamp in our numbering, or -1 while nothing of the current segment was sent. */
    long timestampOut(long in) {
        return timestamp.toOut(in);
    }

    /** Payload octets sent, as a sender report counts them (RFC 3550 section 6.4.1). */
    public long payloadBytesOut() {
        return payloadBytesOut;
    }

    public long packetsOut() {
        return packetsOut;
    }

    public long bytesOut() {
        return bytesOut;
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public void close() {
        room.unsubscribe(this);
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " of " + track.id() + " to " + subscriber.id() + " ssrc="
                + Integer.toUnsignedString(spec.ssrc()) + (paused ? " paused" : "") + "]";
    }
}
