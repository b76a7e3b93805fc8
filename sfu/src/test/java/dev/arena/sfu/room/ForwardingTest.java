package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtcp.Fir;
import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtcp.SenderReport;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.TransportState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarding path with recording sinks: per-subscriber rewriting of SSRC, sequence number, timestamp, payload
 * type and extension ids (stripping what the subscriber did not negotiate and what is per hop), pause/resume,
 * keyframe requests, drop counting and the feedback hooks.
 */
class ForwardingTest {
    static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    static final String ORIENTATION = "urn:3gpp:video-orientation";
    static final String TCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    static final long MS = 1_000_000L;

    /** Publisher: VP8 on 96, H264 on 102; mid id 4, transport-cc id 3, orientation id 13. */
    static final TrackSpec VIDEO = new TrackSpec(MediaKind.VIDEO, "1", 0xAAAA, 0, List.of(
            new RtpCodec(96, "VP8", 90000, 0), new RtpCodec(102, "H264", 90000, 0)),
            Map.of(MID, 4, TCC, 3, ORIENTATION, 13));
    static final TrackSpec AUDIO = new TrackSpec(MediaKind.AUDIO, "0", 0xBBBB, 0,
            List.of(new RtpCodec(111, "opus", 48000, 2)), Map.of(AUDIO_LEVEL, 1, MID, 4));

    final AtomicLong clock = new AtomicLong(5_000 * MS);
    final List<String> hookCalls = new ArrayList<>();
    Room room;
    Participant pub;
    Participant alice;
    Participant bob;
    RecordingSink pubSink = new RecordingSink();
    RecordingSink aliceSink = new RecordingSink();
    RecordingSink bobSink = new RecordingSink();
    Track video;
    Subscription aliceVideo;
    Subscription bobVideo;
    final byte[] in = new byte[1500 + RtcTransport.SPARE_BYTES];

    @BeforeEach
    void setUp() {
        room = new Room("r", clock::get, new RoomListener() {}, FeedbackFactory.BASIC);
        pub = room.join("pub");
        alice = room.join("alice");
        bob = room.join("bob");
        pub.attach(pubSink);
        alice.attach(aliceSink);
        bob.attach(bobSink);
        video = room.publish(pub, VIDEO);
        // alice: VP8 as 98, orientation as 5, no transport-cc; mid as 9 (never forwarded)
        aliceVideo = room.subscribe(video, alice, new SubscriberSpec("3", 0x1234, 0,
                List.of(new RtpCodec(98, "vp8", 90000, 0)), Map.of(ORIENTATION, 5, MID, 9)), 65535, 0xFFFF_FF00L);
        // bob: VP8 as 96 and H264 as 125; orientation with a two-byte-only id (> 14): stripped in one-byte form
        bobVideo = room.subscribe(video, bob, new SubscriberSpec("1", 0x5678, 0, List.of(
                new RtpCodec(96, "VP8", 90000, 0), new RtpCodec(125, "H264", 90000, 0)),
                Map.of(ORIENTATION, 20, TCC, 3)), 100, 1000);
    }

    /** A VP8 packet from the publisher with mid, transport-cc and orientation extensions. */
    int videoPacket(int pt, int seq, long ts) {
        return new RtpPacketWriter().start(in, 0, 1500, pt, seq, ts, 0xAAAA)
                .beginExtensions(false)
                .extension(4, '1', 1)
                .extension(3, seq, 2)
                .extension(13, 0x03, 1)
                .payload(new byte[] {0x10, 0x20, 0x30, 0x40, 0x50}, 0, 5)
                .finish();
    }

    static RtpPacket view(byte[] p) {
        RtpPacket v = new RtpPacket();
        assertTrue(v.wrap(p, 0, p.length), "valid RTP");
        return v;
    }

