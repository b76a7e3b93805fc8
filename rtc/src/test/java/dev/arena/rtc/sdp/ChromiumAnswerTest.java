package dev.arena.rtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our answers to real Chromium offers are accepted by Chromium's setRemoteDescription. */
class ChromiumAnswerTest {
    private static ChromiumSdpCheck chromium;

    @BeforeAll
    static void start() {
        chromium = ChromiumSdpCheck.start();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private static AnswerOptions.Builder options() {
        return AnswerOptions.builder("ArenaUfr", "ArenaPasswordArenaPassword1",
                        new Fingerprint("sha-256", "7B:D1:8F:47:65:96:77:02:30:D6:E3:D3:E6:ED:A3:1F:10:8D:10:E8:05:B5:59:5E:9D:59:41:41:D2:78:2E:BA"))
                .hostCandidates(List.of(new InetSocketAddress("127.0.0.1", 40000)));
    }

    private static SessionDescription answer(String offer, AnswerOptions o) throws SdpParseException {
        SessionDescription parsed = SessionDescription.parse(offer);
        // WebDriver hands the SDP back with LF line endings; we write CRLF
        assertEquals(offer.replace("\r\n", "\n"), parsed.toString().replace("\r\n", "\n"), "live Chromium offer round-trips");
        return SdpAnswerer.answer(parsed, o);
    }

    @Test
    void audioVideoAnswerIsAccepted() throws Exception {
        String offer = chromium.createOffer("""
                window.streams = [];
                pc.ontrack = e => e.streams.forEach(s => window.streams.push(s.id));
                pc.addTransceiver('audio', {direction: 'sendrecv'});
                pc.addTransceiver('video', {direction: 'sendrecv'});
                """);
        SessionDescription answer = answer(offer, options()
                .sendTrack("1", new AnswerOptions.SendTrack("arena", "video-1", "arenacname", 1111, 2222)).build());
        assertNull(chromium.setRemoteAnswer(answer.toString()), () -> "rejected:\n" + answer);
        assertEquals("stable", chromium.eval("pc.signalingState"));
        assertEquals("sendrecv", chromium.eval("pc.getTransceivers()[0].currentDirection"));
        assertEquals("sendrecv", chromium.eval("pc.getTransceivers()[1].currentDirection"));
        assertEquals(Boolean.TRUE, chromium.eval("window.streams.includes('arena')"), "our a=msid reached ontrack");
    }

    @Test
    void recvonlyChoiceAndRejectedSectionAreAccepted() throws Exception {
        String offer = chromium.createOffer("pc.addTransceiver('audio'); pc.addTransceiver('video'); pc.addTransceiver('video');");
        SessionDescription answer = answer(offer, options().direction("0", Direction.RECVONLY).reject("2").build());
        assertEquals(0, answer.media().get(2).port());
        assertNull(chromium.setRemoteAnswer(answer.toString()), () -> "rejected:\n" + answer);
        // we answered recvonly, so Chromium only sends
        assertEquals("sendonly", chromium.eval("pc.getTransceivers()[0].currentDirection"));
        assertEquals("sendrecv", chromium.eval("pc.getTransceivers()[1].currentDirection"));
        // the rejected transceiver is stopped and removed (JSEP section 4.1.8)
        assertEquals(2L, chromium.eval("pc.getTransceivers().length"));
    }

    @Test
    void simulcastAndDataChannelAnswerIsAccepted() throws Exception {
        String offer = chromium.createOffer("""
                pc.addTransceiver('audio', {direction: 'sendonly'});
                pc.addTransceiver('video', {direction: 'sendonly', sendEncodings: [
                  {rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2}, {rid: 'f'}]});
                pc.createDataChannel('chat');
                """);
        SessionDescription answer = answer(offer, options().build());
        MediaDescription video = answer.media().get(1);
        assertEquals(List.of("q", "h", "f"), video.simulcast().recvRids());
        assertTrue(answer.media().get(2).isDataChannel());
        assertNull(chromium.setRemoteAnswer(answer.toString()), () -> "rejected:\n" + answer);
        assertEquals("sendonly", chromium.eval("pc.getTransceivers()[1].currentDirection"));
        assertEquals(3L, chromium.eval("pc.getTransceivers()[1].sender.getParameters().encodings.length"));
        assertEquals(Boolean.TRUE, chromium.eval("pc.sctp !== null"), "the data channel section was accepted");
    }

    @Test
    void rejectedDataChannelAndActiveSetupAreAccepted() throws Exception {
        String offer = chromium.createOffer("pc.addTransceiver('audio'); pc.createDataChannel('chat');");
        SessionDescription answer = answer(offer, options().acceptDataChannel(false).setupForActpass(Setup.ACTIVE).build());
        assertEquals(0, answer.media().get(1).port());
        assertNull(chromium.setRemoteAnswer(answer.toString()), () -> "rejected:\n" + answer);
        assertEquals("stable", chromium.eval("pc.signalingState"));
    }
}
