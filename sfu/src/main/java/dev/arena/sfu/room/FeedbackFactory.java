package dev.arena.sfu.room;

/**
 * Makes the feedback pieces of a room. {@link FeedbackWiring} (the default of {@link Room#Room(String)}) wires
 * the feedback package in; {@link #BASIC} only merges keyframe requests (a null object for tests and for
 * rooms that must not answer NACKs):
 * <pre>
 * forTrack        -> PacketHistory + ReceiveStatistics + NackGenerator + KeyframeRequestThrottle
 * forSubscription -> NackResponder over the track's PacketHistory
 * forParticipant  -> TwccFeedbackGenerator
 * </pre>
 */
public interface FeedbackFactory {
    TrackFeedback forTrack(Track track);

    SubscriptionFeedback forSubscription(Subscription subscription);

    TransportFeedback forParticipant(Participant participant);

    FeedbackFactory BASIC = new FeedbackFactory() {
        @Override
        public TrackFeedback forTrack(Track track) {
            return new TrackFeedback();
        }

        @Override
        public SubscriptionFeedback forSubscription(Subscription subscription) {
            return new SubscriptionFeedback();
        }

        @Override
        public TransportFeedback forParticipant(Participant participant) {
            return new TransportFeedback();
        }
    };
}