    @Test
    void eachSubscriberGetsItsOwnSsrcNumberingPayloadTypeAndExtensionIds() {
        int len = videoPacket(96, 40000, 3_000_000);
        byte[] original = Arrays.copyOf(in, len);
        pub.onRtp(null, in, 0, len);

        assertArrayEquals(original, Arrays.copyOf(in, len), "the publisher's bytes are not touched");
        RtpPacket a = view(aliceSink.rtp.getFirst());
        assertEquals(len, a.length(), "rewriting never changes the length");
        assertEquals(0x1234, a.ssrc());
        assertEquals(65535, a.sequenceNumber());
        assertEquals(0xFFFF_FF00L, a.timestamp());
        assertEquals(98, a.payloadType());
        assertTrue(a.findExtension(5), "orientation under alice's id");
        assertEquals(0x03, a.buffer()[a.extensionValueOffset()]);
        assertFalse(a.findExtension(13) || a.findExtension(3) || a.findExtension(4) || a.findExtension(9),
                "transport-cc (not negotiated, per hop) and mid (per transceiver) stripped");
        assertEquals(5, a.payloadLength());
        assertEquals(0x10, a.buffer()[a.payloadOffset()]);

        RtpPacket b = view(bobSink.rtp.getFirst());
        assertEquals(0x5678, b.ssrc());
        assertEquals(100, b.sequenceNumber());
        assertEquals(1000, b.timestamp());
        assertEquals(96, b.payloadType());
        assertFalse(b.findExtension(3), "transport-cc is per hop even when negotiated");
        assertFalse(b.findExtension(13) || b.findExtension(20), "id 20 does not fit the one-byte form");

        // next packet: both wrap on their own side
        len = videoPacket(96, 40001, 3_003_000);
        pub.onRtp(null, in, 0, len);
        RtpPacket a2 = view(aliceSink.rtp.get(1));
        assertEquals(0, a2.sequenceNumber());
        assertEquals(0xFFFF_FF00L + 3000 - 0x1_0000_0000L, a2.timestamp());
        assertEquals(101, view(bobSink.rtp.get(1)).sequenceNumber());
        assertEquals(2, aliceVideo.packetsOut());
        assertEquals(2, video.packetsIn());
    }

    @Test
    void aPayloadTypeTheSubscriberDidNotNegotiateIsDroppedWithoutAGap() {
        pub.onRtp(null, in, 0, videoPacket(96, 10, 0));
        pub.onRtp(null, in, 0, videoPacket(102, 11, 3000)); // H264: bob has it, alice does not
        pub.onRtp(null, in, 0, videoPacket(96, 12, 6000));

        assertEquals(2, aliceSink.rtp.size());
        assertEquals(0, view(aliceSink.rtp.get(1)).sequenceNumber(), "65535 then 0: no hole for the dropped one");
        assertEquals(3, bobSink.rtp.size());
        assertEquals(125, view(bobSink.rtp.get(1)).payloadType());
        assertEquals(1, room.drops().get(ForwardDrop.UNMAPPED_PAYLOAD_TYPE));
    }

    @Test
    void pauseAndResumeKeepNumberingContinuousAndAskForAKeyframe() {
        pub.onRtp(null, in, 0, videoPacket(96, 1, 90000));
        pub.onRtp(null, in, 0, videoPacket(96, 2, 93000));
        aliceVideo.pause();
        for (int seq = 3; seq < 50; seq++) {
            pub.onRtp(null, in, 0, videoPacket(96, seq, 93000 + seq * 3000L));
        }
        assertEquals(2, aliceSink.rtp.size());
        assertEquals(47, room.drops().get(ForwardDrop.PAUSED));
        assertEquals(49, bobSink.rtp.size(), "bob is not affected");

        clock.addAndGet(1000 * MS);
        int plisBefore = pubSink.rtcp.size();
        aliceVideo.resume();
        assertEquals(plisBefore + 1, pubSink.rtcp.size(), "keyframe requested on resume");
        assertPli(pubSink.rtcp.getLast(), 0xAAAA);

        pub.onRtp(null, in, 0, videoPacket(96, 50, 5_000_000));
        RtpPacket a = view(aliceSink.rtp.getLast());
        assertEquals(1, a.sequenceNumber(), "65535, 0, then 1 after the pause");
        assertEquals(0xFFFF_FF00L + 3000 + 90000 - 0x1_0000_0000L, a.timestamp(), "advanced by the 1 s paused");
    }

