package dev.arena.sfu.room;

import java.util.Objects;

/**
 * One negotiated payload type of a media section (RFC 8866 a=rtpmap): {@code name} as in the rtpmap (e.g. "VP8",
 * "opus", "rtx"), its clock rate and channel count (0 for unspecified), and for rtx the payload type it repairs
 * (a=fmtp apt, RFC 4588 section 8.1; -1 otherwise). Codecs of a publisher and a subscriber match by name
 * (case-insensitive), clock rate and channels.
 */
public record RtpCodec(int payloadType, String name, int clockRate, int channels, int apt) {
    public RtpCodec {
        Objects.requireNonNull(name, "name");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of 0..127: " + payloadType);
        }
        if (apt < -1 || apt > 127) {
            throw new IllegalArgumentException("apt out of 0..127: " + apt);
        }
    }

    /** A codec that repairs nothing (apt -1). */
    public RtpCodec(int payloadType, String name, int clockRate, int channels) {
        this(payloadType, name, clockRate, channels, -1);
    }

    public boolean sameCodecAs(RtpCodec other) {
        return name.equalsIgnoreCase(other.name) && clockRate == other.clockRate
                && Math.max(1, channels) == Math.max(1, other.channels);
    }

    public boolean isRtx() {
        return "rtx".equalsIgnoreCase(name);
    }
}
