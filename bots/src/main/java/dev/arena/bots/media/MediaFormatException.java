package dev.arena.bots.media;

import java.io.IOException;

/** A media file that is not what it claims to be: wrong signature, wrong codec, truncated or absurd contents. */
public final class MediaFormatException extends IOException {
    public MediaFormatException(String message) {
        super(message);
    }
}