    @Test
    void keyframeRequestsFromSubscribersReachThePublisherOnItsSsrcThrottled() {
        int n = Pli.write(in, 0, 0x77, 0x1234); // alice asks for our SSRC
        alice.onRtcp(null, in, 0, n);
        assertEquals(1, pubSink.rtcp.size());
        assertPli(pubSink.rtcp.getFirst(), 0xAAAA);

        n = Fir.write(in, 0, 0x77, 0x5678, 1); // bob, 100 ms later: merged
        clock.addAndGet(100 * MS);
        bob.onRtcp(null, in, 0, n);
        assertEquals(1, pubSink.rtcp.size());
        assertEquals(1, room.drops().get(ForwardDrop.KEYFRAME_REQUEST_THROTTLED));

        clock.addAndGet(500 * MS);
        bob.onRtcp(null, in, 0, n);
        assertEquals(2, pubSink.rtcp.size());
        assertPli(pubSink.rtcp.getLast(), 0xAAAA);

        n = Pli.write(in, 0, 0x77, 0x9999);
        bob.onRtcp(null, in, 0, n);
        assertEquals(1, room.drops().get(ForwardDrop.UNKNOWN_FEEDBACK_SSRC));
    }

    @Test
    void aSubscriberThatConnectsAsksForAKeyframeButNotForAudio() {
        Track audio = room.publish(pub, AUDIO);
        Participant carol = room.join("carol");
        carol.attach(new RecordingSink());
        room.subscribe(audio, carol, new SubscriberSpec("0", 1, 0, AUDIO.codecs(), Map.of()));
        room.subscribe(video, carol, new SubscriberSpec("1", 2, 0, VIDEO.codecs(), Map.of()));
        assertEquals(0, pubSink.rtcp.size());
        carol.onStateChange(null, TransportState.CONNECTED);
        assertEquals(1, pubSink.rtcp.size(), "one PLI, for video only");
        assertPli(pubSink.rtcp.getFirst(), 0xAAAA);

        clock.addAndGet(600 * MS);
        Participant dave = room.join("dave");
        dave.onStateChange(null, TransportState.CONNECTED);
        room.subscribe(video, dave, new SubscriberSpec("1", 2, 0, VIDEO.codecs(), Map.of()));
        assertEquals(2, pubSink.rtcp.size(), "subscribing when already connected asks too");
    }

    @Test
    void unknownSsrcsAndGarbageAreDroppedAndCounted() {
        int len = new RtpPacketWriter().start(in, 0, 1500, 96, 1, 0, 0xDEAD).payload(new byte[4], 0, 4).finish();
        pub.onRtp(null, in, 0, len);
        pub.onRtp(null, new byte[] {1, 2, 3}, 0, 3);
        pub.onRtcp(null, new byte[] {1, 2, 3}, 0, 3);
        assertEquals(1, room.drops().get(ForwardDrop.UNKNOWN_SSRC));
        assertEquals(1, room.drops().get(ForwardDrop.INVALID_RTP));
        assertEquals(1, room.drops().get(ForwardDrop.INVALID_RTCP));
        assertEquals(0, aliceSink.rtp.size() + bobSink.rtp.size());
    }

