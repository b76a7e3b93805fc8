package dev.arena.bots.target;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaSources;
import dev.arena.bots.media.MediaSource;
import dev.arena.bots.peer.PeerException;
import dev.arena.bots.peer.PeerPlan;
import dev.arena.bots.peer.SdpPeer;
import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.SdpParameters;
import dev.arena.rtc.transport.TransportListener;
import dev.arena.rtc.transport.TransportState;
import java.net.InetSocketAddress;
import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.rtc.sdp.SessionDescription;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A test-only SdpPeer that makes offers from a real Chromium offer (rtc's chromium-av.sdp, its sections re-used with
 * other mids and directions, as sfu's Offers does) and records what the server answers. No media: it proves the
 * signaling (an answer received, parsed, with the sections asked for).
 */
final class RecordingPeer implements SdpPeer, AutoCloseable {
    private static final String CHROMIUM_FINGERPRINT =
            "sha-256 75:D2:6A:E4:1C:33:BE:8A:41:A6:19:92:51:6E:AB:46:28:F2:00:BC:29:94:8E:43:92:DB:60:3A:C3:BB:AA:94";
    private static final String PWD = "adKlre+y5KAS8l1lYAVtuTO4";
    private static final String HEADER;
    private static final String AUDIO;
    private static final String VIDEO;

    static {
        String sdp;
        try (InputStream in = RecordingPeer.class.getResourceAsStream("/dev/arena/rtc/sdp/chromium-av.sdp")) {
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

    record Section(String kind, String direction) {}

    final List<String> offers = new CopyOnWriteArrayList<>();
    final List<SessionDescription> answers = new CopyOnWriteArrayList<>();
    /** (audio, video) of each offerMoreReceivers call. */
    final List<int[]> moreReceivers = new CopyOnWriteArrayList<>();
    final List<String> remoteOffers = new CopyOnWriteArrayList<>();
    final List<String> localAnswers = new CopyOnWriteArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private final String ufrag = "u" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
    private final long ssrcBase = ThreadLocalRandom.current().nextLong(1L << 20, 1L << 31);
    /** With a transport: the first answer starts ICE and DTLS with rtc's client transport (no media sent). */
    private final boolean connect;
    private final String bindAddress;
    private volatile RtcTransport transport;

    RecordingPeer(PeerPlan plan) {
        this(plan, false, "127.0.0.1");
    }

    RecordingPeer(PeerPlan plan, boolean connect, String bindAddress) {
        this.connect = connect;
        this.bindAddress = bindAddress;
        if (plan.audioSend() != null) {
            sections.add(new Section("audio", "sendonly"));
        }
        if (plan.videoSend() != null) {
            sections.add(new Section("video", "sendonly"));
        }
        addReceivers(plan.audioRecv(), plan.videoRecv());
    }

    static RecordingPeer publisher() {
        return new RecordingPeer(PeerPlan.publisher(MediaSources.synthetic(MediaKind.AUDIO, 32_000), MediaSources.synthetic(MediaKind.VIDEO, 300_000)));
    }

    /**
     * A publisher that really connects (ICE, DTLS) from {@code bindAddress} once answered: a server that waits for
     * that sees it up.
     */
    static RecordingPeer connectingPublisher(String bindAddress) {
        return new RecordingPeer(PeerPlan.publisher(MediaSources.synthetic(MediaKind.AUDIO, 32_000), MediaSources.synthetic(MediaKind.VIDEO, 300_000)),
                true, bindAddress);
    }

    /** Connected (ICE and DTLS done) with the server. */
    boolean connected() {
        RtcTransport t = transport;
        return t != null && t.state() == TransportState.CONNECTED;
    }

    @Override
    public void close() {
        RtcTransport t = transport;
        if (t != null) {
            t.close();
        }
    }

    static RecordingPeer listener(int audio, int video) {
        return new RecordingPeer(PeerPlan.listener(audio, video));
    }

    private void addReceivers(int audio, int video) {
        for (int i = 0; i < audio; i++) {
            sections.add(new Section("audio", "recvonly"));
        }
        for (int i = 0; i < video; i++) {
            sections.add(new Section("video", "recvonly"));
        }
    }

    /** Sections of the last offer. */
    synchronized int sectionCount() {
        return sections.size();
    }

    private synchronized String offer() {
        List<String> mids = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            String mid = Integer.toString(i);
            mids.add(mid);
            String block = (s.kind().equals("audio") ? AUDIO : VIDEO)
                    .replaceFirst("a=mid:\\d+\n", "a=mid:" + mid + "\n")
                    .replace("a=sendrecv\n", "a=" + s.direction() + "\n")
                    .replace("a=ice-ufrag:PWoW\n", "a=ice-ufrag:" + ufrag + "\n");
            StringBuilder kept = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("a=candidate")) {
                    continue; // a bot never gathers: it sends its checks to the server's candidates
                }
                if (line.startsWith("a=ssrc") || line.startsWith("a=msid:")) {
                    if (!s.direction().equals("sendonly")) {
                        continue;
                    }
                    // unique SSRCs per section and per peer
                    line = line.replace("4189124305", Long.toString(ssrcBase + 10L * i))
                            .replace("2172311236", Long.toString(ssrcBase + 10L * i + 1))
                            .replace("1913798655", Long.toString(ssrcBase + 10L * i + 2));
                }
                kept.append(line).append('\n');
            }
            body.append(kept);
        }
        String header = HEADER.replace("a=group:BUNDLE 0 1\n", "a=group:BUNDLE " + String.join(" ", mids) + "\n");
        String sdp = (header + body).replace("\n", "\r\n");
        if (connect) {
            DtlsCertificate cert = DtlsCertificate.shared();
            sdp = sdp.replace(CHROMIUM_FINGERPRINT, cert.fingerprintAlgorithm() + " " + cert.fingerprintValue());
        }
        offers.add(sdp);
        return sdp;
    }

    @Override
    public String createOffer() {
        return offer();
    }

    @Override
    public void applyAnswer(String answerSdp) throws PeerException {
        SessionDescription answer;
        try {
            answer = SessionDescription.parse(answerSdp);
        } catch (SdpParseException e) {
            throw new PeerException("answer does not parse: " + e.getMessage(), e);
        }
        if (answer.media().size() != sectionCount()) {
            throw new PeerException("answer has " + answer.media().size() + " sections, the offer " + sectionCount());
        }
        answers.add(answer);
        if (connect && transport == null) {
            try {
                transport = RtcTransport.connect(new InetSocketAddress(bindAddress, 0), new IceCredentials(ufrag, PWD),
                        SdpParameters.fromAnswer(answer), DtlsCertificate.shared(), new TransportListener() {});
            } catch (IllegalArgumentException e) {
                throw new PeerException("answer not usable: " + e.getMessage(), e);
            }
        }
    }

    /** A receive-only answer to a server's offer: each section's first codec, Chromium's ICE and fingerprint. */
    @Override
    public String answerOffer(String offerSdp) throws PeerException {
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(offerSdp);
        } catch (SdpParseException e) {
            throw new PeerException("offer does not parse: " + e.getMessage(), e);
        }
        remoteOffers.add(offerSdp);
        StringBuilder sdp = new StringBuilder("v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\n");
        List<String> mids = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (MediaDescription m : offer.media()) {
            if (m.isRejected() || !m.isRtp()) {
                body.append("m=").append(m.media()).append(" 0 ").append(m.protocol()).append(' ')
                        .append(m.formats().getFirst()).append("\nc=IN IP4 0.0.0.0\na=mid:").append(m.mid())
                        .append('\n');
                continue;
            }
            mids.add(m.mid());
            int pt = m.payloadTypes().getFirst();
            var rtpmap = m.rtpmap(pt);
            body.append("m=").append(m.media()).append(" 9 UDP/TLS/RTP/SAVPF ").append(pt).append('\n')
                    .append("c=IN IP4 0.0.0.0\n")
                    .append("a=ice-ufrag:").append(ufrag).append('\n')
                    .append("a=ice-pwd:").append(PWD).append('\n')
                    .append("a=fingerprint:sha-256 75:D2:6A:E4:1C:33:BE:8A:41:A6:19:92:51:6E:AB:46:28:F2:00:BC:29:94:8E:43:92:DB:60:3A:C3:BB:AA:94\n")
                    .append("a=setup:active\n")
                    .append("a=mid:").append(m.mid()).append('\n')
                    .append("a=recvonly\na=rtcp-mux\n")
                    .append("a=rtpmap:").append(pt).append(' ').append(rtpmap.encoding()).append('/')
                    .append(rtpmap.clockRate()).append(rtpmap.channels() > 1 ? "/" + rtpmap.channels() : "")
                    .append('\n');
        }
        sdp.append("a=group:BUNDLE ").append(String.join(" ", mids)).append('\n').append(body);
        String answer = sdp.toString().replace("\n", "\r\n");
        localAnswers.add(answer);
        return answer;
    }

    @Override
    public synchronized String offerMoreReceivers(int audio, int video) {
        moreReceivers.add(new int[] {audio, video});
        addReceivers(audio, video);
        return offer();
    }

    @Override
    public synchronized String offerToPublish(MediaSource audio, MediaSource video) {
        if (audio != null) {
            sections.add(new Section("audio", "sendonly"));
        }
        if (video != null) {
            sections.add(new Section("video", "sendonly"));
        }
        return offer();
    }

    @Override
    public synchronized String offerToStopPublishing() {
        sections.replaceAll(s -> s.direction().equals("sendonly") ? new Section(s.kind(), "inactive") : s);
        return offer();
    }

    /** The last answer's directions, in order. */
    List<String> lastAnswerDirections() {
        return answers.getLast().media().stream().map(m -> m.direction().toString()).toList();
    }
}
