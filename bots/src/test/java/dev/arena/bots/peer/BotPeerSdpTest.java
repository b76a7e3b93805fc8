package dev.arena.bots.peer;

import dev.arena.bots.media.MediaSources;

import dev.arena.bots.media.MediaKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.sdp.Direction;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.sdp.Setup;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The descriptions a bot writes: its offer, its re-offers and its answer to a (Janus-style) remote offer. */
class BotPeerSdpTest {
    private UdpLoops loops;
    private BotContext context;

    @BeforeEach
    void start() {
        loops = UdpLoops.start(1, UdpEndpoint.Transport.AUTO);
        context = new BotContext(loops, DtlsCertificate.shared(), InetAddress.getLoopbackAddress(), v -> { });
    }

    @AfterEach
    void stop() {
        loops.close();
    }

    @Test
    void offerIsOneBundleWithBrowserCodecsAndExtensions() throws Exception {
        BotPeer p = new BotPeer(context, new PeerPlan(1, 2, MediaSources.synthetic(MediaKind.AUDIO, 32_000), MediaSources.synthetic(MediaKind.VIDEO, 500_000)));
        SessionDescription offer = SessionDescription.parse(p.createOffer());
        assertEquals(List.of("0", "1", "2", "3", "4"), offer.mids());
        assertEquals(offer.mids(), offer.bundleMids());
        String ufrag = offer.iceUfragFor(offer.media().getFirst());
        for (MediaDescription m : offer.media()) {
            assertEquals(ufrag, offer.iceUfragFor(m));
            assertEquals(Setup.ACTPASS, offer.setupFor(m));
            assertTrue(offer.fingerprintFor(m).matches("sha-256", DtlsCertificate.shared().fingerprintValue()));
            assertTrue(m.rtcpMux());
            assertTrue(m.candidates().isEmpty(), "no candidates: the server learns the bot from its checks");
            assertNotNull(m.extmap(BotSdp.EXT_MID));
            assertNotNull(m.extmap(BotSdp.EXT_TRANSPORT_CC));
            assertNotNull(m.extmap(BotSdp.EXT_ABS_CAPTURE_TIME));
        }
        List<MediaDescription> ms = offer.media();
        assertEquals(List.of("audio", "video", "video", "audio", "video"), ms.stream().map(MediaDescription::media)
                .toList());
        assertEquals(Direction.RECVONLY, ms.get(0).direction());
        assertEquals(Direction.SENDONLY, ms.get(3).direction());
        assertEquals("opus", ms.get(0).rtpmap(111).encoding());
        assertEquals("minptime=10;useinbandfec=1", ms.get(0).fmtp(111).params());
        assertNotNull(ms.get(0).extmap(BotSdp.EXT_AUDIO_LEVEL));
        assertNull(ms.get(1).extmap(BotSdp.EXT_AUDIO_LEVEL));
        assertEquals("VP8", ms.get(1).rtpmap(96).encoding());
        assertEquals(96, ms.get(1).fmtp(97).apt());
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                ms.get(1).rtcpFeedback(96).stream().map(f -> f.feedback()).toList());
        assertTrue(ms.get(1).ssrcs().isEmpty(), "a receiving section declares no SSRC");
        MediaDescription video = ms.get(4);
        assertEquals(2, video.ssrcIds().size());
        assertEquals("FID", video.ssrcGroups().getFirst().semantics());
        assertEquals(video.ssrcIds(), video.ssrcGroups().getFirst().ssrcs());
        assertNotNull(video.msid());
        assertEquals(1, ms.get(3).ssrcIds().size(), "audio sends without RTX");
    }

    @Test
    void reOffersKeepEverySectionInOrderWithTheSameCredentials() throws Exception {
        BotPeer p = new BotPeer(context, PeerPlan.listener(1, 1));
        SessionDescription first = SessionDescription.parse(p.createOffer());
        SessionDescription more = SessionDescription.parse(p.offerMoreReceivers(0, 2));
        assertEquals(List.of("0", "1", "2", "3"), more.mids());
        SessionDescription onStage = SessionDescription.parse(p.offerToPublish(MediaSources.synthetic(MediaKind.AUDIO, 32_000),
                MediaSources.synthetic(MediaKind.VIDEO, 300_000)));
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), onStage.mids());
        assertEquals(Direction.SENDONLY, onStage.media().get(5).direction());
        SessionDescription off = SessionDescription.parse(p.offerToStopPublishing());
        assertEquals(onStage.mids(), off.mids());
        assertEquals(Direction.INACTIVE, off.media().get(4).direction());
        assertEquals(Direction.INACTIVE, off.media().get(5).direction());
        assertTrue(off.media().get(5).ssrcs().isEmpty());
        for (SessionDescription d : List.of(more, onStage, off)) {
            assertEquals(first.origin().sessionId(), d.origin().sessionId());
            assertEquals(first.iceUfragFor(first.media().getFirst()), d.iceUfragFor(d.media().getLast()));
            assertEquals(first.icePwdFor(first.media().getFirst()), d.icePwdFor(d.media().getLast()));
            assertEquals(first.fingerprintFor(first.media().getFirst()), d.fingerprintFor(d.media().getLast()));
            for (int i = 0; i < first.media().size(); i++) {
                assertEquals(first.media().get(i).toString(), d.media().get(i).toString(),
                        "an earlier receiving section is unchanged");
            }
        }
        assertTrue(Long.parseLong(off.origin().sessionVersion()) > Long.parseLong(first.origin().sessionVersion()));
    }

    /** What Janus 1.x offers a VideoRoom subscriber: sendonly audio and video with rtx, and a data channel. */
    static final String JANUS_OFFER = "v=0\r\n"
            + "o=- 1732536000000000 1 IN IP4 127.0.0.1\r\n"
            + "s=VideoRoom 1234\r\n"
            + "t=0 0\r\n"
            + "a=group:BUNDLE a0 v1 d2\r\n"
            + "a=ice-options:trickle\r\n"
            + "a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\n"
            + "a=extmap-allow-mixed\r\n"
            + "a=msid-semantic: WMS *\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 109\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "a=sendonly\r\n"
            + "a=mid:a0\r\n"
            + "a=rtcp-mux\r\n"
            + "a=ice-ufrag:KTrX\r\n"
            + "a=ice-pwd:bQ5Q3eRY7GBzVEBDS3kbcd\r\n"
            + "a=ice-options:trickle\r\n"
            + "a=setup:actpass\r\n"
            + "a=rtpmap:109 opus/48000/2\r\n"
            + "a=fmtp:109 useinbandfec=1\r\n"
            + "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
            + "a=extmap:4 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
            + "a=msid:janus janusa0\r\n"
            + "a=ssrc:3027420154 cname:janus\r\n"
            + "a=candidate:1 1 udp 2015363327 127.0.0.1 9 typ host\r\n"
            + "a=end-of-candidates\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 100 101\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "a=sendonly\r\n"
            + "a=mid:v1\r\n"
            + "a=rtcp-mux\r\n"
            + "a=ice-ufrag:KTrX\r\n"
            + "a=ice-pwd:bQ5Q3eRY7GBzVEBDS3kbcd\r\n"
            + "a=ice-options:trickle\r\n"
            + "a=setup:actpass\r\n"
            + "a=rtpmap:100 VP8/90000\r\n"
            + "a=rtcp-fb:100 ccm fir\r\n"
            + "a=rtcp-fb:100 nack\r\n"
            + "a=rtcp-fb:100 nack pli\r\n"
            + "a=rtcp-fb:100 goog-remb\r\n"
            + "a=rtcp-fb:100 transport-cc\r\n"
            + "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
            + "a=extmap:6 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
            + "a=extmap:12 http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time\r\n"
            + "a=rtpmap:101 rtx/90000\r\n"
            + "a=fmtp:101 apt=100\r\n"
            + "a=ssrc-group:FID 2470093435 1730564812\r\n"
            + "a=msid:janus janusv1\r\n"
            + "a=ssrc:2470093435 cname:janus\r\n"
            + "a=ssrc:1730564812 cname:janus\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "a=sendrecv\r\n"
            + "a=sctp-port:5000\r\n"
            + "a=mid:d2\r\n"
            + "a=ice-ufrag:KTrX\r\n"
            + "a=ice-pwd:bQ5Q3eRY7GBzVEBDS3kbcd\r\n"
            + "a=setup:actpass\r\n";

    @Test
    void answersAJanusSubscriberOfferReceiveOnlyInItsPayloadTypesAndIds() throws Exception {
        try (BotPeer p = new BotPeer(context, PeerPlan.listener(0, 0))) {
            SessionDescription answer = SessionDescription.parse(p.answerOffer(JANUS_OFFER));
            assertEquals(List.of("a0", "v1", "d2"), answer.mids());
            assertEquals(List.of("a0", "v1"), answer.bundleMids());
            MediaDescription audio = answer.media().get(0);
            MediaDescription video = answer.media().get(1);
            MediaDescription data = answer.media().get(2);
            assertEquals(Direction.RECVONLY, audio.direction());
            assertEquals(Setup.ACTIVE, answer.setupFor(audio));
            assertEquals(List.of(109), audio.payloadTypes());
            assertEquals(4, audio.extmap(BotSdp.EXT_AUDIO_LEVEL).id());
            assertEquals(1, audio.extmap(BotSdp.EXT_MID).id());
            assertNull(audio.extmap(BotSdp.EXT_TRANSPORT_CC), "not offered, not answered");
            assertEquals(List.of(100, 101), video.payloadTypes());
            assertEquals(100, video.fmtp(101).apt());
            assertEquals(6, video.extmap(BotSdp.EXT_TRANSPORT_CC).id());
            assertEquals(12, video.extmap(BotSdp.EXT_ABS_CAPTURE_TIME).id());
            assertTrue(data.isRejected(), "the data channel is refused");
            assertNotNull(p.transport(), "answering starts the transport toward the offer's candidates");
            // nothing listens on 127.0.0.1:9: ICE fails and says so
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> p.connected().get(30, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof PeerException, failed.toString());
            assertTrue(failed.getCause().getMessage().contains("ICE"), failed.getCause().getMessage());
            assertFalse(p.firstMedia().isDone() && !p.firstMedia().isCompletedExceptionally());
        }
    }

    @Test
    void anOfferWithNothingToReceiveIsRefused() {
        BotPeer p = new BotPeer(context, PeerPlan.listener(0, 0));
        String dataOnly = JANUS_OFFER.substring(0, JANUS_OFFER.indexOf("m=audio"))
                + JANUS_OFFER.substring(JANUS_OFFER.indexOf("m=application"));
        PeerException e = assertThrows(PeerException.class, () -> p.answerOffer(dataOnly));
        assertTrue(e.getMessage().contains("no section we can receive"), e.getMessage());
        assertNull(p.transport());
    }
}
