package dev.arena.sfu.room;

/** The kind of a track, as in the SDP m= line. */
public enum MediaKind {
    AUDIO, VIDEO;

    /** "audio" or "video" to the enum, or null for anything else. */
    public static MediaKind of(String media) {
        return switch (media) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> null;
        };
    }
}
