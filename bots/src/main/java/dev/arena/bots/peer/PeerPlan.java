package dev.arena.bots.peer;

import dev.arena.bots.media.MediaSource;

/**
 * What a bot's first offer asks for.
 *
 * @param audioRecv   receive-only audio sections
 * @param videoRecv   receive-only video sections
 * @param audioSend   what it publishes as audio, or null
 * @param videoSend   what it publishes as video, or null
 */
public record PeerPlan(int audioRecv, int videoRecv, MediaSource audioSend, MediaSource videoSend) {
    public PeerPlan {
        if (audioRecv < 0 || videoRecv < 0) {
            throw new IllegalArgumentException("receive sections must be >= 0");
        }
    }

    public static PeerPlan listener(int audio, int video) {
        return new PeerPlan(audio, video, null, null);
    }

    public static PeerPlan publisher(MediaSource audio, MediaSource video) {
        return new PeerPlan(0, 0, audio, video);
    }
}
