package dev.arena.bots.target;

import static dev.arena.bots.target.ArenaNodes.TIMEOUT;
import static dev.arena.bots.target.ArenaNodes.await;
import static dev.arena.bots.target.ArenaNodes.failure;
import static dev.arena.bots.target.ArenaNodes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaSources;
import dev.arena.server.Node;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ArenaTarget against a real embedded node: joins, re-offers on offer_needed, the stage, and failures by reason. */
class ArenaTargetTest {
    private static Node node;
    private static ArenaTarget target;

    @BeforeAll
    static void start() throws Exception {
        node = ArenaNodes.start();
        target = new ArenaTarget(ArenaNodes.http(node), TokenSource.signedWith(ArenaNodes.KEY), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void publisherAndListenerGetAnswersWithTheirSections() throws Exception {
        RecordingPeer pubPeer = RecordingPeer.publisher();
        BotSession publisher = get(target.join(new BotSpec("join-room", "pub-1", BotRole.PUBLISHER), pubPeer));
        assertEquals(1, pubPeer.answers.size());
        assertEquals(List.of("recvonly", "recvonly"), pubPeer.lastAnswerDirections(), "the node receives both");

        RecordingPeer subPeer = RecordingPeer.listener(1, 1);
        BotSession listener = get(target.join(new BotSpec("join-room", "sub-1", BotRole.LISTENER), subPeer));
        assertEquals(1, subPeer.answers.size());
        assertEquals(List.of("sendonly", "sendonly"), subPeer.lastAnswerDirections(),
                "the node sends the publisher's audio and video");

        get(listener.leave());
        assertEquals("left", get(listener.ended()));
        get(publisher.leave());
        assertEquals("left", get(publisher.ended()));
    }

    @Test
    void offerNeededLeadsToAReOffer() throws Exception {
        RecordingPeer subPeer = RecordingPeer.listener(0, 1);
        BotSession listener = get(target.join(new BotSpec("renegotiate", "early-listener", BotRole.LISTENER), subPeer));
        assertEquals(List.of("inactive"), subPeer.lastAnswerDirections(), "nothing published yet");

        BotSession publisher = get(target.join(new BotSpec("renegotiate", "late-pub", BotRole.PUBLISHER),
                RecordingPeer.publisher()));
        // the node asks the listener for sections for the new tracks; the session re-offers through the peer
        await("the answer to the re-offer", () -> subPeer.answers.size() >= 2
                && subPeer.lastAnswerDirections().contains("sendonly")
                && subPeer.lastAnswerDirections().stream().filter("sendonly"::equals).count() == 2);
        assertFalse(subPeer.moreReceivers.isEmpty());
        assertEquals(subPeer.sectionCount(), subPeer.answers.getLast().media().size());
        assertFalse(listener.ended().isDone());

        get(publisher.leave());
        get(listener.leave());
    }

    @Test
    void aListenerRaisesItsHandIsPromotedPublishesAndStopsWhenDemoted() throws Exception {
        BotSession host = get(target.join(new BotSpec("stage", "host", BotRole.PUBLISHER), RecordingPeer.publisher()));
        RecordingPeer peer = RecordingPeer.listener(1, 1);
        BotSession guest = get(target.join(new BotSpec("stage", "guest", BotRole.LISTENER), peer));
        assertFalse(guest.promoted().isDone());

        get(guest.raiseHand());
        get(host.promote("guest"));
        get(guest.promoted());

        get(guest.publish(MediaSources.synthetic(MediaKind.AUDIO, 32_000), MediaSources.synthetic(MediaKind.VIDEO, 300_000)));
        assertEquals(List.of("sendonly", "sendonly", "recvonly", "recvonly"), peer.lastAnswerDirections(),
                "the node receives the guest's new sections");

        get(host.demote("guest"));
        // sent back to the audience, the guest stops sending with a re-offer (a re-offer that still sent would be
        // refused with publish_not_allowed and end the session)
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!peer.lastAnswerDirections().get(2).equals("inactive") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of("sendonly", "sendonly", "inactive", "inactive"), peer.lastAnswerDirections(),
                "the demoted guest still receives; its sending sections are inactive");
        assertFalse(guest.ended().isDone(), "the demoted guest's session goes on");
        get(guest.leave());
        get(host.leave());
    }

    @Test
    void aListenerCannotPromote() throws Exception {
        BotSession guest = get(target.join(new BotSpec("no-admin", "g1", BotRole.LISTENER), RecordingPeer.listener(1, 1)));
        TargetException e = failure(guest.promote("g1"));
        assertEquals("not_allowed", e.reason(), e.getMessage());
        get(guest.leave());
    }

    @Test
    void aRefusedConnectionIsConnectionRefused() throws Exception {
        try (ArenaTarget nowhere = new ArenaTarget(URI.create("http://127.0.0.1:" + ArenaNodes.refusedPort()),
                TokenSource.signedWith(ArenaNodes.KEY), TIMEOUT)) {
            TargetException e = failure(nowhere.join(new BotSpec("r", "b1", BotRole.LISTENER), RecordingPeer.listener(1, 1)));
            assertEquals("connection_refused", e.reason(), e.getMessage());
        }
    }

    @Test
    void aWrongPathIsHttp404() throws Exception {
        try (ArenaTarget wrong = new ArenaTarget(URI.create(ArenaNodes.http(node) + "/nope"),
                TokenSource.signedWith(ArenaNodes.KEY), TIMEOUT)) {
            TargetException e = failure(wrong.join(new BotSpec("r", "b2", BotRole.LISTENER), RecordingPeer.listener(1, 1)));
            assertEquals("http_404", e.reason(), e.getMessage());
        }
    }

    @Test
    void aTokenSignedWithAnotherKeyIsInvalidToken() throws Exception {
        try (ArenaTarget wrongKey = new ArenaTarget(ArenaNodes.http(node), TokenSource.signedWith(ArenaNodes.WRONG_KEY),
                TIMEOUT)) {
            RecordingPeer peer = RecordingPeer.listener(1, 1);
            TargetException e = failure(wrongKey.join(new BotSpec("r", "b3", BotRole.LISTENER), peer));
            assertEquals("invalid_token", e.reason(), e.getMessage());
            assertTrue(peer.offers.isEmpty(), "no offer without a join");
        }
        // the others go on
        BotSession ok = get(target.join(new BotSpec("r", "b4", BotRole.LISTENER), RecordingPeer.listener(1, 1)));
        get(ok.leave());
    }

    @Test
    void aServerThatNeverAnswersIsTimeout() throws Exception {
        try (SilentServer silent = new SilentServer();
             ArenaTarget mute = new ArenaTarget(URI.create(silent.url()), TokenSource.signedWith(ArenaNodes.KEY),
                     Duration.ofMillis(500))) {
            TargetException e = failure(mute.join(new BotSpec("r", "b6", BotRole.LISTENER), RecordingPeer.listener(1, 1)));
            assertEquals("timeout", e.reason(), e.getMessage());
        }
    }

    @Test
    void theDevelopmentKeyANodeKeepsInItsDataDirSignsTheTokens() throws Exception {
        Path dataDir = Files.createTempDirectory("arena-dev-node");
        try (Node dev = ArenaNodes.start(dataDir, Map.of());
             ArenaTarget devTarget = new ArenaTarget(ArenaNodes.http(dev),
                     TokenSource.fromEnvironment(Map.of("ARENA_DATA_DIR", dataDir.toString())), TIMEOUT)) {
            BotSession bot = get(devTarget.join(new BotSpec("dev", "p", BotRole.PUBLISHER), RecordingPeer.publisher()));
            get(bot.leave());
        }
    }

    @Test
    void withoutAKeyTheDefaultTokenSourceSaysHowToGiveOne() throws Exception {
        Path empty = Files.createTempDirectory("arena-no-node");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenSource.fromEnvironment(Map.of("ARENA_DATA_DIR", empty.toString())));
        assertTrue(e.getMessage().contains("ARENA_API_KEY"), e.getMessage());
    }

