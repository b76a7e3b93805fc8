package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.transport.RtcTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link FeedbackWiring#withoutRetransmission()}: no NACK either way, the rest of the feedback as usual. */
class FeedbackWithoutRetransmissionTest {
    static final long MS = 1_000_000L;

    @Test
    void neitherNacksThePublisherNorAnswersSubscribers() {
        AtomicLong clock = new AtomicLong(10_000 * MS);
        FeedbackWiring wiring = FeedbackWiring.withoutRetransmission();
        assertFalse(wiring.retransmission());
        assertTrue(new FeedbackWiring().retransmission());
        RecordingSink pubSink = new RecordingSink();
        RecordingSink subSink = new RecordingSink();
        Room room = new Room("r", clock::get, new RoomListener() {}, wiring);
        Participant pub = room.join("pub");
        Participant sub = room.join("sub");
        pub.attach(pubSink);
        sub.attach(subSink);
        Track video = room.publish(pub, FeedbackWiringTest.VIDEO);
        room.subscribe(video, sub, new SubscriberSpec("1", 0x4242, 0, FeedbackWiringTest.VIDEO.codecs(), Map.of()),
                500, 0);

        byte[] buf = new byte[1500 + RtcTransport.SPARE_BYTES];
        byte[] payload = {0x10, 0x01, 0, 0};
        for (int seq : new int[] {100, 101, 104}) { // 102 and 103 lost
            int len = new RtpPacketWriter().start(buf, 0, 1500, 96, seq, seq * 3000L, 0xAAAA).beginExtensions(false)
                    .extension(3, seq, 2).payload(payload, 0, payload.length).finish();
            pub.onRtp(null, buf, 0, len);
        }
        assertEquals(3, subSink.rtp.size());
        clock.addAndGet(60 * MS);
        room.onTimer();
        List<RtcpType> upstream = new ArrayList<>();
        RtcpReader reader = new RtcpReader();
        for (byte[] p : pubSink.rtcp) {
            assertTrue(reader.reset(p, 0, p.length));
            for (RtcpType t = reader.next(); t != RtcpType.END; t = reader.next()) {
                upstream.add(t);
            }
        }
        assertTrue(upstream.contains(RtcpType.RR) && upstream.contains(RtcpType.TRANSPORT_CC), "" + upstream);
        assertFalse(upstream.contains(RtcpType.NACK), "no NACK upstream: " + upstream);

        int n = Nack.write(buf, 0, 0x77, 0x4242, new int[] {500, 501}, 0, 2);
        sub.onRtcp(null, buf, 0, n);
        assertEquals(3, subSink.rtp.size(), "the subscriber's NACK is not answered");
        FeedbackWiring.Counts counts = wiring.counts();
        assertEquals(0, counts.nackRequestsSent());
        assertEquals(0, counts.retransmissions());
        assertEquals(2, counts.upstreamLost());
    }
}
