package dev.arena.bots.peer;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaSource;
import java.util.Objects;

/**
 * One m-section of the bot's side of the session, in order: its mid, kind and direction, and for a sending section
 * the source and the SSRCs declared for it (media and RTX). Sections are never removed, only made inactive, so every
 * re-offer keeps the earlier ones in order (JSEP section 5.2.2).
 */
final class LocalSection {
    final String mid;
    final MediaKind kind;
    /** Null for a receiving section. */
    final MediaSource source;
    final int ssrc;
    final int rtxSsrc;
    final String streamId;
    final String trackId;
    /** Sending sections turn false for good when the bot stops publishing. */
    boolean active = true;
    /** Set when the section answers a remote offer: the remote's payload types are kept (-1: none). */
    int offeredCodecPt = -1;
    int offeredRtxPt = -1;
    boolean rejected;

    LocalSection(String mid, MediaKind kind, MediaSource source, int ssrc, int rtxSsrc, String streamId,
                 String trackId) {
        this.mid = Objects.requireNonNull(mid);
        this.kind = Objects.requireNonNull(kind);
        this.source = source;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.streamId = streamId;
        this.trackId = trackId;
    }

    static LocalSection receiving(String mid, MediaKind kind) {
        return new LocalSection(mid, kind, null, 0, 0, null, null);
    }

    boolean sends() {
        return source != null;
    }

    @Override
    public String toString() {
        return "mid " + mid + " " + kind.sdpName() + (sends() ? " send" : " recv") + (active ? "" : " inactive");
    }
}
