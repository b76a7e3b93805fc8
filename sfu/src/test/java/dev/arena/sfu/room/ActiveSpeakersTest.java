package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.transport.RtcTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The room's active speakers: RFC 6464 levels read from the publishers' audio packets on the forwarding path,
 * under each track's own extension id, fed to the detector, polled from {@link Room#onTimer()} and reported
 * through {@link RoomListener#onActiveSpeakers}. Fake clock, 20 ms packets, the timer every 20 ms.
 */
class ActiveSpeakersTest {
    static final long MS = 1_000_000L;

    record Emission(long atNanos, List<String> ids) {}

    final AtomicLong clock = new AtomicLong(1_000 * MS);
    final List<Emission> emissions = new ArrayList<>();
    final byte[] buf = new byte[1500 + RtcTransport.SPARE_BYTES];
    final RtpPacketWriter writer = new RtpPacketWriter();
    Room room;
    Participant loud;
    Participant quiet;
    Track loudAudio;
    Track quietAudio;
    int seq;

    @BeforeEach
    void setUp() {
        room = new Room("r", clock::get, new RoomListener() {
            @Override
            public void onActiveSpeakers(Room r, List<String> ids) {
                emissions.add(new Emission(clock.get(), ids));
            }
        }, FeedbackFactory.BASIC);
        loud = room.join("loud");
        quiet = room.join("quiet");
        loud.attach(new RecordingSink());
        quiet.attach(new RecordingSink());
        // the two publishers negotiated different ids for the audio level
        loudAudio = room.publish(loud, ForwardingTest.AUDIO); // audio level as 1, mid as 4
        quietAudio = room.publish(quiet, new TrackSpec(MediaKind.AUDIO, "0", 0xCCCC, 0,
                List.of(new RtpCodec(111, "opus", 48000, 2)), Map.of(ForwardingTest.AUDIO_LEVEL, 7)));
    }

    /** An Opus packet with a mid element and, if {@code levelId != 0}, an audio-level element (V set). */
    int audioPacket(int ssrc, int levelId, int level) {
        seq++;
        var w = writer.start(buf, 0, 1500, 111, seq & 0xFFFF, seq * 960L, ssrc).beginExtensions(false)
                .extension(4, '0', 1);
        if (levelId != 0) {
            w.extension(levelId, 0x80 | level, 1);
        }
        return w.payload(new byte[] {1, 2, 3}, 0, 3).finish();
    }

    /** {@code millis} of 20 ms packets from both publishers (levels, -dBov; -1 sends nothing), timer each 20 ms. */
    void run(long millis, int loudLevel, int quietLevel) {
        for (long t = 0; t < millis; t += 20) {
            clock.addAndGet(20 * MS);
            if (loudLevel >= 0) {
                int len = audioPacket(0xBBBB, 1, loudLevel);
                loud.onRtp(null, buf, 0, len);
            }
            if (quietLevel >= 0) {
                int len = audioPacket(0xCCCC, 7, quietLevel);
                quiet.onRtp(null, buf, 0, len);
            }
            room.onTimer();
        }
    }

    @Test
    void theLoudPublisherIsReportedFirstAtMostEvery500msAndRemovedWhenItLeaves() {
        assertEquals(1, loudAudio.audioLevelId());
        assertEquals(7, quietAudio.audioLevelId());

        run(3_000, 10, 45); // both above the speech threshold (-50 dBov), loud by 35 dB
        assertFalse(emissions.isEmpty(), "speakers reported");
        assertEquals(List.of("loud", "quiet"), emissions.getFirst().ids(), "the loud one first: " + emissions);
        for (Emission e : emissions) {
            assertEquals("loud", e.ids().getFirst(), "the quiet one never dominates: " + emissions);
        }
        long[] loudLevels = loudAudio.audioLevelCounts();
        assertEquals(150, loudLevels[10], "every packet's level read under the track's own id");
        assertEquals(150, quietAudio.audioLevelCounts()[45]);

        int before = emissions.size();
        room.leave(loud);
        assertEquals(1, room.speakers().trackedCount(), "the detector forgot the participant that left");
        run(1_000, -1, 45);
        assertEquals(before + 1, emissions.size(), "one new emission after the leave: " + emissions);
        assertEquals(List.of("quiet"), emissions.getLast().ids());
        assertSpaced();
    }

    @Test
    void aQuietRoomReportsNobodyAndLevelsWithoutTheExtensionAreIgnored() {
        // quiet publisher's packets carry no level element; the loud one only silence (127)
        for (int i = 0; i < 100; i++) {
            clock.addAndGet(20 * MS);
            int len = audioPacket(0xCCCC, 0, 0);
            quiet.onRtp(null, buf, 0, len);
            len = audioPacket(0xBBBB, 1, 127);
            loud.onRtp(null, buf, 0, len);
            room.onTimer();
        }
        assertTrue(emissions.isEmpty(), "nobody speaks: " + emissions);
        assertArrayEquals(new long[128], quietAudio.audioLevelCounts(), "no level element, no sample");
        assertEquals(1, room.speakers().trackedCount(), "only the publisher that sent levels is tracked");
    }

    @Test
    void handoverWhenTheOtherSpeaksAndUnpublishingTheAudioForgetsThePublisher() {
        run(2_000, 20, -1);
        assertEquals(List.of("loud"), emissions.getLast().ids());
        run(4_000, 127, 20); // loud goes silent, quiet speaks
        assertEquals(List.of("quiet"), emissions.getLast().ids(), "" + emissions);
        room.unpublish(quietAudio);
        run(1_000, -1, -1);
        assertEquals(List.of(), emissions.getLast().ids(), "unpublished audio leaves the list: " + emissions);
        assertEquals(1, room.speakers().trackedCount());
        assertSpaced();
    }

    /** At most one emission per 500 ms of the room's clock, each one a change. */
    void assertSpaced() {
        for (int i = 1; i < emissions.size(); i++) {
            Emission a = emissions.get(i - 1);
            Emission b = emissions.get(i);
            assertTrue(b.atNanos() - a.atNanos() >= 500 * MS, "emissions 500 ms apart at least: " + emissions);
            assertFalse(a.ids().equals(b.ids()), "only changes are reported: " + emissions);
        }
    }
}
