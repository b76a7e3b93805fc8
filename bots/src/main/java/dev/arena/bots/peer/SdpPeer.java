package dev.arena.bots.peer;

import dev.arena.bots.media.MediaSource;

/**
 * The SDP side of a bot's media connection, as a target drives it. The bot is always ICE controlling and never
 * gathers candidates (the servers it talks to are ICE-lite, or learn its address from its checks). Methods may be
 * called from any thread but not concurrently.
 */
public interface SdpPeer {
    /** The first offer, per the {@link PeerPlan} the peer was made with. */
    String createOffer();

    /**
     * The remote answer to the last offer. The first one starts ICE, DTLS and media; later ones (re-offers) update
     * what is sent and received on the same transport.
     *
     * @throws PeerException when the answer does not parse or lacks what the offer needs (ICE, fingerprint, codec)
     */
    void applyAnswer(String answerSdp) throws PeerException;

    /**
     * Answers a remote offer (a Janus subscriber: the server offers) with receive-only sections, and starts ICE,
     * DTLS and media.
     */
    String answerOffer(String offerSdp) throws PeerException;

    /** A re-offer: every earlier section kept in order, plus {@code audio} and {@code video} new receive-only ones. */
    String offerMoreReceivers(int audio, int video);

    /** A re-offer that adds sending sections for these sources (either may be null): a listener brought on stage. */
    String offerToPublish(MediaSource audio, MediaSource video);

    /** A re-offer whose sending sections become inactive; sending stops at once. */
    String offerToStopPublishing();
}
