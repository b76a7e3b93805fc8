package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.transport.RtcTransport;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retransmissions toward a subscriber that negotiated RTX (RFC 4588), and muting, on the room's forwarding path with
 * real RTP and RTCP bytes (a fake clock; everything sent is parsed back).
 */
class RtxAndMuteTest {
    static final long MS = 1_000_000L;
    static final TrackSpec VIDEO = new TrackSpec(MediaKind.VIDEO, "1", 0xAAAA, 0,
            List.of(new RtpCodec(96, "VP8", 90000, 0)), Map.of());
    /** The subscriber's VP8 on 100 with its rtx on 101 (a=fmtp:101 apt=100). */
    static final SubscriberSpec WITH_RTX = new SubscriberSpec("3", 0x4242, 0x4243,
            List.of(new RtpCodec(100, "VP8", 90000, 0), new RtpCodec(101, "rtx", 90000, 0, 100)), Map.of());

    final AtomicLong clock = new AtomicLong(10_000 * MS);
    final RecordingSink pubSink = new RecordingSink();
    final RecordingSink subSink = new RecordingSink();
    final byte[] buf = new byte[1500 + RtcTransport.SPARE_BYTES];
    Room room;
    Participant pub;
    Participant sub;
    Track video;
    Subscription subscription;

    @BeforeEach
    void setUp() {
        room = new Room("r", clock::get, new RoomListener() {}, new FeedbackWiring());
        pub = room.join("pub");
        sub = room.join("sub");
        pub.attach(pubSink);
        sub.attach(subSink);
        video = room.publish(pub, VIDEO);
        subscription = room.subscribe(video, sub, WITH_RTX, 500, 7000);
    }

    void send(int seq, boolean marker) {
        byte[] payload = {0x10, 0x01, (byte) seq, 0x55, 0x66};
        int len = new RtpPacketWriter().start(buf, 0, 1500, 96, seq, seq * 3000L, 0xAAAA).marker(marker)
                .payload(payload, 0, payload.length).finish();
        pub.onRtp(null, buf, 0, len);
    }

    static RtpPacket parse(byte[] b) {
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(b, 0, b.length));
        return p;
    }

    static byte[] payload(RtpPacket p) {
        return Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength());
    }

    @Test
    void nackedPacketsGoBackAsRtxWithTheOriginalSequenceNumberFirst() {
        for (int seq = 10; seq < 15; seq++) {
            send(seq, seq == 12);
        }
        assertEquals(5, subSink.rtp.size());
        int n = Nack.write(buf, 0, 0x77, 0x4242, new int[] {502, 503}, 0, 2);
        sub.onRtcp(null, buf, 0, n);
        assertEquals(7, subSink.rtp.size());
        int firstRtxSeq = -1;
        for (int i = 0; i < 2; i++) {
            RtpPacket original = parse(subSink.rtp.get(2 + i));
            RtpPacket rtx = parse(subSink.rtp.get(5 + i));
            assertEquals(502 + i, original.sequenceNumber());
            assertEquals(0x4243, rtx.ssrc(), "our RTX SSRC (FID)");
            assertEquals(101, rtx.payloadType(), "the subscriber's rtx payload type for its VP8");
            if (i == 0) {
                firstRtxSeq = rtx.sequenceNumber();
            } else {
                assertEquals((firstRtxSeq + 1) & 0xFFFF, rtx.sequenceNumber(), "its own sequence numbers");
            }
            assertEquals(original.timestamp(), rtx.timestamp());
            assertEquals(original.marker(), rtx.marker());
            byte[] p = payload(rtx);
            assertEquals(502 + i, (p[0] & 0xFF) << 8 | (p[1] & 0xFF), "OSN: the sequence number the NACK named");
            assertArrayEquals(payload(original), Arrays.copyOfRange(p, 2, p.length), "then the original payload");
        }
        assertEquals(2, subscription.rtxPacketsOut());
        assertEquals(0, room.drops().total());
    }

    /** The NACK -> history -> rewrite -> RTX path, like the forwarding path, allocates nothing once warm. */
    @Test
    void answeringNacksWithRtxAllocatesNothingOnceWarm() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] rtx = new long[1];
        sub.attach(new PacketSink() {
            @Override
            public boolean sendRtp(byte[] b, int off, int len) {
                if ((b[off + 1] & 0x7F) == 101) {
                    rtx[0]++;
                }
                return true;
            }

            @Override
            public boolean sendRtcp(byte[] b, int off, int len) {
                return true;
            }

            @Override
            public void close() {}
        });
        byte[] nack = new byte[64];
        int[] lost = new int[1];
        byte[] payload = new byte[1000];
        RtpPacketWriter w = new RtpPacketWriter();
        int seq = 0;
        long[] measured = new long[5];
        for (int round = 0; round < measured.length; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++, seq++) {
                int len = w.start(buf, 0, 1500, 96, seq & 0xFFFF, seq * 3000L, 0xAAAA)
                        .payload(payload, 0, payload.length).finish();
                pub.onRtp(null, buf, 0, len);
                if (i % 10 == 9) {
                    clock.addAndGet(20 * MS);
                    lost[0] = (500 + seq - 5) & 0xFFFF;
                    int n = Nack.write(nack, 0, 0x77, 0x4242, lost, 0, 1);
                    sub.onRtcp(null, nack, 0, n);
                }
            }
            measured[round] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        long best = Long.MAX_VALUE;
        for (int round = 1; round < measured.length; round++) {
            best = Math.min(best, measured[round]);
        }
        assertEquals(0, best, "bytes allocated per round of 20,000 packets and 2,000 NACKs: "
                + Arrays.toString(measured));
        assertEquals(2_000L * measured.length, rtx[0], "every NACK answered with RTX");
    }

    @Test
    void aMutedTrackIsNotForwardedAndResumesWithoutAGapAndAKeyframeRequest() {
        send(10, false);
        send(11, true);
        assertEquals(2, subSink.rtp.size());
        room.setMuted(video, true);
        for (int seq = 12; seq < 40; seq++) {
            send(seq, false);
        }
        assertEquals(2, subSink.rtp.size(), "not forwarded while muted");
        assertEquals(0, room.drops().total(), "muting is not a drop");
        assertEquals(40 - 10, video.packetsIn(), "still received (statistics, history)");

        pubSink.rtcp.clear();
        room.setMuted(video, false);
        RtcpReader reader = new RtcpReader();
        assertTrue(pubSink.rtcp.stream().anyMatch(p -> reader.reset(p, 0, p.length) && reader.next() == RtcpType.PLI),
                "a keyframe request to the publisher");
        send(40, false);
        assertEquals(3, subSink.rtp.size());
        RtpPacket last = parse(subSink.rtp.get(1));
        RtpPacket resumed = parse(subSink.rtp.get(2));
        assertEquals((last.sequenceNumber() + 1) & 0xFFFF, resumed.sequenceNumber(), "no gap in our numbering");
        assertTrue(resumed.timestamp() > last.timestamp());
    }
}
