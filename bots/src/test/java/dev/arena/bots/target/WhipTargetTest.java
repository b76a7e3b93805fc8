package dev.arena.bots.target;

import static dev.arena.bots.target.ArenaNodes.TIMEOUT;
import static dev.arena.bots.target.ArenaNodes.failure;
import static dev.arena.bots.target.ArenaNodes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.server.Node;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WhipTarget: a WHIP publisher and a WHEP listener against a real embedded node, and failures by reason. */
class WhipTargetTest {
    private static Node node;
    private static WhipTarget target;

    @BeforeAll
    static void start() throws Exception {
        node = ArenaNodes.start();
        target = WhipTarget.arena(ArenaNodes.http(node), TokenSource.signedWith(ArenaNodes.KEY), TIMEOUT);
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
    void aWhipPublisherAndAWhepListener() throws Exception {
        RecordingPeer pubPeer = RecordingPeer.publisher();
        BotSession publisher = get(target.join(new BotSpec("whip-room", "encoder", BotRole.PUBLISHER), pubPeer));
        assertEquals(List.of("recvonly", "recvonly"), pubPeer.lastAnswerDirections());
        assertEquals(1, node.whip().resourceCount());

        RecordingPeer subPeer = RecordingPeer.listener(1, 1);
        BotSession viewer = get(target.join(new BotSpec("whip-room", "viewer", BotRole.LISTENER), subPeer));
        assertEquals(List.of("sendonly", "sendonly"), subPeer.lastAnswerDirections());
        assertEquals(2, node.whip().resourceCount());

        TargetException stage = failure(viewer.raiseHand());
        assertEquals("unsupported", stage.reason());

        // DELETE on the Locations ends both sessions
        get(viewer.leave());
        get(publisher.leave());
        assertEquals("left", get(publisher.ended()));
        assertEquals(0, node.whip().resourceCount());
    }

    @Test
    void watchingARoomWithNothingPublishedIsHttp404() throws Exception {
        TargetException e = failure(target.join(new BotSpec("empty-room", "v1", BotRole.LISTENER),
                RecordingPeer.listener(1, 1)));
        assertEquals("http_404", e.reason(), e.getMessage());
    }

    @Test
    void aWrongPathIsHttp404() throws Exception {
        try (WhipTarget wrong = new WhipTarget(ArenaNodes.http(node) + "/whipx/{room}", null,
                TokenSource.signedWith(ArenaNodes.KEY), TIMEOUT)) {
            TargetException e = failure(wrong.join(new BotSpec("r", "p1", BotRole.PUBLISHER), RecordingPeer.publisher()));
            assertEquals("http_404", e.reason(), e.getMessage());
        }
    }

    @Test
    void aTokenSignedWithAnotherKeyIsHttp401() throws Exception {
        try (WhipTarget wrongKey = WhipTarget.arena(ArenaNodes.http(node), TokenSource.signedWith(ArenaNodes.WRONG_KEY),
                TIMEOUT)) {
            TargetException e = failure(wrongKey.join(new BotSpec("r", "p2", BotRole.PUBLISHER),
                    RecordingPeer.publisher()));
            assertEquals("http_401", e.reason(), e.getMessage());
        }
    }

    @Test
    void noTokenIsHttp401() throws Exception {
        try (WhipTarget anonymous = WhipTarget.arena(ArenaNodes.http(node), TokenSource.none(), TIMEOUT)) {
            TargetException e = failure(anonymous.join(new BotSpec("r", "p3", BotRole.PUBLISHER),
                    RecordingPeer.publisher()));
            assertEquals("http_401", e.reason(), e.getMessage());
        }
    }

    @Test
    void aServerThatNeverAnswersIsTimeout() throws Exception {
        try (SilentServer silent = new SilentServer();
             WhipTarget mute = WhipTarget.arena(URI.create(silent.url()), TokenSource.signedWith(ArenaNodes.KEY),
                     java.time.Duration.ofMillis(500))) {
            TargetException e = failure(mute.join(new BotSpec("r", "p5", BotRole.PUBLISHER), RecordingPeer.publisher()));
            assertEquals("timeout", e.reason(), e.getMessage());
        }
    }

    @Test
    void aRefusedConnectionIsConnectionRefused() throws Exception {
        try (WhipTarget nowhere = WhipTarget.arena(URI.create("http://127.0.0.1:" + ArenaNodes.refusedPort()),
                TokenSource.signedWith(ArenaNodes.KEY), TIMEOUT)) {
            TargetException e = failure(nowhere.join(new BotSpec("r", "p4", BotRole.PUBLISHER), RecordingPeer.publisher()));
            assertEquals("connection_refused", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("POST"), e.getMessage());
        }
    }
}
