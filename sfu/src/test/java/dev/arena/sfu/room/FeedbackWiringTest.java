package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtcp.ReportBlock;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.transport.RtcTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feedback package through the room's hooks, with a fake clock; everything written is parsed back. */
class FeedbackWiringTest {
    static final long MS = 1_000_000L;
    static final TrackSpec VIDEO = new TrackSpec(MediaKind.VIDEO, "1", 0xAAAA, 0,
            List.of(new RtpCodec(96, "VP8", 90000, 0)), Map.of(AnswerOptions.EXT_TRANSPORT_CC, 3));

    final AtomicLong clock = new AtomicLong(10_000 * MS);
    final FeedbackWiring wiring = new FeedbackWiring();
    final RecordingSink pubSink = new RecordingSink();
    final RecordingSink subSink = new RecordingSink();
    final byte[] buf = new byte[1500 + RtcTransport.SPARE_BYTES];
    Room room;
    Participant pub;
    Participant sub;

    @BeforeEach
    void setUp() {
        room = new Room("r", clock::get, new RoomListener() {}, wiring);
        pub = room.join("pub");
        sub = room.join("sub");
        pub.attach(pubSink);
        sub.attach(subSink);
        Track video = room.publish(pub, VIDEO);
        room.subscribe(video, sub, new SubscriberSpec("1", 0x4242, 0, VIDEO.codecs(), Map.of()), 500, 0);
    }

    void send(int seq, int transportSeq, boolean keyframe) {
        // VP8 descriptor: S bit, partition 0; payload header P bit 0 = keyframe
        byte[] payload = {0x10, (byte) (keyframe ? 0x00 : 0x01), 0, 0};
        int len = new RtpPacketWriter().start(buf, 0, 1500, 96, seq, seq * 3000L, 0xAAAA).beginExtensions(false)
                .extension(3, transportSeq, 2).payload(payload, 0, payload.length).finish();
        pub.onRtp(null, buf, 0, len);
    }

    List<RtcpType> types(byte[] rtcp, RtcpReader reader) {
        List<RtcpType> out = new ArrayList<>();
        assertTrue(reader.reset(rtcp, 0, rtcp.length));
        for (RtcpType t = reader.next(); t != RtcpType.END; t = reader.next()) {
            out.add(t);
        }
        return out;
    }

    @Test
    void receiverReportsAndNacksGoToThePublisherAndTwccFeedbackToItsTransport() {
        send(100, 1, true);
        send(101, 2, false);
        send(104, 3, false); // 102 and 103 lost
        clock.addAndGet(60 * MS);
        room.onTimer();

        RtcpReader reader = new RtcpReader();
        List<RtcpType> all = new ArrayList<>();
        for (byte[] p : pubSink.rtcp) {
            List<RtcpType> t = types(p, reader);
            all.addAll(t);
            if (t.getFirst() == RtcpType.RR) {
                assertTrue(reader.reset(p, 0, p.length));
                reader.next();
                assertEquals(1, reader.receiverReport().reportCount());
                ReportBlock block = reader.receiverReport().reportBlock(0, new ReportBlock());
                assertEquals(0xAAAA, block.ssrc());
                assertEquals(104, block.extendedHighestSequence() & 0xFFFF);
                assertEquals(2, block.cumulativeLost());
                assertEquals(RtcpType.NACK, reader.next());
                List<Integer> lost = new ArrayList<>();
                reader.nack().forEachLost(lost::add);
                assertEquals(List.of(102, 103), lost);
                assertEquals(0xAAAA, reader.nack().mediaSsrc());
            }
        }
        assertTrue(all.contains(RtcpType.RR) && all.contains(RtcpType.NACK) && all.contains(RtcpType.TRANSPORT_CC),
                "RR + NACK for the track, transport-cc for the transport: " + all);
    }

    @Test
    void subscriberNacksAreAnsweredFromTheHistoryInTheSubscribersNumbering() {
        for (int seq = 10; seq < 15; seq++) {
            send(seq, seq, false);
        }
        assertEquals(5, subSink.rtp.size());
        int n = Nack.write(buf, 0, 0x77, 0x4242, new int[] {502, 503}, 0, 2);
        sub.onRtcp(null, buf, 0, n);
        assertEquals(7, subSink.rtp.size());
        assertArrayEquals(subSink.rtp.get(2), subSink.rtp.get(5), "out 502 resent as first sent");
        assertArrayEquals(subSink.rtp.get(3), subSink.rtp.get(6));
        sub.onRtcp(null, buf, 0, n);
        assertEquals(7, subSink.rtp.size(), "suppressed within 100 ms");
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(subSink.rtp.get(5), 0, subSink.rtp.get(5).length));
        assertEquals(502, p.sequenceNumber());
        assertEquals(0x4242, p.ssrc());
    }

    @Test
    void aMergedKeyframeRequestGoesOutLaterUnlessAKeyframeCame() {
        send(1, 1, false);
        int n = Pli.write(buf, 0, 0x77, 0x4242);
        sub.onRtcp(null, buf, 0, n);
        assertEquals(1, pubSink.rtcp.size(), "the first request goes at once");
        clock.addAndGet(100 * MS);
        sub.onRtcp(null, buf, 0, n);
        assertEquals(1, pubSink.rtcp.size(), "merged");
        clock.addAndGet(500 * MS);
        pubSink.rtcp.clear();
        room.onTimer();
        assertTrue(pubSink.rtcp.stream().anyMatch(p -> types(p, new RtcpReader()).contains(RtcpType.PLI)),
                "pending request sent on the timer");

        clock.addAndGet(100 * MS);
        sub.onRtcp(null, buf, 0, n); // merged again
        send(2, 2, true); // but a keyframe arrives
        clock.addAndGet(500 * MS);
        pubSink.rtcp.clear();
        room.onTimer();
        assertTrue(pubSink.rtcp.stream().noneMatch(p -> types(p, new RtcpReader()).contains(RtcpType.PLI)),
                "satisfied by the keyframe");
    }
}
