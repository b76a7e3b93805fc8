package dev.arena.sfu.room;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one subscriber negotiated for the media section that carries a track to it: the mid, the SSRC we declared
 * for it (and RTX SSRC, 0 if none), its payload types and its header-extension ids by URI.
 */
public record SubscriberSpec(String mid, int ssrc, int rtxSsrc, List<RtpCodec> codecs,
                             Map<String, Integer> extensionIds) {
    public SubscriberSpec {
        Objects.requireNonNull(mid, "mid");
        codecs = List.copyOf(codecs);
        extensionIds = Map.copyOf(extensionIds);
    }
}
