package dev.arena.sfu.room;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a publisher negotiated for one source, as {@link RoomSdp} reads it from its SDP: the kind, its mid, the SSRC
 * it sends on (and its RTX SSRC, 0 if none), the payload types we accepted, and the header-extension ids by URI
 * (RFC 8285 a=extmap) that its packets carry.
 */
public record TrackSpec(MediaKind kind, String mid, int ssrc, int rtxSsrc, List<RtpCodec> codecs,
                        Map<String, Integer> extensionIds) {
    public TrackSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mid, "mid");
        codecs = List.copyOf(codecs);
        extensionIds = Map.copyOf(extensionIds);
        if (codecs.stream().allMatch(RtpCodec::isRtx)) {
            throw new IllegalArgumentException("a track needs at least one media codec");
        }
    }

    /** The media clock of the track: that of its first (preferred) media codec. */
    public int clockRate() {
        for (RtpCodec c : codecs) {
            if (!c.isRtx()) {
                return c.clockRate();
            }
        }
        throw new IllegalStateException();
    }
}
