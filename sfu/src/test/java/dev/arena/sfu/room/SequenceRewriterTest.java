package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceRewriterTest {

    @Test
    void startsAtTheGivenNumberAndKeepsTheSourceSpacing() {
        SequenceRewriter r = new SequenceRewriter(1000);
        assertEquals(1000, r.rewrite(50));
        assertEquals(1001, r.rewrite(51));
        assertEquals(1003, r.rewrite(53)); // a loss upstream stays a loss downstream (the subscriber may NACK it)
        assertEquals(1002, r.rewrite(52)); // reordered packet keeps its place
        assertEquals(1003, r.highestOut());
    }

    @Test
    void continuesWithoutGapAcrossPauseAndResume() {
        SequenceRewriter r = new SequenceRewriter(7);
        for (int in = 100; in < 110; in++) {
            r.rewrite(in);
        }
        assertEquals(16, r.highestOut());
        // paused: the source went on to 500 meanwhile, and may even have restarted lower
        r.resync();
        assertEquals(17, r.rewrite(500));
        assertEquals(18, r.rewrite(501));
        r.resync();
        assertEquals(19, r.rewrite(3));
        assertEquals(20, r.rewrite(4));
    }

    @Test
    void packetsFromBeforeAResyncAreRefused() {
        SequenceRewriter r = new SequenceRewriter(0);
        r.rewrite(10);
        r.rewrite(11);
        r.resync();
        assertEquals(2, r.rewrite(200));
        assertEquals(-1, r.rewrite(199), "late packet of the old segment would collide with our numbers");
        assertEquals(3, r.rewrite(201));
    }

    @Test
    void wrapsAroundSixteenBitsOnTheInputSide() {
        SequenceRewriter r = new SequenceRewriter(100);
        assertEquals(100, r.rewrite(65534));
        assertEquals(101, r.rewrite(65535));
        assertEquals(102, r.rewrite(0));
        assertEquals(103, r.rewrite(1));
        assertEquals(65535, r.toIn(101));
        assertEquals(0, r.toIn(102));
    }

    @Test
    void wrapsAroundSixteenBitsOnTheOutputSide() {
        SequenceRewriter r = new SequenceRewriter(65534);
        assertEquals(65534, r.rewrite(1000));
        assertEquals(65535, r.rewrite(1001));
        assertEquals(0, r.rewrite(1002));
        r.resync();
        assertEquals(1, r.rewrite(40000));
        assertEquals(1, r.highestOut());
    }

    @Test
    void resumesAfterHighestEvenWhenTheLastPacketsWereReordered() {
        SequenceRewriter r = new SequenceRewriter(65535);
        r.rewrite(10); // 65535
        r.rewrite(12); // 1
        r.rewrite(11); // 0, late
        r.resync();
        assertEquals(2, r.rewrite(9000));
    }

    @Test
    void aDroppedNewestPacketLeavesNoGap() {
        SequenceRewriter r = new SequenceRewriter(500);
        assertEquals(500, r.rewrite(20));
        r.drop(21); // e.g. a payload type this subscriber cannot take
        assertEquals(501, r.rewrite(22));
        assertEquals(502, r.rewrite(23));
        assertEquals(-1, r.rewrite(21), "the dropped number is not reused");
        assertEquals(22, r.toIn(501));
    }

    @Test
    void mapsOutgoingNumbersBackForNacksWithinTheCurrentSegmentOnly() {
        SequenceRewriter r = new SequenceRewriter(300);
        for (int in = 0; in < 5; in++) {
            r.rewrite(in);
        }
        assertEquals(2, r.toIn(302));
        assertEquals(-1, r.toIn(305), "not sent yet");
        r.resync();
        assertEquals(-1, r.toIn(302), "before the resync: unknown until the next packet");
        r.rewrite(1000); // 305
        assertEquals(1000, r.toIn(305));
        assertEquals(-1, r.toIn(302), "the old segment's numbers map to nothing in the new one");
    }

    @Test
    void aSegmentMayBeLongerThanTheSixteenBitCircle() {
        SequenceRewriter r = new SequenceRewriter(10);
        for (int i = 0; i < 200_000; i++) {
            assertEquals((10 + i) & 0xFFFF, r.rewrite((5000 + i) & 0xFFFF), "packet " + i);
        }
        assertEquals((5000 + 199_990) & 0xFFFF, r.toIn((10 + 199_990) & 0xFFFF));
        r.resync();
        assertEquals((10 + 200_000) & 0xFFFF, r.rewrite(1));
        assertEquals(-1, r.rewrite(0), "still refused: just before the resync");
    }
}
