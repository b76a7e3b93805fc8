package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.peers.ChromiumPeer;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.TransportServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real headless Chromium publishes audio and video into a room; two more join as subscribers. Each subscriber
 * decodes the publisher's video on the SSRC our answer declared to it and receives audio packets on the audio SSRC
 * we declared: packets went publisher -> SRTP -> track -> subscription rewrite -> SRTP -> subscriber, with the
 * feedback package wired in (receiver reports, NACKs, transport-cc and merged keyframe requests to the publisher).
 * The fake microphone's periodic beep carries RFC 6464 levels (observed: about nine packets per beep at 9..50 -dBov,
 * decaying to 127 between beeps, Opus DTX in the gaps), enough for the default detector to report the publisher
 * as an active speaker.
 */
class RoomChromiumTest {
    private static final Logger log = LoggerFactory.getLogger(RoomChromiumTest.class);

    @Test
    void twoSubscribersDecodeThePublishersVideoAndReceiveItsAudio() throws Exception {
        try (TransportServer server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0), 2);
             ChromiumPeer publisher = ChromiumPeer.start();
             ChromiumPeer alice = ChromiumPeer.start();
             ChromiumPeer bob = ChromiumPeer.start()) {
            FeedbackWiring feedback = new FeedbackWiring();
            List<List<String>> speakers = new CopyOnWriteArrayList<>();
            Room room = new Room("stage", System::nanoTime, new RoomListener() {
                @Override
                public void onActiveSpeakers(Room r, List<String> participantIds) {
                    speakers.add(participantIds);
                }
            }, feedback);
            try (RoomGateway gateway = new RoomGateway(server, server.localAddress(), DtlsCertificate.shared(), room)) {
                publisher.setAnswer(gateway.join("publisher", publisher.createOffer(true, true), true));
                publisher.awaitState(ChromiumPeer.State::connected, Duration.ofSeconds(30));
                assertEquals(2, gateway.onLoop(() -> room.tracks().size()), "audio and video published");

                String aliceAnswer = gateway.join("alice", alice.createOffer(true, true), false);
                alice.setAnswer(aliceAnswer);
                String bobAnswer = gateway.join("bob", bob.createOffer(true, true), false);
                bob.setAnswer(bobAnswer);
                alice.awaitState(ChromiumPeer.State::connected, Duration.ofSeconds(30));
                bob.awaitState(ChromiumPeer.State::connected, Duration.ofSeconds(30));

                for (var peer : List.of(new Object[] {alice, aliceAnswer}, new Object[] {bob, bobAnswer})) {
                    ChromiumPeer chrome = (ChromiumPeer) peer[0];
                    SessionDescription answer = SessionDescription.parse((String) peer[1]);
                    long videoSsrc = declaredSsrc(answer, "video");
                    long audioSsrc = declaredSsrc(answer, "audio");
                    ChromiumPeer.Stats stats = awaitStats(chrome, videoSsrc, audioSsrc);
                    ChromiumPeer.Inbound video = inbound(stats, videoSsrc);
                    ChromiumPeer.Inbound audio = inbound(stats, audioSsrc);
                    String why = stats + "; room drops " + room.drops() + "; events " + chrome.events();
                    assertTrue(video != null && video.framesDecoded() > 0, "video decoded on our SSRC: " + why);
                    assertEquals("video", video.kind(), why);
                    assertTrue(audio != null && audio.packetsReceived() > 0, "audio received on our SSRC: " + why);
                    assertEquals("audio", audio.kind(), why);
                }
                // keyframe requests for the new subscribers reached the publisher's encoder (as PLI on its SSRC)
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                long plis = 0;
                while (plis == 0 && System.nanoTime() < deadline) {
                    plis = publisher.stats().outbound().stream().filter(o -> o.kind().equals("video"))
                            .mapToLong(ChromiumPeer.Outbound::pliCount).sum();
                    Thread.sleep(plis == 0 ? 200 : 0);
                }
                assertTrue(plis > 0, "the publisher received our PLI: " + publisher.stats());
                assertEquals(4, (int) gateway.onLoop(() -> room.tracks().stream()
                        .mapToInt(t -> t.subscriptions().size()).sum()), "two subscriptions per subscriber");
                // the fake microphone's beep, with its RFC 6464 levels, makes the publisher an active speaker
                deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (speakers.stream().noneMatch(l -> l.contains("publisher")) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                String levels = gateway.onLoop(() -> levelSummary(room.track("publisher/0")));
                log.info("publisher's audio levels (-dBov=packets): {}; active speakers reported: {}", levels, speakers);
                assertTrue(speakers.stream().anyMatch(l -> l.contains("publisher")),
                        "the publisher was reported as an active speaker: " + speakers + "; levels " + levels);
                log.info("room: {}", gateway.onLoop(() -> room.tracks().stream().map(t -> t.id() + " in="
                        + t.packetsIn() + " out=" + t.subscriptions().stream().map(x -> x.subscriber().id() + ":"
                        + x.packetsOut()).toList()).toList() + " drops=" + room.drops() + " feedback drops=" + feedback.drops()));
            }
            assertTrue(room.isClosed());
            assertEquals(0, room.participants().size());
        }
    }

    /** Non-zero buckets of a track's audio-level histogram, e.g. "{127=250, 40=12}". */
    private static String levelSummary(Track t) {
        if (t == null) {
            return "no track publisher/0";
        }
        long[] counts = t.audioLevelCounts();
        java.util.Map<Integer, Long> nonZero = new java.util.TreeMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                nonZero.put(i, counts[i]);
            }
        }
        return t + " audioLevelId=" + t.audioLevelId() + " " + nonZero;
    }

    private static long declaredSsrc(SessionDescription answer, String kind) {
        MediaDescription m = answer.media().stream().filter(x -> x.media().equals(kind) && !x.ssrcIds().isEmpty())
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " SSRC declared in " + answer));
        return m.ssrcIds().getFirst();
    }

    private static ChromiumPeer.Inbound inbound(ChromiumPeer.Stats stats, long ssrc) {
        return stats.inbound().stream().filter(i -> i.ssrc() == ssrc).findFirst().orElse(null);
    }

    /** Polls getStats until video frames were decoded and audio arrived on our SSRCs (hang guard 30 s). */
    private static ChromiumPeer.Stats awaitStats(ChromiumPeer chrome, long videoSsrc, long audioSsrc)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ChromiumPeer.Stats stats = chrome.stats();
            ChromiumPeer.Inbound v = inbound(stats, videoSsrc);
            ChromiumPeer.Inbound a = inbound(stats, audioSsrc);
            if ((v != null && v.framesDecoded() > 0 && a != null && a.packetsReceived() > 0)
                    || System.nanoTime() > deadline) {
                return stats;
            }
            Thread.sleep(200);
        }
    }
}
