package dev.arena.rtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real offers (Chromium 156, aiortc 1.4) and a hand-written Firefox-style one: round-trip and key fields. */
class SdpFixturesTest {

    static List<String> fixtures() {
        return Fixtures.ALL;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void roundTripsExactly(String name) throws Exception {
        String text = Fixtures.load(name);
        assertTrue(text.contains("\r\n"), "fixture is CRLF");
        SessionDescription sd = SessionDescription.parse(text);
        assertEquals(text, sd.toString());
        // and again from its own output, and from LF input
        assertEquals(text, SessionDescription.parse(sd.toString()).toString());
        assertEquals(text, SessionDescription.parse(text.replace("\r\n", "\n")).toString());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyKnownAttributeIsReadable(String name) {
        SessionDescription sd = Fixtures.parse(name);
        for (MediaDescription m : sd.media()) {
            assertNotNull(m.mid());
            assertNotNull(sd.iceUfragFor(m));
            assertNotNull(sd.icePwdFor(m));
            assertNotNull(sd.fingerprintFor(m));
            assertEquals(Setup.ACTPASS, sd.setupFor(m));
            m.candidates();
            m.extmaps();
            m.rtpmaps();
            m.fmtps();
            m.rtcpFeedback();
            m.ssrcs();
            m.ssrcGroups();
            m.rids();
            m.simulcast();
            m.msids();
        }
    }

    @Test
    void chromiumAudioVideo() throws Exception {
        SessionDescription sd = Fixtures.parse("chromium-av.sdp");
        assertEquals(List.of("0", "1"), sd.bundleMids());
        assertEquals(List.of("0", "1"), sd.mids());
        assertTrue(sd.extmapAllowMixed());
        assertFalse(sd.iceLite());
        MediaDescription audio = sd.media().get(0);
        MediaDescription video = sd.media().get(1);
        assertEquals("audio", audio.media());
        assertEquals("UDP/TLS/RTP/SAVPF", audio.protocol());
        assertEquals(Direction.SENDRECV, audio.direction());
        assertTrue(audio.rtcpMux());
        assertTrue(audio.rtcpRsize());
        String ufrag = audio.iceUfrag();
        assertEquals(4, ufrag.length());
        assertEquals(ufrag, video.iceUfrag());
        assertEquals(ufrag, sd.iceUfragFor(video));
        assertEquals(24, audio.icePwd().length());
        assertEquals(List.of("trickle"), audio.iceOptions());
        Fingerprint fp = audio.fingerprints().get(0);
        assertEquals("sha-256", fp.algorithm());
        assertEquals(32 * 3 - 1, fp.value().length());
        assertTrue(sd.fingerprints().isEmpty(), "Chromium puts fingerprints in each section");

        assertEquals(new Rtpmap(111, "opus", 48000, 2), audio.rtpmap(111));
        assertEquals("minptime=10;useinbandfec=1", audio.fmtp(111).params());
        assertEquals("1", audio.fmtp(111).parameters().get("useinbandfec"));
        assertEquals(new Extmap(1, null, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", null), audio.extmaps().get(0));
        assertEquals(1, audio.ssrcIds().size());
        assertEquals("cname", audio.ssrcs().get(0).attribute());

        assertEquals(96, (int) video.payloadTypes().get(0));
        assertEquals(new Rtpmap(96, "VP8", 90000, 0), video.rtpmap(96));
        assertEquals(96, video.fmtp(97).apt());
        assertTrue(video.rtcpFeedback(96).stream().anyMatch(f -> f.feedback().equals("nack pli")));
        assertEquals(5, video.rtcpFeedback(96).size());
        SsrcGroup fid = video.ssrcGroups().get(0);
        assertEquals("FID", fid.semantics());
        assertEquals(2, fid.ssrcs().size());
        assertEquals(fid.ssrcs(), video.ssrcIds());
        Msid msid = video.msid();
        assertNotNull(msid.trackId());
        assertEquals(audio.msid().streamId(), msid.streamId());

        Candidate c = audio.candidates().get(0);
        assertEquals(1, c.component());
        assertEquals("udp", c.transport());
        assertEquals("127.0.0.1", c.address());
        assertEquals(audio.port(), c.port());
        assertEquals("host", c.type());
        assertEquals(0, c.generation());
        assertEquals(3, c.networkId());
        assertEquals(50, c.networkCost());
        assertTrue(audio.candidates().stream().anyMatch(x -> "active".equals(x.tcpType()) && x.address().equals("::1")));
        for (Candidate x : audio.candidates()) {
            assertEquals(x, Candidate.parse(x.toString()));
        }
    }

    @Test
    void chromiumSimulcast() {
        SessionDescription sd = Fixtures.parse("chromium-simulcast.sdp");
        MediaDescription video = sd.media().get(1);
        assertEquals(List.of("q", "h", "f"), video.rids().stream().map(Rid::id).toList());
        assertTrue(video.rids().stream().allMatch(Rid::send));
        Simulcast sc = video.simulcast();
        assertEquals(List.of("q", "h", "f"), sc.sendRids());
        assertTrue(sc.recv().isEmpty());
        assertEquals("send q;h;f", sc.toString());
        assertTrue(video.ssrcs().isEmpty(), "Chromium signals no SSRC with rids");
        assertNotNull(video.extmap(AnswerOptions.EXT_RID));
    }

    @Test
    void chromiumDataChannel() {
        SessionDescription sd = Fixtures.parse("chromium-datachannel.sdp");
        assertEquals(List.of("0", "1", "2"), sd.bundleMids());
        MediaDescription dc = sd.media().get(2);
        assertTrue(dc.isDataChannel());
        assertFalse(dc.isRtp());
        assertEquals("UDP/DTLS/SCTP", dc.protocol());
        assertEquals(List.of("webrtc-datachannel"), dc.formats());
        assertEquals(5000, dc.sctpPort());
        assertEquals(262144, dc.maxMessageSize());
        assertEquals(Direction.SENDRECV, dc.direction());
    }

    @Test
    void aiortcVideo() {
        SessionDescription sd = Fixtures.parse("aiortc-video-vp8.sdp");
        MediaDescription v = sd.media().get(0);
        assertEquals(Direction.SENDONLY, v.direction());
        assertEquals(List.of(97, 98), v.payloadTypes());
        assertEquals("VP8", v.rtpmap(97).encoding());
        assertEquals(97, v.fmtp(98).apt());
        assertEquals("FID", v.ssrcGroups().get(0).semantics());
        assertTrue(v.endOfCandidates());
        assertFalse(v.rtcpRsize());
        Candidate c = v.candidates().get(0);
        assertEquals(32, c.foundation().length());
        assertEquals(Candidate.HOST_PRIORITY, c.priority());
        assertEquals(-1, c.generation());
        assertTrue(c.extensions().isEmpty());
    }

    @Test
    void aiortcAudioVideoKeepsDuplicateExtensionIdQuirk() {
        SessionDescription sd = Fixtures.parse("aiortc-audio-video.sdp");
        MediaDescription video = sd.mediaByMid("0");
        MediaDescription audio = sd.mediaByMid("1");
        assertEquals("video", video.media());
        assertEquals("audio", audio.media());
        Extmap v2 = video.extmaps().stream().filter(e -> e.id() == 2).findFirst().orElseThrow();
        Extmap a2 = audio.extmaps().stream().filter(e -> e.id() == 2).findFirst().orElseThrow();
        assertEquals(AnswerOptions.EXT_ABS_SEND_TIME, v2.uri());
        assertEquals(AnswerOptions.EXT_AUDIO_LEVEL, a2.uri());
        // aiortc 1.4 uses different ICE credentials per section despite BUNDLE
        assertFalse(video.iceUfrag().equals(audio.iceUfrag()));
        assertEquals(new Rtpmap(96, "opus", 48000, 2), audio.rtpmap(96));
    }

    @Test
    void firefoxStyleSessionLevelFallbacks() throws Exception {
        SessionDescription sd = Fixtures.parse("firefox-style-handwritten.sdp");
        assertEquals("mozilla...THIS_IS_SDPARTA-128.0", sd.origin().username());
        assertEquals(1, sd.fingerprints().size());
        MediaDescription video = sd.mediaByMid("1");
        assertTrue(video.fingerprints().isEmpty());
        assertEquals(sd.fingerprints().get(0), sd.fingerprintFor(video));
        assertEquals(List.of("trickle"), sd.iceOptionsFor(video));
        assertEquals("7c1d9e3a", sd.iceUfragFor(video));
        assertEquals(List.of("a", "b", "c"), video.simulcast().sendRids());
        assertEquals(3, video.ssrcGroups().size());
        Extmap playout = video.extmaps().stream().filter(e -> e.id() == 6).findFirst().orElseThrow();
        assertEquals(Direction.RECVONLY, playout.direction());
        Candidate srflx = video.candidates().get(1);
        assertEquals("srflx", srflx.type());
        assertEquals("UDP", srflx.transport());
        assertEquals("192.0.2.10", srflx.relatedAddress());
        assertEquals(54609, srflx.relatedPort());
        assertEquals(srflx, Candidate.parse(srflx.toString()));
        assertEquals("0-15", sd.mediaByMid("0").fmtp(101).params());
        assertEquals(1073741823L, sd.mediaByMid("2").maxMessageSize());
    }
}
