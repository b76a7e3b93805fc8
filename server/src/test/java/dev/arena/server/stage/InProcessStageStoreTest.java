package dev.arena.server.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.server.auth.Role;
import dev.arena.server.config.RoomLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The room state's rules: limits, replacement, the hand queue, roles, tracks, implicit and explicit rooms. */
class InProcessStageStoreTest {
    private final InProcessStageStore store = new InProcessStageStore(() -> 1000L);
    private static final RoomLimits LIMITS = new RoomLimits(3, 2, 4);

    private static StageParticipant p(String identity, Role role) {
        return new StageParticipant(identity, identity.toUpperCase(), role, new Permissions(true, true, false),
                false, false, List.of());
    }

    @Test
    void limitsAreCheckedAndARefusedJoinChangesNothing() throws StageException {
        store.join("r", LIMITS, p("ann", Role.HOST));
        store.join("r", LIMITS, p("bob", Role.SPEAKER));
        StageException stage = assertThrows(StageException.class, () -> store.join("r", LIMITS, p("cat", Role.SPEAKER)));
        assertEquals(StageException.Code.SPEAKERS_FULL, stage.code());
        store.join("r", LIMITS, p("cat", Role.LISTENER));
        assertEquals(StageException.Code.ROOM_FULL,
                assertThrows(StageException.class, () -> store.join("r", LIMITS, p("dan", Role.LISTENER))).code());
        StageStore.Joined again = store.join("r", LIMITS, p("cat", Role.LISTENER));
        assertEquals("cat", again.replaced().identity(), "the same identity replaces, and does not count twice");
        assertEquals(List.of("ann", "bob", "cat"), again.room().participants().stream().map(StageParticipant::identity)
                .toList());
        assertEquals(StageException.Code.SPEAKERS_FULL,
                assertThrows(StageException.class, () -> store.setRole("r", "cat", Role.SPEAKER)).code());
        assertEquals(Role.LISTENER, store.participant("r", "cat").orElseThrow().role());
    }

    @Test
    void handsQueueInOrderAndGoingOnStageLowersOne() throws StageException {
        store.join("r", LIMITS, p("ann", Role.HOST));
        store.join("r", LIMITS, p("bob", Role.LISTENER));
        store.join("r", LIMITS, p("cat", Role.LISTENER));
        assertEquals(List.of("bob"), store.raiseHand("r", "bob").hands());
        assertEquals(List.of("bob", "cat"), store.raiseHand("r", "cat").hands());
        assertFalse(store.raiseHand("r", "bob").changed());
        StageStore.RoleChange ch = store.setRole("r", "bob", Role.SPEAKER);
        assertTrue(ch.before().handRaised());
        assertFalse(ch.after().handRaised());
        assertEquals(List.of("cat"), ch.hands());
        StageStore.Left left = store.leave("r", "cat").orElseThrow();
        assertTrue(left.hadHand());
        assertEquals(List.of(), left.hands());
        assertEquals(StageException.Code.NOT_FOUND,
                assertThrows(StageException.class, () -> store.raiseHand("r", "cat")).code());
    }

    @Test
    void tracksAndMutes() throws StageException {
        store.join("r", LIMITS, p("ann", Role.HOST));
        store.setTracks("r", "ann", List.of(new StageTrack("ann/0", "audio", "microphone", false)));
        assertEquals("ann", store.publisherOf("r", "ann/0").orElseThrow().identity());
        assertTrue(store.setMuted("r", "ann/0", true).track("ann/0").muted());
        assertEquals(StageException.Code.NOT_FOUND,
                assertThrows(StageException.class, () -> store.setMuted("r", "ann/9", true)).code());
        assertThrows(IllegalArgumentException.class, () -> new StageTrack("x", "audio", "radio", false));
    }

    @Test
    void implicitRoomsGoWhenEmptyExplicitOnesStay() throws StageException {
        store.join("implicit", LIMITS, p("ann", Role.HOST));
        assertTrue(store.leave("implicit", "ann").orElseThrow().roomClosed());
        assertFalse(store.exists("implicit"));
        StageRoom created = store.create("explicit", "Title", LIMITS);
        assertEquals(1000L, created.createdAtMs());
        assertEquals(StageException.Code.ROOM_EXISTS,
                assertThrows(StageException.class, () -> store.create("explicit", null, LIMITS)).code());
        store.join("explicit", RoomLimits.DEFAULTS, p("ann", Role.HOST));
        assertEquals(LIMITS, store.room("explicit").orElseThrow().limits(), "its own limits, not the default");
        assertFalse(store.leave("explicit", "ann").orElseThrow().roomClosed());
        assertTrue(store.exists("explicit"));
        assertTrue(store.delete("explicit").isPresent());
        assertFalse(store.exists("explicit"));
        assertNull(store.participant("explicit", "ann").orElse(null));
        assertTrue(store.setActiveSpeakers("x", List.of()) == false);
    }
}
