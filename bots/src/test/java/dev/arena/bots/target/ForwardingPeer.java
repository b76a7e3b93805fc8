package dev.arena.bots.target;

import dev.arena.bots.media.MediaSource;
import dev.arena.bots.peer.PeerException;
import dev.arena.bots.peer.SdpPeer;

/** An SdpPeer that passes everything to another; tests override the call they want to break. */
class ForwardingPeer implements SdpPeer {
    private final SdpPeer peer;

    ForwardingPeer(SdpPeer peer) {
        this.peer = peer;
    }

    @Override
    public String createOffer() {
        return peer.createOffer();
    }

    @Override
    public void applyAnswer(String answerSdp) throws PeerException {
        peer.applyAnswer(answerSdp);
    }

    @Override
    public String answerOffer(String offerSdp) throws PeerException {
        return peer.answerOffer(offerSdp);
    }

    @Override
    public String offerMoreReceivers(int audio, int video) {
        return peer.offerMoreReceivers(audio, video);
    }

    @Override
    public String offerToPublish(MediaSource audio, MediaSource video) {
        return peer.offerToPublish(audio, video);
    }

    @Override
    public String offerToStopPublishing() {
        return peer.offerToStopPublishing();
    }
}
