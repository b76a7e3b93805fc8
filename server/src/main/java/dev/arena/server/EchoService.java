package dev.arena.server;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.rtcp.Pli;
import dev.arena.rtc.rtcp.RtcpReader;
import dev.arena.rtc.rtcp.RtcpType;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Fingerprint;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SdpAnswerer;
import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.RemoteParameters;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.SdpParameters;
import dev.arena.rtc.transport.TransportListener;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.rtc.transport.TransportState;
import dev.arena.server.http.HttpRequest;
import dev.arena.server.http.HttpResponse;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport echo: every RTP packet a peer sends comes back to it on a track of our own (a new
 * SSRC declared in the answer), decrypted and re-encrypted on the way; keyframe requests (PLI, FIR)
 * for our tracks go back to the peer's own sender. It exercises the whole rtc stack against a real
 * browser with no room logic, and is what {@code ./arena} demonstrates until rooms land.
 */
public final class EchoService {
    private static final Logger log = LoggerFactory.getLogger(EchoService.class);
    /** Echo transports per node: a demo must not be a way to exhaust the server. */
    static final int MAX_TRANSPORTS = 64;

    private final TransportServer server;
    private final InetSocketAddress announced;
    private final DtlsCertificate certificate;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, RtcTransport> transports = new ConcurrentHashMap<>();

    public EchoService(TransportServer server, InetSocketAddress announced, DtlsCertificate certificate) {
        this.server = Objects.requireNonNull(server);
        this.announced = Objects.requireNonNull(announced);
        this.certificate = Objects.requireNonNull(certificate);
    }

    /** Answers an offer and starts echoing to whoever connects with it. */
    public String answer(String offerSdp) throws SdpParseException {
        if (transports.size() >= MAX_TRANSPORTS) {
            throw new IllegalArgumentException("too many echo sessions (" + MAX_TRANSPORTS + "), try again later");
        }
        SessionDescription offer = SessionDescription.parse(offerSdp);
        RemoteParameters remote = SdpParameters.fromOffer(offer);
        IceCredentials local = IceCredentials.random();
        AnswerOptions.Builder options = AnswerOptions.builder(local.ufrag(), local.pwd(),
                        new Fingerprint(certificate.fingerprintAlgorithm(), certificate.fingerprintValue()))
                .hostCandidates(List.of(announced))
                .acceptDataChannel(false)
                .acceptSimulcast(false)
                .rtx(false);
        Map<Integer, Integer> ourSsrcByTheirs = new HashMap<>();
        for (MediaDescription m : offer.media()) {
            if (m.isRejected() || !m.isRtp() || m.mid() == null) {
                continue;
            }
            int ours = random.nextInt() | 1;
            options.sendTrack(m.mid(), new AnswerOptions.SendTrack("arena-echo", "echo-" + m.mid(), "arena",
                    Integer.toUnsignedLong(ours), 0));
            for (long theirs : m.ssrcIds()) {
                ourSsrcByTheirs.put((int) theirs, ours);
            }
        }
        SessionDescription answer = SdpAnswerer.answer(offer, options.build());
        RtcTransport transport = server.createTransport(local, remote, certificate, new Echo(ourSsrcByTheirs));
        transports.put(transport.id(), transport);
        log.info("echo transport {} created for {} media sections", transport.id(), offer.media().size());
        return answer.toString();
    }

    /**
     * {@code POST /api/echo}: an SDP offer in (the route's body limit applies), 201 with the answer; 400 for an offer
     * that does not parse or has too many sessions, 405 for another method.
     */
    public HttpResponse handleHttp(HttpRequest req) {
        if (!req.method().equals("POST")) {
            return HttpResponse.text(405, "use POST with an SDP offer (Content-Type: application/sdp)")
                    .withHeader("Allow", "POST");
        }
        try {
            return HttpResponse.of(201, "application/sdp", answer(req.bodyText())).withHeader("Cache-Control", "no-store");
        } catch (SdpParseException | IllegalArgumentException e) {
            return HttpResponse.text(400, "bad offer: " + e.getMessage());
        }
    }

    public int transportCount() {
        return transports.size();
    }

    /** The live echo transports, for stats. */
    public java.util.Collection<RtcTransport> transports() {
        return java.util.List.copyOf(transports.values());
    }

    /** Runs on the transport's event loop: packets are rewritten and sent in place. */
    private final class Echo implements TransportListener {
        private final Map<Integer, Integer> ourSsrcByTheirs;
        private final Map<Integer, Integer> theirSsrcByOurs = new HashMap<>();
        private final RtpPacket rtp = new RtpPacket();
        private final RtcpReader rtcp = new RtcpReader();
        private final byte[] feedback = new byte[64];

        Echo(Map<Integer, Integer> ourSsrcByTheirs) {
            this.ourSsrcByTheirs = new HashMap<>(ourSsrcByTheirs);
            ourSsrcByTheirs.forEach((theirs, ours) -> theirSsrcByOurs.putIfAbsent(ours, theirs));
        }

        @Override
        public void onStateChange(RtcTransport transport, TransportState state) {
            log.info("echo transport {}: {}", transport.id(), state);
            if (state.isTerminal() || state == TransportState.DISCONNECTED) {
                if (state.isTerminal()) {
                    transports.remove(transport.id());
                } else {
                    transport.close();
                }
            }
        }

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            if (!rtp.wrap(buf, off, len)) {
                return;
            }
            Integer ours = ourSsrcByTheirs.get(rtp.ssrc());
            if (ours == null) {
                // A stream the offer did not list (e.g. no a=ssrc): give it an SSRC of its own; the
                // mid header extension tells the browser which transceiver it belongs to.
                ours = random.nextInt() | 1;
                ourSsrcByTheirs.put(rtp.ssrc(), ours);
                theirSsrcByOurs.put(ours, rtp.ssrc());
            }
            rtp.setSsrc(ours);
            transport.sendRtp(buf, off, len);
        }

        @Override
        public void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {
            if (!rtcp.reset(buf, off, len)) {
                return;
            }
            for (RtcpType type = rtcp.next(); type != RtcpType.END; type = rtcp.next()) {
                if (type == RtcpType.PLI || type == RtcpType.FIR) {
                    if (type == RtcpType.FIR && rtcp.fir().entryCount() == 0) {
                        continue;
                    }
                    int target = type == RtcpType.PLI ? rtcp.pli().mediaSsrc() : rtcp.fir().entrySsrc(0);
                    Integer theirs = theirSsrcByOurs.get(target);
                    if (theirs != null) {
                        int n = Pli.write(feedback, 0, 1, theirs);
                        transport.sendRtcp(feedback, 0, n);
                    }
                }
            }
        }
    }
}
