package dev.arena.rtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SdpAnswererTest {
    static final Fingerprint OUR_FP = new Fingerprint("sha-256",
            "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00");

    static AnswerOptions.Builder options() {
        return AnswerOptions.builder("ArenaUfr", "ArenaPasswordArenaPassword1", OUR_FP)
                .hostCandidates(List.of(new InetSocketAddress("127.0.0.1", 40000)));
    }

    static List<String> fixtures() {
        return Fixtures.ALL;
    }

    private static List<String> lines(MediaDescription m) {
        return m.lines().stream().map(SdpLine::toString).toList();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void answersEveryFixtureWithSameMidsAndCommonParts(String name) throws Exception {
        SessionDescription offer = Fixtures.parse(name);
        SessionDescription answer = SdpAnswerer.answer(offer, options().build());
        assertEquals(offer.mids(), answer.mids());
        assertEquals(answer.toString(), SessionDescription.parse(answer.toString()).toString());
        assertTrue(answer.iceLite());
        assertEquals(answer.bundleMids(), answer.media().stream().filter(m -> m.port() != 0).map(MediaDescription::mid).toList());
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription o = offer.media().get(i);
            MediaDescription a = answer.media().get(i);
            assertEquals(o.media(), a.media());
            assertEquals(o.protocol(), a.protocol());
            if (a.port() == 0) {
                continue;
            }
            assertEquals(40000, a.port());
            assertEquals("IN IP4 127.0.0.1", a.lines().get(0).value());
            assertEquals("a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host", a.lines().get(1).toString());
            assertTrue(a.endOfCandidates());
            assertEquals("ArenaUfr", a.iceUfrag());
            assertEquals("ArenaPasswordArenaPassword1", a.icePwd());
            assertEquals(List.of(OUR_FP), a.fingerprints());
            assertEquals(Setup.PASSIVE, a.setup());
            if (a.isRtp()) {
                assertTrue(a.rtcpMux());
                assertEquals(o.rtcpRsize(), a.rtcpRsize());
                assertEquals(o.direction().reverse().intersect(Direction.SENDRECV), a.direction());
                for (Extmap e : a.extmaps()) {
                    assertEquals(e.id(), o.extmap(e.uri()).id(), "same extmap ids as offered");
                }
            }
        }
    }

    @Test
    void chromiumAudioVideo() throws Exception {
        SessionDescription answer = SdpAnswerer.answer(Fixtures.parse("chromium-av.sdp"), options().build());
        assertEquals(List.of("0", "1"), answer.bundleMids());
        assertTrue(answer.extmapAllowMixed());
        String text = answer.toString();
        assertTrue(text.startsWith("v=0\r\no=- "));
        assertTrue(text.contains("\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE 0 1\r\n"), text);
        MediaDescription audio = answer.media().get(0);
        assertEquals("audio 40000 UDP/TLS/RTP/SAVPF 111", audio.mediaLine());
        assertEquals(List.of("111 opus/48000/2"), audio.rtpmaps().stream().map(Rtpmap::toString).toList());
        assertEquals("minptime=10;useinbandfec=1", audio.fmtp(111).params());
        assertEquals(List.of("111 transport-cc"), audio.rtcpFeedback().stream().map(RtcpFb::toString).toList());
        assertEquals(List.of(1, 2, 3, 4), audio.extmaps().stream().map(Extmap::id).toList());
        assertEquals(Direction.SENDRECV, audio.direction());
        assertNull(audio.msid());
        assertTrue(audio.ssrcs().isEmpty());

        MediaDescription video = answer.media().get(1);
        assertEquals(List.of(96, 97), video.payloadTypes());
        assertEquals(96, video.fmtp(97).apt());
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                video.rtcpFeedback(96).stream().map(RtcpFb::feedback).toList());
        assertTrue(video.rtcpFeedback(97).isEmpty());
        assertEquals(List.of(2, 3, 4, 10, 11), video.extmaps().stream().map(Extmap::id).toList());
        assertEquals(List.of("a=mid:1"), lines(video).stream().filter(l -> l.startsWith("a=mid")).toList());
    }

    @Test
    void aiortcSendonlyIsAnsweredRecvonlyAndTheDuplicateExtensionIdIsKeptPerSection() throws Exception {
        SessionDescription answer = SdpAnswerer.answer(Fixtures.parse("aiortc-audio-video.sdp"), options().build());
        MediaDescription video = answer.mediaByMid("0");
        MediaDescription audio = answer.mediaByMid("1");
        assertEquals(Direction.RECVONLY, video.direction());
        assertEquals(Direction.RECVONLY, audio.direction());
        assertEquals(List.of(97, 98), video.payloadTypes());
        assertEquals(List.of("nack", "nack pli", "goog-remb"), video.rtcpFeedback(97).stream().map(RtcpFb::feedback).toList());
        assertEquals(List.of(96), audio.payloadTypes());
        assertFalse(video.rtcpRsize());
        assertEquals(AnswerOptions.EXT_ABS_SEND_TIME, video.extmaps().get(1).uri());
        assertEquals(2, video.extmaps().get(1).id());
        assertEquals(AnswerOptions.EXT_AUDIO_LEVEL, audio.extmaps().get(1).uri());
        assertEquals(2, audio.extmaps().get(1).id());
    }

    @Test
    void firefoxStyleSimulcastDataChannelAndSessionLevelSetup() throws Exception {
        SessionDescription offer = Fixtures.parse("firefox-style-handwritten.sdp");
        SessionDescription answer = SdpAnswerer.answer(offer, options()
                .headerExtensions(Set.of(AnswerOptions.EXT_MID, AnswerOptions.EXT_RID, "urn:ietf:params:rtp-hdrext:csrc-audio-level"))
                .build());
        assertEquals(List.of("0", "1", "2"), answer.bundleMids());
        assertFalse(answer.extmapAllowMixed());
        MediaDescription audio = answer.mediaByMid("0");
        assertEquals(List.of(109), audio.payloadTypes());
        Extmap csrc = audio.extmaps().stream().filter(e -> e.id() == 2).findFirst().orElseThrow();
        assertEquals(Direction.SENDONLY, csrc.direction(), "offer's /recvonly is answered /sendonly");
        MediaDescription video = answer.mediaByMid("1");
        assertEquals(List.of(120, 124), video.payloadTypes());
        assertEquals(List.of("a recv", "b recv", "c recv"), video.rids().stream().map(Rid::toString).toList());
        assertEquals("recv a;b;c", video.simulcast().toString());
        assertEquals(List.of(3, 8), video.extmaps().stream().map(Extmap::id).toList());
        MediaDescription dc = answer.mediaByMid("2");
        assertEquals("application 40000 UDP/DTLS/SCTP webrtc-datachannel", dc.mediaLine());
        assertEquals(5000, dc.sctpPort());
        assertEquals(262144, dc.maxMessageSize());
        assertEquals(Setup.PASSIVE, dc.setup());
    }

    @Test
    void simulcastCanBeDeclined() throws Exception {
        SessionDescription answer = SdpAnswerer.answer(Fixtures.parse("chromium-simulcast.sdp"), options().acceptSimulcast(false).build());
        MediaDescription video = answer.media().get(1);
        assertTrue(video.rids().isEmpty());
        assertNull(video.simulcast());
        SessionDescription accepted = SdpAnswerer.answer(Fixtures.parse("chromium-simulcast.sdp"), options().build());
        assertEquals(List.of("q", "h", "f"), accepted.media().get(1).simulcast().recvRids());
    }

    @Test
    void setupRoles() throws Exception {
        for (var c : List.of(new Setup[] {Setup.ACTPASS, Setup.PASSIVE}, new Setup[] {Setup.ACTIVE, Setup.PASSIVE},
                new Setup[] {Setup.PASSIVE, Setup.ACTIVE})) {
            String offer = Fixtures.load("aiortc-video-vp8.sdp").replace("a=setup:actpass", "a=setup:" + c[0]);
            assertEquals(c[1], SdpAnswerer.answer(SessionDescription.parse(offer), options().build()).media().get(0).setup());
        }
        String offer = Fixtures.load("aiortc-video-vp8.sdp");
        assertEquals(Setup.ACTIVE, SdpAnswerer.answer(SessionDescription.parse(offer),
                options().setupForActpass(Setup.ACTIVE).build()).media().get(0).setup());
    }

    @Test
    void directionsMirrorAndFollowTheCallersChoice() throws Exception {
        String base = Fixtures.load("chromium-av.sdp");
        SessionDescription answer = SdpAnswerer.answer(SessionDescription.parse(base), options().direction("1", Direction.RECVONLY).build());
        assertEquals(Direction.SENDRECV, answer.media().get(0).direction());
        assertEquals(Direction.RECVONLY, answer.media().get(1).direction());
        SessionDescription recvOffer = SessionDescription.parse(base.replace("a=sendrecv", "a=recvonly"));
        assertEquals(Direction.SENDONLY, SdpAnswerer.answer(recvOffer, options().build()).media().get(0).direction());
        SessionDescription inactive = SessionDescription.parse(base.replace("a=sendrecv", "a=inactive"));
        assertEquals(Direction.INACTIVE, SdpAnswerer.answer(inactive, options().build()).media().get(0).direction());
    }

    @Test
    void sectionsWithNothingAcceptableAreRejectedButListed() throws Exception {
        SessionDescription offer = Fixtures.parse("chromium-datachannel.sdp");
        SessionDescription answer = SdpAnswerer.answer(offer, options().codecs(List.of(AnswerOptions.OPUS)).acceptDataChannel(false).build());
        assertEquals(List.of("0"), answer.bundleMids());
        MediaDescription video = answer.media().get(1);
        assertEquals(0, video.port());
        assertEquals(offer.media().get(1).formats(), video.formats());
        assertEquals(List.of("c=IN IP4 0.0.0.0", "a=inactive", "a=mid:1"), lines(video));
        MediaDescription dc = answer.media().get(2);
        assertEquals("application 0 UDP/DTLS/SCTP webrtc-datachannel", dc.mediaLine());
        assertEquals(List.of("c=IN IP4 0.0.0.0", "a=mid:2"), lines(dc));

        SessionDescription none = SdpAnswerer.answer(Fixtures.parse("aiortc-video-vp8.sdp"),
                options().codecs(List.of(AnswerOptions.H264)).build());
        assertEquals(0, none.media().get(0).port());
        assertTrue(none.groups().isEmpty());
    }

    @Test
    void h264WithRequiredFmtpAndRtxOff() throws Exception {
        SessionDescription answer = SdpAnswerer.answer(Fixtures.parse("chromium-av.sdp"),
                options().codecs(List.of(AnswerOptions.OPUS, AnswerOptions.H264)).rtx(false).rtcpFeedback(null).build());
        MediaDescription video = answer.media().get(1);
        assertEquals(List.of(108), video.payloadTypes());
        assertEquals("42e01f", video.fmtp(108).parameters().get("profile-level-id"));
        assertEquals(5, video.rtcpFeedback(108).size());
    }

    @Test
    void sendTrackWritesMsidAndSsrcs() throws Exception {
        SessionDescription answer = SdpAnswerer.answer(Fixtures.parse("chromium-av.sdp"), options()
                .sendTrack("1", new AnswerOptions.SendTrack("s1", "t1", "cn", 1111, 2222))
                .sendTrack("0", new AnswerOptions.SendTrack("s1", "t0", "cn", 3333, 0))
                .build());
        MediaDescription video = answer.media().get(1);
        assertEquals(new Msid("s1", "t1"), video.msid());
        assertEquals(List.of(new SsrcGroup("FID", List.of(1111L, 2222L))), video.ssrcGroups());
        assertEquals(List.of(1111L, 2222L), video.ssrcIds());
        assertTrue(lines(video).contains("a=ssrc:2222 msid:s1 t1"));
        MediaDescription audio = answer.media().get(0);
        assertTrue(audio.ssrcGroups().isEmpty());
        assertEquals(List.of("a=ssrc:3333 cname:cn", "a=ssrc:3333 msid:s1 t0"),
                lines(audio).stream().filter(l -> l.startsWith("a=ssrc")).toList());
        // no msid when we do not send
        SessionDescription recv = SdpAnswerer.answer(Fixtures.parse("aiortc-video-vp8.sdp"), options()
                .sendTrack("0", new AnswerOptions.SendTrack("s1", "t1", "cn", 1111, 2222)).build());
        assertNull(recv.media().get(0).msid());
    }

    @Test
    void rejectsOffersWithoutMidsAndBadOptions() throws Exception {
        SessionDescription noMid = SessionDescription.parse(Fixtures.load("aiortc-video-vp8.sdp").replace("a=mid:0\r\n", ""));
        assertThrows(IllegalArgumentException.class, () -> SdpAnswerer.answer(noMid, options().build()));
        assertThrows(IllegalArgumentException.class, () -> AnswerOptions.builder("abc", "ArenaPasswordArenaPassword1", OUR_FP).build());
        assertThrows(IllegalArgumentException.class, () -> AnswerOptions.builder("abcd", "short", OUR_FP).build());
        assertThrows(IllegalArgumentException.class, () -> AnswerOptions.builder("ab cd", "ArenaPasswordArenaPassword1", OUR_FP).build());
        assertThrows(IllegalArgumentException.class, () -> options().setupForActpass(Setup.ACTPASS).build());
    }

    @Test
    void withoutCandidatesUsesTheDiscardPort() throws Exception {
        SessionDescription answer = SdpAnswerer.answer(Fixtures.parse("aiortc-video-vp8.sdp"),
                AnswerOptions.builder("ArenaUfr", "ArenaPasswordArenaPassword1", OUR_FP).iceLite(false).build());
        assertFalse(answer.iceLite());
        assertEquals(9, answer.media().get(0).port());
        assertTrue(answer.media().get(0).candidates().isEmpty());
        assertEquals("IN IP4 0.0.0.0", answer.media().get(0).lines().get(0).value());
    }
}
