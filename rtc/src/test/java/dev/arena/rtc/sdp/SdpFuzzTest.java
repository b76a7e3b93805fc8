package dev.arena.rtc.sdp;

import dev.arena.rtc.testing.Fuzz;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the SDP parser: random text, SDP-shaped random lines and mutated fixtures (line-wise and byte-wise).
 * Only SdpParseException may come out of parse; whatever parses must write back the same text, every typed
 * accessor must work on it, and the answerer must not fail on it (except IllegalArgumentException for a
 * missing or repeated mid). Iterations and seed: see {@link Fuzz}; long run:
 * {@code mvn -pl rtc test -Dtest=SdpFuzzTest -Darena.fuzz.iterations=1000000}.
 */
class SdpFuzzTest {
    private static final List<String> FIXTURES = Fixtures.ALL.stream().map(Fixtures::load).toList();
    /** Each fixture's session part with one of its m= sections: small seeds for byte mutations. */
    private static final List<String> SECTIONS = FIXTURES.stream().flatMap(f -> {
        String[] parts = f.split("\r\n(?=m=)");
        return Arrays.stream(parts, 1, parts.length).map(m -> parts[0] + "\r\n" + m);
    }).toList();
    private static final List<List<String>> FIXTURE_LINES = FIXTURES.stream()
            .map(f -> List.of(Pattern.compile("\r\n").split(f, -1))).toList();
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final String[] ATTRIBUTES = {"candidate", "fingerprint", "setup", "group", "msid", "ssrc", "ssrc-group",
        "rid", "simulcast", "extmap", "rtpmap", "fmtp", "rtcp-fb", "mid", "ice-ufrag", "ice-pwd", "ice-options",
        "sctp-port", "max-message-size", "rtcp", "sendrecv", "recvonly", "sendonly", "inactive", "rtcp-mux",
        "rtcp-rsize", "ice-lite", "end-of-candidates", "extmap-allow-mixed", "bundle-only", "x-unknown"};
    private static final String[] PIECES = {"0", "1", "96", "127", "128", "65535", "65536", "4294967295", "4294967296",
        "99999999999999999999999", "-1", "typ", "host", "srflx", "raddr", "rport", "udp", "UDP", "send", "recv", "~",
        ";", ",", "/", ":", "=", " ", "  ", "\t", "pt=96", "apt=", "sha-256", "AB:CD", "actpass", "BUNDLE", "FID",
        "cname:x", "opus/48000/2", "VP8/90000", "urn:x", "/sendonly", "/foo", "a", "q", "", "é", "\u0000", "\u007f"};

    private static final AnswerOptions OPTIONS = AnswerOptions.builder("ArenaUfr", "ArenaPasswordArenaPassword1",
                    new Fingerprint("sha-256", "AB:CD"))
            .hostCandidates(List.of(new InetSocketAddress("127.0.0.1", 40000))).build();

    @Test
    void randomText() {
        Fuzz.generatedText(r -> randomString(r, 600), SdpFuzzTest::check);
    }

    @Test
    void randomTextAfterAValidHeader() {
        Fuzz.generatedText(r -> "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n" + randomString(r, 600), SdpFuzzTest::check);
    }

    @Test
    void sdpShapedLines() {
        Fuzz.generatedText(SdpFuzzTest::sdpShaped, SdpFuzzTest::check);
    }

    /** Each input is a whole fixture (up to 8 KB) parsed, written, read and answered: a quarter of the iterations. */
    @Test
    void mutatedFixtures() {
        Fuzz.generatedText(Math.max(1, Fuzz.iterations() / 4), r -> mutate(FIXTURE_LINES.get(r.nextInt(FIXTURE_LINES.size())), r), SdpFuzzTest::check);
    }

    @Test
    void byteMutatedFixtureSections() {
        Fuzz.text(SECTIONS, 8_192, SdpFuzzTest::check);
    }

    @Test
    void fixtureSectionsAreValidSeeds() throws SdpParseException {
        for (String s : SECTIONS) {
            SessionDescription.parse(s);
            check(s);
        }
    }

    /**
     * Up to {@code max} chars: a quarter any UTF-16 unit (lone surrogates included), the rest ASCII, often the
     * characters SDP syntax turns on.
     */
    private static String randomString(Random r, int max) {
        char[] c = new char[r.nextInt(max + 1)];
        for (int i = 0; i < c.length; i++) {
            c[i] = switch (r.nextInt(4)) {
                case 0 -> (char) r.nextInt(0x10000);
                case 1 -> "\r\n =:/;,~-.0123456789aimovst".charAt(r.nextInt(28));
                default -> (char) r.nextInt(0x80);
            };
        }
        return new String(c);
    }

