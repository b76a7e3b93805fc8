package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.transport.TransportState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Room bookkeeping: publish, subscribe, unsubscribe, leave, close, and what each reports upward. */
class RoomTest {
    static final TrackSpec AUDIO = new TrackSpec(MediaKind.AUDIO, "0", 0x1111, 0,
            List.of(new RtpCodec(111, "opus", 48000, 2)), Map.of("urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1));
    static final TrackSpec VIDEO = new TrackSpec(MediaKind.VIDEO, "1", 0x2222, 0x2223,
            List.of(new RtpCodec(96, "VP8", 90000, 0), new RtpCodec(97, "rtx", 90000, 0)), Map.of());

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final List<String> events = new ArrayList<>();
    Room room;

    @BeforeEach
    void setUp() {
        room = new Room("r", clock::get, new RoomListener() {
            @Override
            public void onParticipantJoined(Room r, Participant p) {
                events.add("joined " + p.id());
            }

            @Override
            public void onParticipantLeft(Room r, Participant p) {
                events.add("left " + p.id());
            }

            @Override
            public void onTrackPublished(Room r, Track t) {
                events.add("published " + t.id());
            }

            @Override
            public void onTrackUnpublished(Room r, Track t) {
                events.add("unpublished " + t.id());
            }

            @Override
            public void onSubscriptionCreated(Room r, Subscription s) {
                events.add("subscribed " + s.track().id() + " -> " + s.subscriber().id());
            }

            @Override
            public void onSubscriptionClosed(Room r, Subscription s) {
                events.add("unsubscribed " + s.track().id() + " -> " + s.subscriber().id());
            }

            @Override
            public void onRoomClosed(Room r) {
                events.add("closed");
            }
        }, FeedbackFactory.BASIC);
    }

    static SubscriberSpec spec(String mid, int ssrc) {
        return new SubscriberSpec(mid, ssrc, 0, List.of(new RtpCodec(111, "opus", 48000, 2),
                new RtpCodec(96, "VP8", 90000, 0)), Map.of());
    }

    @Test
    void publishAndSubscribeIndexBothWays() {
        Participant pub = room.join("pub");
        Participant sub = room.join("sub");
        Track audio = room.publish(pub, AUDIO);
        Track video = room.publish(pub, VIDEO);
        Subscription sa = room.subscribe(audio, sub, spec("0", 10));
        Subscription sv = room.subscribe(video, sub, spec("1", 20));

        assertEquals("pub/0", audio.id());
        assertEquals(List.of(audio, video), room.tracks());
        assertEquals(List.of(audio, video), pub.tracks());
        assertEquals(List.of(sa), audio.subscriptions());
        assertEquals(List.of(sv), video.subscriptions());
        assertSame(video, sv.track());
        assertEquals(List.of(sa, sv), sub.subscriptions());
        assertSame(audio, pub.trackBySsrc(0x1111));
        assertSame(sv, sub.subscriptionBySsrc(20));
        assertEquals(List.of("joined pub", "joined sub", "published pub/0", "published pub/1",
                "subscribed pub/0 -> sub", "subscribed pub/1 -> sub"), events);
    }

    @Test
    void refusesDuplicatesAndStrangers() {
        Participant pub = room.join("pub");
        assertThrows(IllegalArgumentException.class, () -> room.join("pub"));
        room.publish(pub, VIDEO);
        assertThrows(IllegalArgumentException.class, () -> room.publish(pub, VIDEO));
        Room other = new Room("other");
        Participant stranger = other.join("x");
        assertThrows(IllegalArgumentException.class, () -> room.publish(stranger, AUDIO));
        Participant sub = room.join("sub");
        Track t = pub.tracks().getFirst();
        room.subscribe(t, sub, spec("1", 5));
        assertThrows(IllegalArgumentException.class, () -> room.subscribe(t, sub, spec("2", 5)), "SSRC reused");
    }

    @Test
    void unsubscribeRemovesFromTrackAndSubscriberOnce() {
        Participant pub = room.join("pub");
        Participant sub = room.join("sub");
        Track video = room.publish(pub, VIDEO);
        Subscription s = room.subscribe(video, sub, spec("1", 20));
        events.clear();
        s.close();
        s.close();
        assertTrue(s.isClosed());
        assertEquals(List.of(), video.subscriptions());
        assertEquals(List.of(), sub.subscriptions());
        assertNull(sub.subscriptionBySsrc(20));
        assertEquals(List.of("unsubscribed pub/1 -> sub"), events);
    }

    @Test
    void publisherLeavingClosesItsTracksTheirSubscriptionsAndItsTransport() {
        Participant pub = room.join("pub");
        Participant sub = room.join("sub");
        RecordingSink pubSink = new RecordingSink();
        RecordingSink subSink = new RecordingSink();
        pub.attach(pubSink);
        sub.attach(subSink);
        Track audio = room.publish(pub, AUDIO);
        Track video = room.publish(pub, VIDEO);
        Subscription sa = room.subscribe(audio, sub, spec("0", 10));
        Subscription sv = room.subscribe(video, sub, spec("1", 20));
        events.clear();

        pub.close();

        assertTrue(pub.isClosed() && audio.isClosed() && video.isClosed() && sa.isClosed() && sv.isClosed());
        assertTrue(pubSink.closed, "transport closed");
        assertFalse(subSink.closed);
        assertEquals(List.of(), room.tracks());
        assertEquals(List.of(), sub.subscriptions());
        assertEquals(List.of(sub), List.copyOf(room.participants()));
        assertEquals(List.of("unsubscribed pub/0 -> sub", "unpublished pub/0", "unsubscribed pub/1 -> sub",
                "unpublished pub/1", "left pub"), events);
    }

    @Test
    void subscriberLeavingClosesOnlyItsSubscriptions() {
        Participant pub = room.join("pub");
        Participant a = room.join("a");
        Participant b = room.join("b");
        Track video = room.publish(pub, VIDEO);
        Subscription sa = room.subscribe(video, a, spec("1", 20));
        Subscription sb = room.subscribe(video, b, spec("1", 20));
        events.clear();

        a.close();

        assertTrue(sa.isClosed());
        assertFalse(sb.isClosed());
        assertEquals(List.of(sb), video.subscriptions());
        assertFalse(video.isClosed());
        assertEquals(List.of("unsubscribed pub/1 -> a", "left a"), events);
    }

    @Test
    void aTerminalTransportMakesTheParticipantLeave() {
        Participant pub = room.join("pub");
        room.publish(pub, VIDEO);
        pub.onStateChange(null, TransportState.FAILED);
        assertTrue(pub.isClosed());
        assertNull(room.participant("pub"));
        assertEquals(List.of(), room.tracks());
    }

    @Test
    void closingTheRoomClosesEverythingOnce() {
        Participant pub = room.join("pub");
        Participant sub = room.join("sub");
        RecordingSink pubSink = new RecordingSink();
        RecordingSink subSink = new RecordingSink();
        pub.attach(pubSink);
        sub.attach(subSink);
        Track video = room.publish(pub, VIDEO);
        Subscription s = room.subscribe(video, sub, spec("1", 20));
        events.clear();

        room.close();
        room.close();

        assertTrue(room.isClosed() && pub.isClosed() && sub.isClosed() && video.isClosed() && s.isClosed());
        assertTrue(pubSink.closed && subSink.closed);
        assertEquals(0, room.participants().size());
        assertEquals(List.of("unsubscribed pub/1 -> sub", "unpublished pub/1", "left pub", "left sub", "closed"),
                events);
        assertThrows(IllegalStateException.class, () -> room.join("late"));
    }
}
