package dev.arena.bots.media;

/**
 * What one publishing bot sends on one track, as a never-ending sequence of packets in send order (files loop).
 * Not thread-safe: a bot reads it on its own event loop.
 */
public interface MediaSource {
    MediaKind kind();

    /** As in SDP rtpmap: {@code VP8} or {@code opus}. */
    String codec();

    /** 90000 for video, 48000 for Opus. */
    int clockRate();

    /** 2 for Opus (as rtpmap says), 1 for video. */
    int channels();

    /** The next packet; never null. */
    MediaPacket next();
}
