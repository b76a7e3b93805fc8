package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtcp.SenderReport;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.transport.RtcTransport;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The forwarding path allocates nothing per packet once warm: RTP fan-out to three subscribers with rewriting,
 * keyframe requests (PLI in, throttled PLI out) and sender reports relayed to each subscriber. Measured with the
 * JVM's per-thread allocation counter (bytes, not time).
 */
class ForwardingAllocationTest {

    /** Counts instead of copying. */
    static final class CountingSink implements PacketSink {
        long rtp;
        long rtcp;

        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            rtp++;
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            rtcp++;
            return true;
        }

        @Override
        public void close() {}
    }

    @Test
    void fanOutAndKeyframeRequestsAllocateNothingOnceWarm() {
        run(FeedbackFactory.BASIC);
    }

    @Test
    void withTheFeedbackPackageWiredInToo() {
        run(new FeedbackWiring(), false);
    }

    /**
     * The same-loop path of a room that spans loops: the room homed on a loop and every participant placed on it,
     * so packets go through that loop's forwarder and the track's fan-out group for it (volatile reads, no hand-off).
     */
    @Test
    void onAnEventLoopTheSameLoopPathAllocatesNothingEither() throws Exception {
        java.util.concurrent.ScheduledExecutorService loop = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        try {
            loop.submit(() -> run(new FeedbackWiring(), true)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Error err ? err : new AssertionError(e.getCause());
        } finally {
            loop.shutdownNow();
        }
    }

    private void run(FeedbackFactory feedbackFactory) {
        run(feedbackFactory, false);
    }

    /** {@code placed}: runs on an executor's thread, the room homed there and every participant placed on it. */
    private void run(FeedbackFactory feedbackFactory, boolean placed) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong clock = new AtomicLong();
        Room room = new Room("r", clock::get, new RoomListener() {}, feedbackFactory);
        Participant pub = room.join("pub");
        pub.attach(new CountingSink());
        Track video = room.publish(pub, ForwardingTest.VIDEO);
        CountingSink[] sinks = new CountingSink[3];
        for (int i = 0; i < sinks.length; i++) {
            Participant p = room.join("s" + i);
            sinks[i] = new CountingSink();
            p.attach(sinks[i]);
            room.subscribe(video, p, new SubscriberSpec("1", 100 + i, 0,
                    List.of(new RtpCodec(98, "VP8", 90000, 0)), Map.of(ForwardingTest.ORIENTATION, 5)));
        }
        Participant s0 = room.participant("s0");
        if (placed) {
            java.util.concurrent.Executor here = loopOf(Thread.currentThread());
            for (Participant p : room.participants()) {
                p.loop(null); // as if attached to a transport, then placed by its first callback
                room.place(p, here, Thread.currentThread());
            }
        }
        RoomLoop loop = pub.loop();
        byte[] buf = new byte[1500 + RtcTransport.SPARE_BYTES];
        byte[] pli = new byte[64];
        int pliLen = Pli.write(pli, 0, 7, 100);
        byte[] sr = new byte[64];
        byte[] payload = new byte[1000];
        RtpPacketWriter w = new RtpPacketWriter();

        int seq = 0;
        long[] measured = new long[6];
        for (int round = 0; round < measured.length; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50_000; i++, seq++) {
                int len = w.start(buf, 0, 1500, 96, seq & 0xFFFF, seq * 3000L, 0xAAAA).beginExtensions(false)
                        .extension(3, seq, 2).extension(13, 1, 1).payload(payload, 0, payload.length).finish();
                pub.onRtp(null, buf, 0, len);
                if (i % 100 == 0) {
                    clock.addAndGet(10_000_000L);
                    s0.onRtcp(null, pli, 0, pliLen);
                    int srLen = SenderReport.write(sr, 0, 0xAAAA, clock.get(), seq * 3000L, seq, seq * 1000L);
                    pub.onRtcp(null, sr, 0, srLen);
                    room.onTimer();
                    loop.forwarder.poll(clock.get()); // the placed participants' timer
                }
            }
            measured[round] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(placed, !loop.isInline());
        // JIT compilation may allocate a little in any early round; a per-packet allocation would show in every
        // round (>= 50,000 x 16 bytes), so one clean round proves the steady state allocates nothing.
        long best = Long.MAX_VALUE;
        for (int round = 1; round < measured.length; round++) {
            best = Math.min(best, measured[round]);
        }
        assertEquals(0, best, "bytes allocated per round of 50,000 packets x 3 subscribers: "
                + Arrays.toString(measured));
        assertEquals(50_000L * measured.length, sinks[2].rtp);
        assertEquals(500L * measured.length, sinks[2].rtcp, "one relayed sender report per 100 packets");
        assertEquals(0, room.drops().get(ForwardDrop.SEND_FAILED));
    }

    /** An executor that runs tasks on {@code thread} when called from it (the test's stand-in for its loop). */
    private static java.util.concurrent.Executor loopOf(Thread thread) {
        return task -> {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("the test posts nothing across threads");
            }
            task.run();
        };
    }

    /**
     * Audio with RFC 6464 levels: each packet's level feeds the active-speaker detector. Only the packets are
     * measured: the timer's detector poll (10 Hz) allocates a few iterators, which is not per packet.
     */
    @Test
    void audioLevelsFeedTheSpeakerDetectorWithoutAllocating() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong clock = new AtomicLong();
        Room room = new Room("r", clock::get, new RoomListener() {}, FeedbackFactory.BASIC);
        Participant[] pubs = new Participant[3];
        for (int i = 0; i < pubs.length; i++) {
            pubs[i] = room.join("p" + i);
            pubs[i].attach(new CountingSink());
            room.publish(pubs[i], new TrackSpec(MediaKind.AUDIO, "0", 0xB000 + i, 0,
                    List.of(new RtpCodec(111, "opus", 48000, 2)), Map.of(ForwardingTest.AUDIO_LEVEL, 1)));
        }
        Participant sub = room.join("sub");
        CountingSink subSink = new CountingSink();
        sub.attach(subSink);
        room.subscribe(room.track("p0/0"), sub, new SubscriberSpec("0", 100, 0,
                List.of(new RtpCodec(111, "opus", 48000, 2)), Map.of(ForwardingTest.AUDIO_LEVEL, 3)));
        byte[] buf = new byte[1500 + RtcTransport.SPARE_BYTES];
        byte[] payload = new byte[100];
        RtpPacketWriter w = new RtpPacketWriter();
        int seq = 0;
        long[] measured = new long[6];
        for (int round = 0; round < measured.length; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 30_000; i++, seq++) {
                int p = i % pubs.length;
                int level = p == 0 ? 20 : 40 + (i / 7 % 80); // p0 steady, the others vary
                int len = w.start(buf, 0, 1500, 111, seq & 0xFFFF, seq * 960L, 0xB000 + p).beginExtensions(false)
                        .extension(1, 0x80 | level, 1).payload(payload, 0, payload.length).finish();
                pubs[p].onRtp(null, buf, 0, len);
                if (p == pubs.length - 1) {
                    clock.addAndGet(20_000_000L);
                    long paused = threads.getCurrentThreadAllocatedBytes();
                    room.onTimer();
                    before += threads.getCurrentThreadAllocatedBytes() - paused; // the timer is not counted
                }
            }
            measured[round] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        long best = Long.MAX_VALUE;
        for (int round = 1; round < measured.length; round++) {
            best = Math.min(best, measured[round]);
        }
        assertEquals(0, best, "bytes allocated per round of 30,000 audio packets: " + Arrays.toString(measured));
        assertEquals(30_000L * measured.length / 3, subSink.rtp);
        assertEquals(3, room.speakers().trackedCount());
        assertEquals("p0", room.speakers().activeSpeakers().getFirst(), "the steady speaker dominates");
    }
}