    @Test
    void demoTokensAdmitListenersToADemoEvent() throws Exception {
        HttpResponse<String> created;
        try (HttpClient http = HttpClient.newHttpClient()) {
            created = http.send(HttpRequest.newBuilder(ArenaNodes.http(node).resolve("/demo/events"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"hostName\":\"Host\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(201, created.statusCode(), created.body());
        String room = new ObjectMapper().readTree(created.body()).path("room").asText();
        try (ArenaTarget demo = new ArenaTarget(ArenaNodes.http(node), TokenSource.demo(ArenaNodes.http(node), TIMEOUT),
                TIMEOUT)) {
            BotSession guest = get(demo.join(new BotSpec(room, "guest", BotRole.LISTENER), RecordingPeer.listener(1, 1)));
            get(guest.leave());
            TargetException host = failure(demo.join(new BotSpec(room, "host", BotRole.PUBLISHER), RecordingPeer.publisher()));
            assertEquals("unsupported", host.reason(), host.getMessage());
            TargetException unknown = failure(demo.join(new BotSpec("no-such-event", "g", BotRole.LISTENER),
                    RecordingPeer.listener(1, 1)));
            assertEquals("http_404", unknown.reason(), unknown.getMessage());
        }
    }

    @Test
    void anAnswerThePeerCannotUseIsBadSdp() throws Exception {
        RecordingPeer peer = RecordingPeer.listener(1, 1);
        // a peer that rejects every answer stands for one whose offer the node answered with something unusable
        dev.arena.bots.peer.SdpPeer rejecting = new ForwardingPeer(peer) {
            @Override
            public void applyAnswer(String answerSdp) throws dev.arena.bots.peer.PeerException {
                throw new dev.arena.bots.peer.PeerException("no fingerprint");
            }
        };
        TargetException e = failure(target.join(new BotSpec("r", "b5", BotRole.LISTENER), rejecting));
        assertEquals("bad_sdp", e.reason(), e.getMessage());
    }
}
