package dev.arena.rtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdpParserTest {
    private static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    private static SdpParseException fails(String sdp) {
        return assertThrows(SdpParseException.class, () -> SessionDescription.parse(sdp));
    }

    @Test
    void writesCrlfAndKeepsUnknownAttributesInOrder() throws Exception {
        String in = "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\na=zzz:1\na=x-google-flag:conference\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\nc=IN IP4 0.0.0.0\nb=AS:64\na=foo\na=mid:a\na=bar:  spaced  value \n";
        SessionDescription sd = SessionDescription.parse(in);
        assertEquals(in.replace("\n", "\r\n"), sd.toString());
        assertEquals(List.of(new SdpLine('a', "zzz:1"), new SdpLine('a', "x-google-flag:conference")), sd.lines().subList(1, 3));
        assertEquals("  spaced  value ", sd.media().get(0).attribute("bar"));
        assertEquals("", sd.media().get(0).attribute("foo"));
        assertEquals("a", sd.media().get(0).mid());
    }

    @Test
    void toleratesMissingFinalNewline() throws Exception {
        assertEquals(HEAD, SessionDescription.parse(HEAD.strip()).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "o=- 1 2 IN IP4 127.0.0.1\\ns=-|1|first line must be v=",
            "v=1\\no=- 1 2 IN IP4 x\\ns=-|1|only v=0",
            "v=0\\ns=-|2|second line must be o=",
            "v=0\\no=- 1 2 IN IP4\\ns=-|2|o= needs",
            "v=0\\no=- x 2 IN IP4 a\\ns=-|2|sess-id",
            "v=0\\no=- 1 2 IN IP4 a|2|ends before",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\n\\nt=0 0|4|empty line",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nt 0 0|4|expected '<type>=<value>'",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nX=1|4|lower-case letter",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nv=0|4|only once",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP|4|m= needs",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 70000 RTP/AVP 0|4|m= port",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio  9 RTP/AVP 0|4|single spaces",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP 0\\nt=0 0|5|not allowed in a media section",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=:x|4|attribute without a name",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=candidate:1 1 udp 5 1.2.3.4 99999 typ host|4|a=candidate port",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=candidate:1 1 udp 5 1.2.3.4 9 host|4|at least",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=candidate:1 1 udp 5 1.2.3.4 9 type host|4|expected 'typ'",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=candidate:1 1 udp 5 1.2.3.4 9 typ host generation|4|has no value",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=candidate:1 1 udp 99999999999 1.2.3.4 9 typ host|4|priority",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP 0\\na=rtpmap:200 x/1|5|payload type",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP 0\\na=rtpmap:96 opus|5|clock rate",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP 0\\na=extmap:0 urn:x|5|extmap id",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP 0\\na=extmap:1/sideways urn:x|5|unknown direction",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP 0\\na=ssrc:4294967296 cname:x|5|out of range",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP 0\\na=ssrc:1|5|needs",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=audio 9 RTP/AVP 0\\na=ssrc-group:FID|5|needs",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=video 9 RTP/AVP 96\\na=rid:q sideways|5|send or recv",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=video 9 RTP/AVP 96\\na=rid:q! send|5|rid-id",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=video 9 RTP/AVP 96\\na=simulcast:send a;;b|5|rid-id",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=video 9 RTP/AVP 96\\na=simulcast:send a send b|5|twice",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=setup:both|4|unknown role",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=fingerprint:sha-256|4|needs",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=fingerprint:sha-256 ZZ:00|4|hex",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\na=ice-ufrag|4|needs a value",
            "v=0\\no=- 1 2 IN IP4 a\\ns=-\\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\\na=sctp-port:x|5|not a number",
    })
    void rejectsMalformedWithLineNumber(String sdp, int line, String fragment) {
        SdpParseException e = fails(sdp.replace("\\n", "\r\n"));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("SDP line " + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void rejectsControlCharacters() {
        SdpParseException e = fails(HEAD + "a=x:a\u0000b\r\n");
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("control character"));
        assertEquals(5, fails(HEAD + "a=x:a\rb\r\n").line());
    }

    @Test
    void rejectsEmptyAndNull() {
        assertTrue(fails("").getMessage().contains("empty"));
        assertTrue(fails("\r\n\r\n").getMessage().contains("empty"));
        assertThrows(SdpParseException.class, () -> SessionDescription.parse(null));
    }

    @Test
    void enforcesLimits() throws Exception {
        SdpLimits small = new SdpLimits(1000, 8, 60, 2);
        String ok = HEAD + "m=audio 9 RTP/AVP 0\r\nm=video 9 RTP/AVP 96\r\n";
        SessionDescription.parse(ok, small);
        assertTrue(assertThrows(SdpParseException.class, () -> SessionDescription.parse(ok + "m=video 9 RTP/AVP 96\r\n", small))
                .getMessage().contains("more than 2 m= sections"));
        assertTrue(assertThrows(SdpParseException.class, () -> SessionDescription.parse(ok + "a=1\r\na=2\r\na=3\r\n", small))
                .getMessage().contains("more than 8 lines"));
        assertTrue(assertThrows(SdpParseException.class, () -> SessionDescription.parse(HEAD + "a=" + "x".repeat(70), small))
                .getMessage().contains("longer than 60"));
        assertTrue(assertThrows(SdpParseException.class, () -> SessionDescription.parse(HEAD + "a=x\r\n".repeat(300), small))
                .getMessage().contains("more than the limit of 1000"));
        // the defaults bound a hostile input too
        String huge = HEAD + "a=x\r\n".repeat(60_000);
        assertTrue(fails(huge).getMessage().contains("limit"));
        assertTrue(fails(HEAD + "m=audio 9 RTP/AVP 0\r\n".repeat(300)).getMessage().contains("m= sections"));
    }

    @Test
    void candidateKeepsUnknownExtensionsInOrder() throws Exception {
        String v = "842163049 1 udp 1677729535 203.0.113.5 46154 typ srflx raddr 10.0.0.2 rport 46154 generation 0 ufrag EsAw network-id 1 network-cost 10 x-custom yes";
        Candidate c = Candidate.parse(v);
        assertEquals("842163049", c.foundation());
        assertEquals(1677729535L, c.priority());
        assertEquals("srflx", c.type());
        assertEquals("10.0.0.2", c.relatedAddress());
        assertEquals(46154, c.relatedPort());
        assertEquals(0, c.generation());
        assertEquals("EsAw", c.ufrag());
        assertEquals(1, c.networkId());
        assertEquals(10, c.networkCost());
        assertEquals("yes", c.extension("x-custom"));
        assertEquals(List.of("generation", "ufrag", "network-id", "network-cost", "x-custom"),
                c.extensions().stream().map(Candidate.Extension::name).toList());
        assertEquals(v, c.toString());
        assertEquals(c, Candidate.parse("candidate:" + v));
        assertNull(c.tcpType());
        Candidate mdns = Candidate.parse("1 1 udp 2113937151 4f6c1d2e-aaaa-bbbb-cccc-0123456789ab.local 54321 typ host generation 0");
        assertEquals("4f6c1d2e-aaaa-bbbb-cccc-0123456789ab.local", mdns.address());
    }

    @Test
    void hostCandidate() {
        Candidate c = Candidate.host("1", new java.net.InetSocketAddress("127.0.0.1", 40000));
        assertEquals("1 1 udp 2130706431 127.0.0.1 40000 typ host", c.toString());
    }

    @Test
    void typedValuesFormatBackToTheirText() throws Exception {
        assertEquals("2/recvonly urn:x attr", Extmap.parse("2/recvonly urn:x attr").toString());
        assertEquals("2/sendonly urn:x attr", Extmap.parse("2/recvonly urn:x attr").reversed().toString());
        assertEquals("q send pt=96,97;max-width=1280;max-fps", Rid.parse("q send pt=96,97;max-width=1280;max-fps").toString());
        Rid rid = Rid.parse("q send pt=96,97;max-width=1280");
        assertEquals(List.of(96, 97), rid.payloadTypes());
        assertEquals("1280", rid.restrictions().get("max-width"));
        Simulcast sc = Simulcast.parse("send 1,~4;2;3 recv c");
        assertEquals(3, sc.send().size());
        assertEquals(List.of(new Simulcast.Layer("1", false), new Simulcast.Layer("4", true)), sc.send().get(0));
        assertEquals(List.of("c"), sc.recvRids());
        assertEquals("send 1,~4;2;3 recv c", sc.toString());
        assertEquals("send c recv 1,~4;2;3", sc.reversed().toString());
        assertEquals("BUNDLE 0 1", Group.parse("BUNDLE 0 1").toString());
        assertEquals("FID 1 2", SsrcGroup.parse("FID 1 2").toString());
        assertEquals("96 nack pli", RtcpFb.parse("96 nack pli").toString());
        assertEquals("* ccm fir", RtcpFb.parse("* ccm fir").toString());
        assertEquals("111 opus/48000/2", Rtpmap.parse("111 opus/48000/2").toString());
        assertEquals(Setup.ACTPASS, Setup.parse("actpass"));
        assertEquals(Direction.RECVONLY, Direction.SENDONLY.reverse());
        assertEquals(Direction.INACTIVE, Direction.SENDONLY.intersect(Direction.RECVONLY));
    }

    @Test
    void mediaLevelFallsBackToSessionLevel() throws Exception {
        SessionDescription sd = SessionDescription.parse(HEAD + "a=ice-lite\r\na=ice-ufrag:sess\r\na=ice-pwd:sessionpasswordsessionpwd\r\n"
                + "a=fingerprint:sha-256 AA:BB\r\na=setup:passive\r\na=ice-options:trickle renomination\r\n"
                + "m=audio 9 RTP/AVP 0\r\na=mid:0\r\nm=audio 9 RTP/AVP 0\r\na=mid:1\r\na=ice-ufrag:med1\r\na=ice-pwd:mediapasswordmediapassword\r\n"
                + "a=fingerprint:sha-1 CC:DD\r\na=setup:active\r\na=ice-options:ice2\r\n");
        assertTrue(sd.iceLite());
        MediaDescription m0 = sd.media().get(0);
        MediaDescription m1 = sd.media().get(1);
        assertEquals("sess", sd.iceUfragFor(m0));
        assertEquals("sessionpasswordsessionpwd", sd.icePwdFor(m0));
        assertEquals(new Fingerprint("sha-256", "AA:BB"), sd.fingerprintFor(m0));
        assertEquals(Setup.PASSIVE, sd.setupFor(m0));
        assertEquals(List.of("trickle", "renomination"), sd.iceOptionsFor(m0));
        assertEquals("med1", sd.iceUfragFor(m1));
        assertEquals("mediapasswordmediapassword", sd.icePwdFor(m1));
        assertEquals(new Fingerprint("sha-1", "CC:DD"), sd.fingerprintFor(m1));
        assertEquals(Setup.ACTIVE, sd.setupFor(m1));
        assertEquals(List.of("ice2"), sd.iceOptionsFor(m1));
    }

    @Test
    void editingTheModelIsWrittenOut() throws Exception {
        SessionDescription sd = Fixtures.parse("aiortc-video-vp8.sdp");
        MediaDescription v = sd.media().get(0);
        v.setDirection(Direction.INACTIVE);
        v.setPort(0);
        String out = sd.toString();
        assertTrue(out.contains("\r\nm=video 0 UDP/TLS/RTP/SAVPF 97 98\r\n"));
        assertTrue(out.contains("\r\na=inactive\r\n"));
        assertTrue(!out.contains("a=sendonly"));
        assertEquals(out, SessionDescription.parse(out).toString());
    }
}
