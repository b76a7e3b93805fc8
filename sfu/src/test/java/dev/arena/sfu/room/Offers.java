package dev.arena.sfu.room;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Offers made from a real Chromium offer (rtc's test resource chromium-av.sdp): its audio and video sections,
 * re-used with other mids, directions and ICE credentials, the way Chromium writes re-offers (same fingerprint, every
 * earlier m-line kept in order, new transceivers appended).
 */
final class Offers {
    static final String PWD = "adKlre+y5KAS8l1lYAVtuTO4";
    private static final String HEADER;
    private static final String AUDIO;
    private static final String VIDEO;

    static {
        String sdp;
        try (InputStream in = Offers.class.getResourceAsStream("/dev/arena/rtc/sdp/chromium-av.sdp")) {
            sdp = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int audio = sdp.indexOf("m=audio");
        int video = sdp.indexOf("m=video");
        HEADER = sdp.substring(0, audio);
        AUDIO = sdp.substring(audio, video);
        VIDEO = sdp.substring(video);
    }

    /** One m-section: kind, mid, direction; {@code ssrcs}: keep Chromium's a=ssrc/a=msid lines (a sender). */
    record Section(String kind, String mid, String direction, boolean ssrcs, boolean rejected) {}

    static Section send(String kind, String mid) {
        return new Section(kind, mid, "sendonly", true, false);
    }

    static Section recv(String kind, String mid) {
        return new Section(kind, mid, "recvonly", false, false);
    }

    static Section inactive(String kind, String mid) {
        return new Section(kind, mid, "inactive", false, false);
    }

    /** A stopped transceiver: port 0 (RFC 8829 section 5.2.2). */
    static Section stopped(String kind, String mid) {
        return new Section(kind, mid, "inactive", false, true);
    }

    static String offer(String ufrag, Section... sections) {
        List<String> bundle = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Section s : sections) {
            String block = s.kind().equals("audio") ? AUDIO : VIDEO;
            String oldMid = s.kind().equals("audio") ? "0" : "1";
            block = block.replace("a=mid:" + oldMid + "\n", "a=mid:" + s.mid() + "\n")
                    .replace("a=sendrecv\n", "a=" + s.direction() + "\n")
                    .replace("a=ice-ufrag:PWoW\n", "a=ice-ufrag:" + ufrag + "\n");
            if (!s.ssrcs()) {
                StringBuilder kept = new StringBuilder();
                for (String line : block.split("\n")) {
                    if (!line.startsWith("a=ssrc") && !line.startsWith("a=msid:")) {
                        kept.append(line).append('\n');
                    }
                }
                block = kept.toString();
            }
            if (s.rejected()) {
                block = block.replaceFirst("^m=(audio|video) \\d+ ", "m=$1 0 ");
            } else {
                bundle.add(s.mid());
            }
            body.append(block);
        }
        String header = HEADER.replace("a=group:BUNDLE 0 1\n", "a=group:BUNDLE " + String.join(" ", bundle) + "\n");
        return (header + body).replace("\n", "\r\n");
    }

    private Offers() {}
}