    @Test
    void feedbackHooksSeePacketsAndNacksAndRetransmitThroughTheSubscription() {
        // A stand-in for the feedback package: a one-slot history and a responder that resends what it has.
        byte[][] history = new byte[65536][];
        Room r = new Room("f", clock::get, new RoomListener() {}, new FeedbackFactory() {
            @Override
            public TrackFeedback forTrack(Track track) {
                return new TrackFeedback() {
                    @Override
                    public void onPacket(RtpPacket p, long now) {
                        history[p.sequenceNumber()] = Arrays.copyOfRange(p.buffer(), p.offset(),
                                p.offset() + p.length());
                    }
                };
            }

            @Override
            public SubscriptionFeedback forSubscription(Subscription s) {
                return new SubscriptionFeedback() {
                    @Override
                    public void onNack(Nack nack, IntUnaryOperator outToIn, RetransmitSink sink, long now) {
                        nack.forEachLost(out -> {
                            int seq = outToIn.applyAsInt(out);
                            hookCalls.add("nack " + out + " -> " + seq);
                            if (seq >= 0 && history[seq] != null) {
                                sink.retransmit(history[seq], 0, history[seq].length);
                            }
                        });
                    }
                };
            }

            @Override
            public TransportFeedback forParticipant(Participant p) {
                return new TransportFeedback() {
                    @Override
                    public void onRtp(RtpPacket packet, Track track, long now) {
                        hookCalls.add("twcc " + (track == null ? "?" : track.id()));
                    }
                };
            }
        });
        Participant p = r.join("pub");
        Participant s = r.join("sub");
        RecordingSink sink = new RecordingSink();
        p.attach(new RecordingSink());
        s.attach(sink);
        Track t = r.publish(p, VIDEO);
        r.subscribe(t, s, new SubscriberSpec("1", 0x4242, 0, VIDEO.codecs(), Map.of()), 700, 0);
        for (int seq = 20; seq < 23; seq++) {
            p.onRtp(null, in, 0, videoPacket(96, seq, seq * 3000L));
        }
        int n = Nack.write(in, 0, 0x77, 0x4242, new int[] {701}, 0, 1);
        s.onRtcp(null, in, 0, n);

        assertEquals(List.of("twcc pub/1", "twcc pub/1", "twcc pub/1", "nack 701 -> 21"), hookCalls);
        assertEquals(4, sink.rtp.size());
        assertArrayEquals(sink.rtp.get(1), sink.rtp.get(3), "the retransmission is the packet as first sent");
    }

    @Test
    void senderReportsAreRelayedOnOurSsrcInOurTimestampsOnceMediaFlowed() {
        int n = SenderReport.write(in, 0, 0xAAAA, 0x1234_5678_9ABC_DEF0L, 3_000_000, 10, 1000);
        pub.onRtcp(null, in, 0, n);
        assertEquals(0, aliceSink.rtcp.size(), "nothing sent yet: no mapping to give");

        pub.onRtp(null, in, 0, videoPacket(96, 40000, 3_000_000));
        n = SenderReport.write(in, 0, 0xAAAA, 0x1234_5678_9ABC_DEF0L, 3_000_000 + 900, 11, 1005);
        pub.onRtcp(null, in, 0, n);

        RtcpReader reader = new RtcpReader();
        byte[] sr = aliceSink.rtcp.getFirst();
        assertTrue(reader.reset(sr, 0, sr.length));
        assertEquals(RtcpType.SR, reader.next());
        assertEquals(0x1234, reader.senderReport().senderSsrc());
        assertEquals(0x1234_5678_9ABC_DEF0L, reader.senderReport().ntpTimestamp());
        assertEquals((0xFFFF_FF00L + 900) & 0xFFFF_FFFFL, reader.senderReport().rtpTimestamp());
        assertEquals(1, reader.senderReport().packetCount());
        assertEquals(5, reader.senderReport().octetCount(), "payload octets we sent");
        sr = bobSink.rtcp.getFirst();
        assertTrue(reader.reset(sr, 0, sr.length));
        assertEquals(RtcpType.SR, reader.next());
        assertEquals(0x5678, reader.senderReport().senderSsrc());
        assertEquals(1000 + 900, reader.senderReport().rtpTimestamp());
    }

    private static void assertPli(byte[] rtcp, int mediaSsrc) {
        RtcpReader reader = new RtcpReader();
        assertTrue(reader.reset(rtcp, 0, rtcp.length));
        assertEquals(RtcpType.PLI, reader.next());
        assertEquals(mediaSsrc, reader.pli().mediaSsrc());
    }
}