    private static String sdpShaped(Random r) {
        StringBuilder b = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        int n = r.nextInt(30);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(8) == 0) {
                b.append("m=").append(r.nextBoolean() ? "audio" : "application").append(' ').append(piece(r))
                        .append(' ').append(r.nextBoolean() ? "UDP/TLS/RTP/SAVPF" : "UDP/DTLS/SCTP").append(' ').append(piece(r));
            } else {
                b.append("a=").append(ATTRIBUTES[r.nextInt(ATTRIBUTES.length)]);
                if (r.nextInt(4) != 0) {
                    b.append(':');
                    int parts = r.nextInt(12);
                    for (int j = 0; j < parts; j++) {
                        b.append(piece(r));
                        if (r.nextInt(3) == 0) {
                            b.append(' ');
                        }
                    }
                }
            }
            b.append(r.nextInt(5) == 0 ? "\n" : "\r\n");
        }
        return b.toString();
    }

    private static String piece(Random r) {
        return PIECES[r.nextInt(PIECES.length)];
    }

    /** Line-wise mutations of an SDP given as its CRLF-separated lines. */
    static String mutate(List<String> sdpLines, Random r) {
        List<String> lines = new ArrayList<>(sdpLines);
        int ops = 1 + r.nextInt(6);
        for (int k = 0; k < ops && !lines.isEmpty(); k++) {
            int i = r.nextInt(lines.size());
            String line = lines.get(i);
            switch (r.nextInt(9)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(r.nextInt(lines.size() + 1), line);
                case 2 -> lines.set(i, line.isEmpty() ? line : line.substring(0, r.nextInt(line.length())));
                case 3 -> {
                    if (!line.isEmpty()) {
                        int p = r.nextInt(line.length());
                        char c = r.nextInt(4) == 0 ? (char) r.nextInt(0x3000) : " :/;,=~-0123456789abcdefAZ\r\n\t".charAt(r.nextInt(28));
                        lines.set(i, line.substring(0, p) + c + line.substring(p + 1));
                    }
                }
                case 4 -> {
                    int p = line.isEmpty() ? 0 : r.nextInt(line.length() + 1);
                    lines.set(i, line.substring(0, p) + piece(r) + line.substring(p));
                }
                case 5 -> {
                    int j = r.nextInt(lines.size());
                    lines.set(i, lines.get(j));
                    lines.set(j, line);
                }
                case 6 -> lines.set(i, DIGITS.matcher(line).replaceAll(r.nextBoolean() ? "4294967296" : "0"));
                case 7 -> lines.set(i, line.replace(" ", r.nextBoolean() ? "" : "  "));
                default -> {
                    int to = Math.min(lines.size(), i + 1 + r.nextInt(20));
                    List<String> block = new ArrayList<>(lines.subList(i, to));
                    lines.addAll(r.nextInt(lines.size() + 1), block);
                }
            }
        }
        return String.join(r.nextInt(4) == 0 ? "\n" : "\r\n", lines);
    }

    private static void check(String text) {
        SessionDescription sd;
        try {
            sd = SessionDescription.parse(text);
        } catch (SdpParseException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError("SdpParseException without a message");
            }
            return;
        }
        String written = sd.toString();
        String normalized = stripTrailingNewlines(text).replace("\r\n", "\n") + "\n";
        if (!written.replace("\r\n", "\n").equals(normalized)) {
            throw new AssertionError("round-trip changed the text:\n" + text + "\n---\n" + written);
        }
        readEverything(sd);
        try {
            SessionDescription answer = SdpAnswerer.answer(sd, OPTIONS);
            SessionDescription again = SessionDescription.parse(answer.toString());
            if (!again.toString().equals(answer.toString())) {
                throw new AssertionError("answer does not round-trip");
            }
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().contains("a=mid")) {
                throw e;
            }
        } catch (SdpParseException e) {
            throw new AssertionError("our answer does not parse: " + e.getMessage() + "\noffer:\n" + text, e);
        }
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static void readEverything(SessionDescription sd) {
        sd.groups();
        sd.bundleMids();
        sd.fingerprints();
        sd.setup();
        sd.iceOptions();
        for (MediaDescription m : sd.media()) {
            sd.iceUfragFor(m);
            sd.icePwdFor(m);
            sd.fingerprintFor(m);
            sd.setupFor(m);
            sd.iceOptionsFor(m);
            m.mid();
            m.direction();
            m.payloadTypes();
            m.rtpmaps();
            for (Fmtp f : m.fmtps()) {
                f.parameters();
                f.apt();
                f.payloadType();
            }
            m.rtcpFeedback();
            m.extmaps();
            m.msids();
            m.ssrcs();
            m.ssrcGroups();
            m.rids();
            m.simulcast();
            for (Candidate c : m.candidates()) {
                c.generation();
                c.networkId();
                c.networkCost();
                c.ufrag();
            }
            m.sctpPort();
            m.maxMessageSize();
        }
    }
}
