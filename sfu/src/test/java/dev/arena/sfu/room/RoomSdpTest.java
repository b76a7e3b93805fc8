package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Direction;
import dev.arena.rtc.sdp.Fingerprint;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.RtcTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The SDP glue on a real Chromium offer (from the rtc test resources) and a variant with other ids. */
class RoomSdpTest {
    static final String ORIENTATION = "urn:3gpp:video-orientation";
    static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    static String chromiumOffer() throws IOException {
        try (InputStream in = RoomSdpTest.class.getResourceAsStream("/dev/arena/rtc/sdp/chromium-av.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** The same browser with VP8 on 35, Opus on 112, orientation on id 9 and audio level on id 12. */
    static String otherIdsOffer() throws IOException {
        return chromiumOffer()
                .replace("SAVPF 96 97", "SAVPF 35 97").replace("a=rtpmap:96 VP8", "a=rtpmap:35 VP8")
                .replace("a=rtcp-fb:96 ", "a=rtcp-fb:35 ").replace("apt=96", "apt=35")
                .replace("SAVPF 111 63", "SAVPF 112 63").replace("a=rtpmap:111 ", "a=rtpmap:112 ")
                .replace("a=rtcp-fb:111 ", "a=rtcp-fb:112 ").replace("a=fmtp:111 ", "a=fmtp:112 ")
                .replace("a=extmap:13 " + ORIENTATION, "a=extmap:9 " + ORIENTATION)
                .replace("a=extmap:1 " + AUDIO_LEVEL, "a=extmap:12 " + AUDIO_LEVEL);
    }

    static AnswerOptions.Builder options() {
        return AnswerOptions.builder("abcd", "abcdefghijklmnopqrstuvwxyz",
                        new Fingerprint("sha-256", "00:11:22:33"))
                .hostCandidates(List.of(new InetSocketAddress("127.0.0.1", 40000)));
    }

    @Test
    void aPublishersOfferBecomesTracksAndARecvonlyAnswer() throws Exception {
        RoomSdp.Negotiation n = RoomSdp.negotiate(SessionDescription.parse(chromiumOffer()), options(), true,
                List.of(), () -> 1);
        assertEquals(2, n.published().size());
        assertEquals(List.of(), n.deliveries());
        TrackSpec audio = n.published().get(0);
        TrackSpec video = n.published().get(1);
        assertEquals(MediaKind.AUDIO, audio.kind());
        assertEquals("0", audio.mid());
        assertEquals((int) 4189124305L, audio.ssrc());
        assertEquals(List.of(new RtpCodec(111, "opus", 48000, 2)), audio.codecs());
        assertEquals(1, audio.extensionIds().get(AUDIO_LEVEL));
        assertEquals(MediaKind.VIDEO, video.kind());
        assertEquals((int) 2172311236L, video.ssrc(), "the media SSRC of the FID group");
        assertEquals((int) 1913798655L, video.rtxSsrc());
        assertEquals(List.of(new RtpCodec(96, "VP8", 90000, 0)), video.codecs(), "VP8, no RTX yet");
        assertEquals(13, video.extensionIds().get(ORIENTATION));
        assertEquals(90000, video.clockRate());
        for (MediaDescription m : n.answer().media()) {
            assertEquals(Direction.RECVONLY, m.direction());
            assertTrue(m.ssrcIds().isEmpty(), "we send nothing to a publisher");
        }
    }

    @Test
    void aSubscribersOfferGetsTheTracksDeclaredAndItsOwnIdsMapped() throws Exception {
        Room room = new Room("r");
        Participant pub = room.join("pub");
        RoomSdp.Negotiation published = RoomSdp.negotiate(SessionDescription.parse(chromiumOffer()), options(), true,
                List.of(), () -> 1);
        for (TrackSpec spec : published.published()) {
            room.publish(pub, spec);
        }
        AtomicInteger ssrcs = new AtomicInteger(-1); // 0 is skipped
        RoomSdp.Negotiation n = RoomSdp.negotiate(SessionDescription.parse(otherIdsOffer()), options(), false,
                room.tracks(), ssrcs::incrementAndGet);

        assertEquals(List.of(), n.published(), "not allowed to publish");
        assertEquals(2, n.deliveries().size());
        RoomSdp.Delivery audio = n.deliveries().get(0);
        RoomSdp.Delivery video = n.deliveries().get(1);
        assertEquals("pub/0", audio.track().id());
        assertEquals("pub/1", video.track().id());
        assertEquals(1, audio.spec().ssrc());
        assertEquals(2, video.spec().ssrc());
        assertEquals(List.of(new RtpCodec(35, "VP8", 90000, 0), new RtpCodec(97, "rtx", 90000, 0, 35)),
                video.spec().codecs(), "VP8 and its RTX toward a subscriber");
        assertEquals(3, video.spec().rtxSsrc());
        assertEquals(0, audio.spec().rtxSsrc(), "no rtx offered for audio");
        assertEquals(9, video.spec().extensionIds().get(ORIENTATION));
        assertEquals(12, audio.spec().extensionIds().get(AUDIO_LEVEL));
        MediaDescription answerVideo = n.answer().mediaByMid("1");
        assertEquals(Direction.SENDONLY, answerVideo.direction());
        assertEquals(List.of(2L, 3L), answerVideo.ssrcIds(), "our SSRCs declared");
        assertEquals(List.of(2L, 3L), answerVideo.ssrcGroups().getFirst().ssrcs(), "FID group");
        assertEquals("pub", answerVideo.msid().streamId());
        assertEquals("pub/1", answerVideo.msid().trackId());
        assertEquals(List.of(1L), n.answer().mediaByMid("0").ssrcIds());

        // and the packets follow: VP8 96 -> 35, orientation 13 -> 9, audio level 1 -> 12
        Participant sub = room.join("sub");
        RecordingSink sink = new RecordingSink();
        sub.attach(sink);
        for (RoomSdp.Delivery d : n.deliveries()) {
            room.subscribe(d.track(), sub, d.spec());
        }
        byte[] buf = new byte[1500 + RtcTransport.SPARE_BYTES];
        int len = new RtpPacketWriter().start(buf, 0, 1500, 96, 1, 0, (int) 2172311236L).beginExtensions(false)
                .extension(4, '1', 1).extension(13, 1, 1).payload(new byte[3], 0, 3).finish();
        pub.onRtp(null, buf, 0, len);
        len = new RtpPacketWriter().start(buf, 0, 1500, 111, 1, 0, (int) 4189124305L).beginExtensions(false)
                .extension(1, 0x85, 1).extension(3, 77, 2).payload(new byte[3], 0, 3).finish();
        pub.onRtp(null, buf, 0, len);
        assertEquals(2, sink.rtp.size());
        RtpPacket v = new RtpPacket();
        assertTrue(v.wrap(sink.rtp.get(0), 0, sink.rtp.get(0).length));
        assertEquals(35, v.payloadType());
        assertEquals(2, v.ssrc());
        assertTrue(v.findExtension(9));
        assertFalse(v.findExtension(4) || v.findExtension(13));
        assertTrue(v.wrap(sink.rtp.get(1), 0, sink.rtp.get(1).length));
        assertEquals(112, v.payloadType());
        assertEquals(1, v.ssrc());
        assertTrue(v.findExtension(12));
        assertEquals((byte) 0x85, v.buffer()[v.extensionValueOffset()]);
        assertFalse(v.findExtension(1) || v.findExtension(3));
    }

    @Test
    void aSectionWithNoTrackLeftIsInactive() throws Exception {
        RoomSdp.Negotiation n = RoomSdp.negotiate(SessionDescription.parse(chromiumOffer()), options(), false,
                List.of(), () -> 1);
        assertEquals(List.of(), n.deliveries());
        for (MediaDescription m : n.answer().media()) {
            assertEquals(Direction.INACTIVE, m.direction());
        }
    }
}
