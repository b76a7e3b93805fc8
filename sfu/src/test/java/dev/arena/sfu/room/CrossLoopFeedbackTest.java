package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtcp.SenderReport;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.transport.RtcTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A room on three threads, as on a node with several loops: its home loop, the publisher's loop and the subscriber's
 * loop (single-thread executors standing in for event loops; the participants placed as their transports' first
 * callbacks would place them). Packets are handed from the publisher's loop to the subscriber's; feedback crosses
 * back: NACKs answered from the track's history, keyframe requests, sender reports, and mute/unmute from the home loop
 * keeping the subscriber's numbering continuous.
 */
class CrossLoopFeedbackTest {
    static final long MS = 1_000_000L;
    final AtomicLong clock = new AtomicLong(10_000 * MS);
    final RecordingSink pubSink = new RecordingSink();
    final RecordingSink subSink = new RecordingSink();
    final byte[] buf = new byte[1500 + RtcTransport.SPARE_BYTES];
    ScheduledExecutorService home;
    ScheduledExecutorService pubLoop;
    ScheduledExecutorService subLoop;
    Room room;
    Participant pub;
    Participant sub;
    Track video;
    Subscription subscription;

    @BeforeEach
    void setUp() throws Exception {
        home = Executors.newSingleThreadScheduledExecutor();
        pubLoop = Executors.newSingleThreadScheduledExecutor();
        subLoop = Executors.newSingleThreadScheduledExecutor();
        Thread pubThread = on(pubLoop, Thread::currentThread);
        Thread subThread = on(subLoop, Thread::currentThread);
        room = new Room("r", clock::get, new RoomListener() {}, new FeedbackWiring());
        room.home(home);
        on(home, () -> {
            pub = room.join("pub");
            sub = room.join("sub");
            pub.attach(pubSink);
            sub.attach(subSink);
            video = room.publish(pub, RtxAndMuteTest.VIDEO);
            subscription = room.subscribe(video, sub, RtxAndMuteTest.WITH_RTX, 500, 7000);
            for (Participant p : List.of(pub, sub)) {
                p.loop(null); // as if on a transport, then placed by its first callback
            }
            room.place(pub, pubLoop, pubThread);
            room.place(sub, subLoop, subThread);
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        for (ExecutorService e : List.of(home, pubLoop, subLoop)) {
            e.shutdownNow();
        }
    }

    static <T> T on(ExecutorService loop, Callable<T> task) throws Exception {
        return loop.submit(task).get();
    }

    /** Lets every task chain that crosses the loops (at most three hops here) run to its end. */
    void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            for (ExecutorService e : List.of(pubLoop, subLoop, home)) {
                on(e, () -> null);
            }
        }
    }

    /** Publisher packets {@code from..to-1}, one read batch on the publisher's loop; then lets everything settle. */
    void send(int from, int to) throws Exception {
        send(from, to, true);
    }

    void send(int from, int to, boolean settle) throws Exception {
        on(pubLoop, () -> {
            for (int seq = from; seq < to; seq++) {
                byte[] payload = {0x10, 0x01, (byte) seq, 0x55, 0x66};
                int len = new dev.arena.rtc.rtp.RtpPacketWriter().start(buf, 0, 1500, 96, seq, seq * 3000L, 0xAAAA)
                        .payload(payload, 0, payload.length).finish();
                pub.onRtp(null, buf, 0, len);
            }
            return null;
        });
        if (settle) {
            settle();
        }
    }

    List<Integer> sequenceNumbers(int ssrc) {
        List<Integer> out = new ArrayList<>();
        for (byte[] b : subSink.rtp) {
            RtpPacket p = RtxAndMuteTest.parse(b);
            if (p.ssrc() == ssrc) {
                out.add(p.sequenceNumber());
            }
        }
        return out;
    }

    @Test
    void packetsCrossToTheSubscribersLoopInOrderBatchedWhileThatLoopIsBusy() throws Exception {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        subLoop.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        send(10, 30, false); // one read batch while the subscriber's loop is busy
        on(pubLoop, () -> null); // the end of the batch has run
        busy.countDown();
        settle();
        List<Integer> seqs = sequenceNumbers(0x4242);
        assertEquals(20, seqs.size(), room.drops().toString());
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(500 + i, seqs.get(i), "rewritten, in order, no gap");
        }
        assertEquals(20, room.handedOffPackets(), "one copy each");
        assertEquals(2, room.handOffTasks(), "the first packet at once (the loop was idle), the other 19 together");
        assertEquals(0, room.drops().total(), room.drops().toString());
    }

    @Test
    void aNackOnTheSubscribersLoopIsAnsweredFromTheHistoryOnThePublishersLoop() throws Exception {
        send(10, 15);
        on(subLoop, () -> {
            int n = Nack.write(buf, 0, 0x77, 0x4242, new int[] {502, 503}, 0, 2);
            sub.onRtcp(null, buf, 0, n);
            return null;
        });
        settle();
        List<Integer> rtx = sequenceNumbers(0x4243);
        assertEquals(2, rtx.size(), "two retransmissions on the RTX SSRC: " + room.drops());
        for (int i = 0; i < 2; i++) {
            RtpPacket p = RtxAndMuteTest.parse(subSink.rtp.get(5 + i));
            byte[] payload = RtxAndMuteTest.payload(p);
            assertEquals(502 + i, (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF), "the NACKed sequence number first");
        }
        assertEquals(2, on(subLoop, subscription::rtxPacketsOut));
    }

    @Test
    void aSubscribersPliReachesThePublisherThroughTheTracksThrottle() throws Exception {
        send(10, 12);
        int before = pubSink.rtcp.size();
        on(subLoop, () -> {
            int n = Pli.write(buf, 0, 0x77, 0x4242);
            sub.onRtcp(null, buf, 0, n);
            return null;
        });
        settle();
        assertEquals(before + 1, pubSink.rtcp.size());
        RtcpReader r = new RtcpReader();
        byte[] pli = pubSink.rtcp.getLast();
        assertTrue(r.reset(pli, 0, pli.length));
        assertEquals(RtcpType.PLI, r.next());
        assertEquals(0xAAAA, r.pli().mediaSsrc(), "for the publisher's SSRC");
    }

    @Test
    void senderReportsAreRelayedOnTheSubscribersLoopInItsNumbering() throws Exception {
        send(10, 12);
        on(pubLoop, () -> {
            int n = SenderReport.write(buf, 0, 0xAAAA, 0x1234_5678_0000_0000L, 11 * 3000L, 2, 10);
            pub.onRtcp(null, buf, 0, n);
            return null;
        });
        settle();
        RtcpReader r = new RtcpReader();
        byte[] sr = subSink.rtcp.getLast();
        assertTrue(r.reset(sr, 0, sr.length));
        assertEquals(RtcpType.SR, r.next());
        assertEquals(0x4242, r.senderReport().senderSsrc(), "our SSRC toward the subscriber");
        assertEquals(7000 + 3000, r.senderReport().rtpTimestamp(), "the timestamp in its numbering");
    }

    @Test
    void unmutingFromTheHomeLoopContinuesTheNumberingOnTheSubscribersLoop() throws Exception {
        send(10, 15);
        on(home, () -> {
            room.setMuted(video, true);
            return null;
        });
        send(15, 40); // muted: not forwarded
        on(home, () -> {
            room.setMuted(video, false);
            return null;
        });
        send(40, 45);
        List<Integer> seqs = sequenceNumbers(0x4242);
        assertEquals(10, seqs.size());
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(500 + i, seqs.get(i), "no gap for the muted stretch");
        }
    }
}
