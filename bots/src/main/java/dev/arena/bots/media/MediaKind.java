package dev.arena.bots.media;

/** The kind of an m-section: what the SDP calls {@code audio} or {@code video}. */
public enum MediaKind {
    AUDIO("audio"), VIDEO("video");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }
}
