package dev.arena.server.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arena.server.auth.Role;
import dev.arena.server.testing.TestNode;
import dev.arena.server.testing.TestNode.Joined;
import dev.arena.server.testing.WsClient;
import org.junit.jupiter.api.Test;

/** A lost WebSocket and a resume within the window (2 s here), single-use resume tokens, and the window's end. */
class ResumeTest {

    @Test
    void aResumeKeepsTheParticipantAndTheWindowsEndMakesItLeave() throws Exception {
        try (TestNode node = TestNode.start("--resume-window=2s");
             Joined ann = node.join(node.token("resume", "ann", Role.HOST))) {
            String bobToken = node.token("resume", "bob", Role.LISTENER);
            WsClient bob1 = node.connect();
            JsonNode first = bob1.call("joined", "join", "v", 1, "token", bobToken);
            assertEquals(2000, first.path("resumeWindowMs").asLong());
            bob1.request("raise_hand");
            ann.ws().expect("hand_raised");
            ann.ws().request("set_role", "participant", "bob", "role", "speaker");
            bob1.expect("role_changed");
            bob1.abort();

            try (WsClient bob2 = node.connect()) {
                JsonNode resumed = bob2.call("joined", "join", "v", 1, "token", bobToken, "resume",
                        first.path("resumeToken").asText());
                assertTrue(resumed.path("resumed").asBoolean());
                assertEquals("speaker", resumed.path("you").path("role").asText(), "the role is kept");
                assertNotEquals(first.path("resumeToken").asText(), resumed.path("resumeToken").asText());
                assertEquals(1, resumed.path("participants").size());

                try (WsClient bob3 = node.connect()) {
                    JsonNode used = bob3.request("join", "v", 1, "token", bobToken, "resume",
                            first.path("resumeToken").asText());
                    assertEquals("resume_failed", used.path("code").asText(), "a resume token is good once: " + used);
                    assertFalse(bob3.isClosed());
                }

                ann.ws().request("chat", "text", "marker");
                ann.ws().expect("chat");
                for (JsonNode m : ann.ws().drain()) {
                    assertNotEquals("participant_left", m.path("type").asText(), "bob never left: " + m);
                }

                bob2.abort();
                JsonNode left = ann.ws().expect("participant_left", "bob");
                assertEquals("timeout", left.path("reason").asText());
                try (WsClient late = node.connect()) {
                    JsonNode r = late.request("join", "v", 1, "token", bobToken, "resume",
                            resumed.path("resumeToken").asText());
                    assertEquals("resume_failed", r.path("code").asText(), r.toString());
                }
            }
        }
    }
}
