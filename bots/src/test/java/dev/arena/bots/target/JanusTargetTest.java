package dev.arena.bots.target;

import static dev.arena.bots.target.ArenaNodes.TIMEOUT;
import static dev.arena.bots.target.ArenaNodes.failure;
import static dev.arena.bots.target.ArenaNodes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SessionDescription;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JanusTarget against a real Janus 1.1 (ICE-lite, VideoRoom over the HTTP API). */
class JanusTargetTest {
    private static JanusServer janus;
    private static JanusTarget target;

    @BeforeAll
    static void start() throws Exception {
        janus = JanusServer.start();
        target = new JanusTarget(janus.url(), true, TIMEOUT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (target != null) {
            target.close();
        }
        if (janus != null) {
            janus.close();
        }
    }

    @Test
    void aPublisherGetsAnAnswerAndASubscriberAnswersJanussOffer() throws Exception {
        // the publisher connects for real: Janus lists a publisher only once its PeerConnection is up. It binds the
        // veth's address: libnice pins its socket to janus0 (IP_UNICAST_IF), so its replies to 127.0.0.1 fail
        // (EINVAL: a loopback address on a non-loopback device); to 127.0.0.2 they are delivered locally
        RecordingPeer pubPeer = RecordingPeer.connectingPublisher(JanusServer.ADDRESS);
        BotSession publisher = get(target.join(new BotSpec("1234", "pub-1", BotRole.PUBLISHER), pubPeer));
        assertEquals(1, pubPeer.answers.size());
        SessionDescription answer = pubPeer.answers.getFirst();
        assertEquals(List.of("audio", "video"), answer.media().stream().map(MediaDescription::media).toList());
        assertEquals(List.of("recvonly", "recvonly"), pubPeer.lastAnswerDirections());
        assertTrue(answer.iceLite(), "the test Janus is ICE-lite");
        assertTrue(answer.media().getFirst().attributes("candidate").stream().anyMatch(c -> c.contains("127.0.0.2")),
                "Janus's host candidate on the veth: " + answer);

        RecordingPeer subPeer = RecordingPeer.listener(0, 0);
        BotSession subscriber = get(target.join(new BotSpec("1234", "sub-1", BotRole.LISTENER), subPeer));
        assertEquals(1, subPeer.remoteOffers.size(), "Janus offers to a subscriber");
        SessionDescription offer = SessionDescription.parse(subPeer.remoteOffers.getFirst());
        assertEquals(List.of("audio", "video"), offer.media().stream().map(MediaDescription::media).toList());
        assertEquals(List.of("sendonly", "sendonly"),
                offer.media().stream().map(m -> m.direction().toString()).toList());
        assertEquals(1, subPeer.localAnswers.size());

        assertFalse(subscriber.ended().isDone());
        ArenaNodes.await("ICE and DTLS with Janus (ICE-lite)", pubPeer::connected);

        get(subscriber.leave());
        get(publisher.leave());
        assertEquals("left", get(publisher.ended()));
        pubPeer.close();
    }

    @Test
    void aMissingRoomIsCreated() throws Exception {
        RecordingPeer peer = RecordingPeer.publisher();
        BotSession publisher = get(target.join(new BotSpec("777001", "pub-new-room", BotRole.PUBLISHER), peer));
        assertEquals(1, peer.answers.size());
        get(publisher.leave());
    }

    @Test
    void withoutRoomCreationAMissingRoomIsNoSuchRoom() throws Exception {
        try (JanusTarget strict = new JanusTarget(janus.url(), false, TIMEOUT)) {
            TargetException e = failure(strict.join(new BotSpec("999999", "p", BotRole.PUBLISHER),
                    RecordingPeer.publisher()));
            assertEquals("no_such_room", e.reason(), e.getMessage());
            // the session goes on for the others
            BotSession ok = get(strict.join(new BotSpec("1234", "p-ok", BotRole.PUBLISHER), RecordingPeer.publisher()));
            get(ok.leave());
        }
    }

    @Test
    void aSubscriberWithNobodyToWatchIsNoPublisher() throws Exception {
        try (JanusTarget quick = new JanusTarget(janus.url(), true, Duration.ofSeconds(1))) {
            TargetException e = failure(quick.join(new BotSpec("777002", "lonely", BotRole.LISTENER),
                    RecordingPeer.listener(0, 0)));
            assertEquals("no_publisher", e.reason(), e.getMessage());
        }
    }

    @Test
    void aWrongPathIsHttp404() throws Exception {
        try (JanusTarget wrong = new JanusTarget(URI.create(janus.url() + "-nope"), true, TIMEOUT)) {
            TargetException e = failure(wrong.join(new BotSpec("1234", "p", BotRole.PUBLISHER), RecordingPeer.publisher()));
            assertEquals("http_404", e.reason(), e.getMessage());
        }
    }

    @Test
    void aServerThatNeverAnswersIsTimeout() throws Exception {
        try (SilentServer silent = new SilentServer();
             JanusTarget mute = new JanusTarget(URI.create(silent.url() + "/janus"), true, Duration.ofMillis(500))) {
            TargetException e = failure(mute.join(new BotSpec("1234", "p", BotRole.PUBLISHER), RecordingPeer.publisher()));
            assertEquals("timeout", e.reason(), e.getMessage());
        }
    }

    @Test
    void aRefusedConnectionIsConnectionRefused() throws Exception {
        try (JanusTarget nowhere = new JanusTarget(URI.create("http://127.0.0.1:" + ArenaNodes.refusedPort() + "/janus"),
                true, TIMEOUT)) {
            TargetException e = failure(nowhere.join(new BotSpec("1234", "p", BotRole.PUBLISHER), RecordingPeer.publisher()));
            assertEquals("connection_refused", e.reason(), e.getMessage());
        }
    }

    @Test
    void aRoomThatIsNoNumberIsBadRoom() throws Exception {
        TargetException e = failure(target.join(new BotSpec("lobby", "p", BotRole.PUBLISHER), RecordingPeer.publisher()));
        assertEquals("bad_room", e.reason(), e.getMessage());
    }
}
