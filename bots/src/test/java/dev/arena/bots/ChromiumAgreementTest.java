package dev.arena.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.media.MediaSource;
import dev.arena.bots.media.MediaSources;
import dev.arena.bots.peer.BotContext;
import dev.arena.bots.peer.BotPeer;
import dev.arena.bots.peer.PeerPlan;
import dev.arena.bots.peer.PeerStats;
import dev.arena.bots.peer.SdpPeer;
import dev.arena.bots.target.BotRole;
import dev.arena.bots.target.BotSession;
import dev.arena.bots.target.BotSpec;
import dev.arena.bots.target.TokenSource;
import dev.arena.bots.target.WhipTarget;
import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.peers.ChromiumPeer;
import dev.arena.rtc.testing.PacketLoss;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import dev.arena.server.Node;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.config.Config;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The bots measure loss as a browser does: one publishing bot (the bundled VP8 640x360 and Opus samples) goes into a
 * real embedded node by WHIP; a real headless Chromium and {@value #LISTENERS} listener bots watch it by WHEP; then
 * nftables drops one in {@value #ONE_IN} of the UDP packets the node's media port sends, to everyone alike (one
 * random drop process on the node's egress: the same loss for every receiver). Over {@link #WINDOW} of steady media
 * the browser's inbound-rtp figures (getStats) and the bots' {@link PeerStats} are compared. The window opens with
 * the bots read just before and after the browser (taken midway); it closes by stopping the publisher and letting
 * the last repairs end, so that every receiver's figures stand still.
 *
 * <p>What Chromium's figures mean (measured here, see {@link Inbound#expected()}): packetsLost is the loss of the
 * original transmissions, before retransmission; packetsReceived includes the RTX repairs, which
 * retransmittedPacketsReceived counts. The bots' packetsLost is loss after retransmission, and their rtxReceived the
 * repairs, so the bots' loss before retransmission is (packetsLost + rtxReceived) / packetsExpected.
 *
 * <p>Tolerances, for ~1900 video packets a receiver in the window (one packet is ~0.05 point):
 * <ul>
 * <li>video before retransmission, the network's 4%: the bots' mean (over {@value #LISTENERS}, spread ~0.06 point)
 *     within 1 point of 4%, and the browser's one binomial sample (sd ~0.45 point) within
 *     {@value #NETWORK_AGREEMENT_POINTS} points of it (3.3 sd);
 * <li>video after retransmission: a packet stays lost only if its retransmissions are dropped too (1/25 per try,
 *     and the NACKs are retried), so both under {@value #MAX_VIDEO_LOSS_PERCENT}% and within
 *     {@value #VIDEO_AGREEMENT_POINTS} point of each other (~10 packets): an accounting that missed repairs, or
 *     counted them twice, would be ~4 points off;
 * <li>audio (Opus, not retransmitted by either side): the network's 4%, ~750 packets, sd ~0.7 point for the
 *     browser, so within {@value #AUDIO_AGREEMENT_POINTS} points of the bots' mean (3.5 sd);
 * <li>video packets expected and received: the same stream through the same loss, repaired on both sides, so every
 *     bot within {@value #EXPECTED_AGREEMENT_PERCENT}% (~19 packets) of the browser: what is left is the snapshot
 *     skew at the start (a few packets) and the rare duplicate RTX that Chromium counts and the bots do not.
 * </ul>
 *
 * <p>Run inside a private network namespace as root ({@code unshare -n}): {@link PacketLoss} refuses otherwise.
 */
class ChromiumAgreementTest {
    static final int LISTENERS = 50;
    /** 1 in 25 packets from the node's media port dropped: 4%. */
    static final int ONE_IN = 25;
    static final Duration WINDOW = Duration.ofSeconds(Long.getLong("arena.agreement.seconds", 16));
    static final double NETWORK_LOSS_PERCENT = 100.0 / ONE_IN;
    static final double NETWORK_AGREEMENT_POINTS = 1.5;
    static final double MAX_VIDEO_LOSS_PERCENT = 1.0;
    static final double VIDEO_AGREEMENT_POINTS = 0.5;
    static final double AUDIO_AGREEMENT_POINTS = 2.5;
    static final double EXPECTED_AGREEMENT_PERCENT = 1.0;
    static final double RECEIVED_AGREEMENT_PERCENT = 1.0;
    /** After the publisher stops: the last repairs (NACK, RTX, a retry) end well within it on loopback. */
    static final Duration SETTLE = Duration.ofMillis(1500);
    /** Hang guard for joins and first media (not a timing assertion). */
    static final long WAIT_SECONDS = 30;

    private static final String ROOM = "agreement";
    private static final ApiKey KEY = new ApiKey("bots-agreement", "bots-agreement-secret-0123456789abcdef");

    /** Makes the page's RTCPeerConnections reachable: the harness keeps its own private. */
    private static final String CAPTURE_PCS = "(() => { if (window.__pcs) return true;"
            + " const O = window.RTCPeerConnection; window.__pcs = [];"
            + " window.RTCPeerConnection = function(...a) { const p = new O(...a); window.__pcs.push(p); return p; };"
            + " window.RTCPeerConnection.prototype = O.prototype; return true; })()";

    /** The raw inbound-rtp figures per kind. */
    private static final String INBOUND = "window.__pcs[window.__pcs.length - 1].getStats().then(r => { const v = {};"
            + " r.forEach(s => { if (s.type === 'inbound-rtp') v[s.kind] = {packetsReceived: s.packetsReceived || 0,"
            + " packetsLost: s.packetsLost || 0, nackCount: s.nackCount || 0, framesDecoded: s.framesDecoded || 0,"
            + " frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0,"
            + " retransmittedPacketsReceived: s.retransmittedPacketsReceived || 0}; }); return v; })";

    /** One inbound-rtp entry of the browser. */
    record Inbound(long packetsReceived, long packetsLost, long nackCount, long framesDecoded, long frameWidth,
                   long frameHeight, long retransmitted) {
        Inbound minus(Inbound before) {
            return new Inbound(packetsReceived - before.packetsReceived, packetsLost - before.packetsLost,
                    nackCount - before.nackCount, framesDecoded - before.framesDecoded, frameWidth, frameHeight,
                    retransmitted - before.retransmitted);
        }

        /**
         * Packets the publisher sent in the window, as the browser sees them. Chromium counts RTX repairs (and any
         * duplicate RTX) in packetsReceived, as the spec says ("includes retransmissions"), but computes packetsLost
         * on the original transmissions only (RFC 3550 6.4.1 over the media SSRC, whose statistics skip "recovered"
         * packets): packetsLost is loss before retransmission, and received + lost counts each repair twice.
         */
        long expected() {
            return packetsReceived - retransmitted + packetsLost;
        }

        /** packetsLost / expected, in percent: the network's loss, before retransmission. */
        double lossPercent() {
            return expected() <= 0 ? 0 : 100.0 * packetsLost / expected();
        }

        /** (packetsLost - retransmittedPacketsReceived) / expected, in percent: what RTX did not repair. */
        double lossAfterRetransmissionPercent() {
            return expected() <= 0 ? 0 : 100.0 * (packetsLost - retransmitted) / expected();
        }
    }

    /**
     * The browser's inbound-rtp and the bots' stats at one moment: the bots are read just before and just after the
     * browser (one Selenium call, some tens of milliseconds) and taken midway, so that both are of the same moment.
     */
    record Snapshot(Inbound browserVideo, Inbound browserAudio, List<PeerStats> botVideo, List<PeerStats> botAudio,
                    long bracketPackets) {
        static Snapshot take(ChromiumPeer chromium, List<BotPeer> bots) {
            List<PeerStats> videoBefore = stats(bots, MediaKind.VIDEO);
            List<PeerStats> audioBefore = stats(bots, MediaKind.AUDIO);
            Map<?, ?> browser = (Map<?, ?>) chromium.evaluate(INBOUND);
            List<PeerStats> videoAfter = stats(bots, MediaKind.VIDEO);
            List<PeerStats> audioAfter = stats(bots, MediaKind.AUDIO);
            return new Snapshot(inbound(browser, "video"), inbound(browser, "audio"), midway(videoBefore, videoAfter),
                    midway(audioBefore, audioAfter),
                    videoAfter.getFirst().packetsExpected() - videoBefore.getFirst().packetsExpected());
        }
    }

    /** One bot's figures for one kind over the window. */
    record Window(PeerStats before, PeerStats after) {
        long received() {
            return after.packetsReceived() - before.packetsReceived();
        }

        long expected() {
            return after.packetsExpected() - before.packetsExpected();
        }

        long lost() {
            return after.packetsLost() - before.packetsLost();
        }

        long nacks() {
            return after.nacksSent() - before.nacksSent();
        }

        long rtx() {
            return after.rtxReceived() - before.rtxReceived();
        }

        /** packetsLost / packetsExpected in percent: loss after retransmission. */
        double lossPercent() {
            return expected() == 0 ? 0 : 100.0 * lost() / expected();
        }

        /** (packetsLost + repaired) / packetsExpected in percent: the network's loss, as Chromium's packetsLost. */
        double lossBeforeRetransmissionPercent() {
            return expected() == 0 ? 0 : 100.0 * (lost() + rtx()) / expected();
        }
    }

    @Test
    void theBotsLossAgreesWithTheBrowsersPacketsLost() throws Exception {
        long started = System.nanoTime();
        Node node = Node.start(Config.load(new String[] {"--bind=127.0.0.1", "--http-port=0", "--udp-port=0",
                "--data-dir=" + Files.createTempDirectory("arena-agreement")},
                Map.of(ApiKeys.ENV_KEY, KEY.id(), ApiKeys.ENV_SECRET, KEY.secret())));
        UdpLoops loops = UdpLoops.start(1, UdpEndpoint.Transport.AUTO);
        BotContext context = new BotContext(loops, DtlsCertificate.shared(), InetAddress.getLoopbackAddress(),
                micros -> { });
        WhipTarget target = WhipTarget.arena(URI.create(node.httpUrl()), TokenSource.signedWith(KEY),
                Duration.ofSeconds(10));
        List<BotPeer> peers = new ArrayList<>();
        try (ChromiumPeer chromium = ChromiumPeer.start()) {
            BotPeer publisher = new BotPeer(context,
                    PeerPlan.publisher(MediaSources.sampleAudio(), MediaSources.sampleVideo()));
            peers.add(publisher);
            target.join(new BotSpec(ROOM, "publisher", BotRole.PUBLISHER), publisher)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            publisher.connected().get(WAIT_SECONDS, TimeUnit.SECONDS);

            // the browser watches by WHEP, through the same target as the bots
            chromium.evaluate(CAPTURE_PCS);
            target.join(new BotSpec(ROOM, "chromium", BotRole.LISTENER), browserPeer(chromium))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);

            // and so do the bots
            List<BotPeer> listeners = new ArrayList<>();
            List<CompletableFuture<BotSession>> joins = new ArrayList<>();
            for (int i = 0; i < LISTENERS; i++) {
                BotPeer l = new BotPeer(context, PeerPlan.listener(1, 1));
                peers.add(l);
                listeners.add(l);
                joins.add(target.join(new BotSpec(ROOM, "listener-" + i, BotRole.LISTENER), l));
            }
            for (int i = 0; i < LISTENERS; i++) {
                joins.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS);
                listeners.get(i).connected().get(WAIT_SECONDS, TimeUnit.SECONDS);
                listeners.get(i).firstMedia().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            chromium.awaitState(ChromiumPeer.State::connected, Duration.ofSeconds(WAIT_SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (inbound(chromium, "video").framesDecoded() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(inbound(chromium, "video").framesDecoded() > 0,
                    "Chromium decoded the publishing bot's VP8: " + chromium.events());
            long joinedAt = System.nanoTime();

            int mediaPort = node.announced().getPort();
            try (PacketLoss loss = PacketLoss.fromPort(mediaPort, ONE_IN)) {
                Thread.sleep(1000); // the first NACK rounds under loss, before the window opens
                long[] flow0 = loss.counts();
                Snapshot s0 = Snapshot.take(chromium, listeners);
                Thread.sleep(WINDOW.toMillis());
                long[] flow1 = loss.counts();
                // the window closes: the publisher stops, the repairs in flight end, and every receiver's figures
                // stand still, so the end needs no alignment
                publisher.offerToStopPublishing();
                Thread.sleep(SETTLE.toMillis());
                Snapshot s1 = Snapshot.take(chromium, listeners);

                Inbound browserVideo = s1.browserVideo().minus(s0.browserVideo());
                Inbound browserAudio = s1.browserAudio().minus(s0.browserAudio());
                List<Window> video = windows(s0.botVideo(), s1.botVideo());
                List<Window> audio = windows(s0.botAudio(), s1.botAudio());
                long seen = flow1[0] - flow0[0];
                long dropped = flow1[1] - flow0[1];
                String report = report(browserVideo, browserAudio, video, audio, seen, dropped,
                        s0.bracketPackets(), (System.nanoTime() - started) / 1e9, (joinedAt - started) / 1e9);
                System.out.println(report);

                // (a) loss was really induced, ~4% of everything the node sent
                double droppedPercent = 100.0 * dropped / Math.max(1, seen);
                assertTrue(seen > 10_000 && droppedPercent > 3 && droppedPercent < 5,
                        "nftables dropped ~4% of the node's packets: " + report);
                // (b) both sides asked for the lost video again
                assertTrue(browserVideo.nackCount() > 0, "the browser sent NACKs: " + report);
                for (Window w : video) {
                    assertTrue(w.nacks() > 0, "every bot sent NACKs: " + w + "\n" + report);
                }
                // (c) video loss as Chromium's packetsLost counts it: before retransmission, the network's ~4%
                double botsNetworkLoss = mean(video, Window::lossBeforeRetransmissionPercent);
                assertTrue(Math.abs(botsNetworkLoss - NETWORK_LOSS_PERCENT) < 1.0, "bots' video loss before"
                        + " retransmission ~4%: " + report);
                assertTrue(Math.abs(botsNetworkLoss - browserVideo.lossPercent()) <= NETWORK_AGREEMENT_POINTS,
                        "bots' and browser's video loss before retransmission agree: " + report);
                //     and after retransmission: small on both sides, and alike
                double botsVideoLoss = mean(video, Window::lossPercent);
                double browserVideoLoss = browserVideo.lossAfterRetransmissionPercent();
                assertTrue(browserVideoLoss < MAX_VIDEO_LOSS_PERCENT, "browser video loss: " + report);
                assertTrue(botsVideoLoss < MAX_VIDEO_LOSS_PERCENT, "bots' video loss: " + report);
                assertTrue(Math.abs(botsVideoLoss - browserVideoLoss) <= VIDEO_AGREEMENT_POINTS,
                        "bots' and browser's video loss after retransmission agree: " + report);
                // audio is not repaired: the network's 4% on both sides
                double botsAudioLoss = mean(audio, Window::lossPercent);
                assertTrue(Math.abs(botsAudioLoss - NETWORK_LOSS_PERCENT) < 1.0, "bots' audio loss ~4%: " + report);
                assertTrue(Math.abs(botsAudioLoss - browserAudio.lossPercent()) <= AUDIO_AGREEMENT_POINTS,
                        "bots' and browser's audio loss agree: " + report);
                // the same stream: every bot expected and received (repairs included) what the browser did
                for (Window w : video) {
                    assertTrue(percentApart(w.expected(), browserVideo.expected()) <= EXPECTED_AGREEMENT_PERCENT,
                            "video packets expected agree (" + w + "): " + report);
                    assertTrue(percentApart(w.received(), browserVideo.packetsReceived()) <= RECEIVED_AGREEMENT_PERCENT,
                            "video packets received agree (" + w + "): " + report);
                }
                // (e) the browser decoded the bots' VP8 at its size throughout
                assertTrue(browserVideo.framesDecoded() > 0, "frames decoded in the window: " + report);
                assertEquals(640, browserVideo.frameWidth(), report);
                assertEquals(360, browserVideo.frameHeight(), report);
            }
            // (d) every bot joined, received both kinds, and authenticated every packet
            for (BotPeer l : listeners) {
                PeerStats v = l.stats(MediaKind.VIDEO);
                PeerStats a = l.stats(MediaKind.AUDIO);
                assertTrue(v.packetsReceived() > 0 && a.packetsReceived() > 0, "video " + v + ", audio " + a);
                assertEquals(0, v.authFailures(), v.toString());
            }
            assertEquals(LISTENERS + 2, node.whip().resourceCount(), "the publisher, the bots and the browser");
        } finally {
            peers.forEach(BotPeer::close);
            target.close();
            loops.close();
            node.close();
        }
    }

    /** Chromium as the SDP side of a WHEP listener: it offers (sendrecv, which the node answers sendonly). */
    private static SdpPeer browserPeer(ChromiumPeer chromium) {
        return new SdpPeer() {
            @Override
            public String createOffer() {
                return chromium.createOffer(true, true);
            }

            @Override
            public void applyAnswer(String answerSdp) {
                chromium.setAnswer(answerSdp);
            }

            @Override
            public String answerOffer(String offerSdp) {
                throw new UnsupportedOperationException("WHEP: the browser offers");
            }

            @Override
            public String offerMoreReceivers(int audio, int video) {
                throw new UnsupportedOperationException("WHEP has no re-negotiation");
            }

            @Override
            public String offerToPublish(MediaSource audio, MediaSource video) {
                throw new UnsupportedOperationException("WHEP has no re-negotiation");
            }

            @Override
            public String offerToStopPublishing() {
                throw new UnsupportedOperationException("WHEP has no re-negotiation");
            }
        };
    }

    private static Inbound inbound(Map<?, ?> all, String kind) {
        Map<?, ?> m = all == null ? null : (Map<?, ?>) all.get(kind);
        if (m == null) {
            return new Inbound(0, 0, 0, 0, 0, 0, 0);
        }
        return new Inbound(number(m, "packetsReceived"), number(m, "packetsLost"), number(m, "nackCount"),
                number(m, "framesDecoded"), number(m, "frameWidth"), number(m, "frameHeight"),
                number(m, "retransmittedPacketsReceived"));
    }

    private static Inbound inbound(ChromiumPeer chromium, String kind) {
        return inbound((Map<?, ?>) chromium.evaluate(INBOUND), kind);
    }

    /** Each counter midway between two snapshots of the same bots. */
    private static List<PeerStats> midway(List<PeerStats> before, List<PeerStats> after) {
        List<PeerStats> out = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            PeerStats a = before.get(i);
            PeerStats b = after.get(i);
            out.add(new PeerStats((a.packetsReceived() + b.packetsReceived()) / 2,
                    (a.bytesReceived() + b.bytesReceived()) / 2, (a.packetsExpected() + b.packetsExpected()) / 2,
                    (a.packetsLost() + b.packetsLost()) / 2, (a.rtxReceived() + b.rtxReceived()) / 2,
                    (a.nacksSent() + b.nacksSent()) / 2, b.plisSent(), b.authFailures(), b.jitterMicros(),
                    b.packetsSent(), b.bytesSent(), b.iceNanos(), b.dtlsNanos(), b.firstMediaNanos()));
        }
        return out;
    }

    private static double percentApart(double a, double b) {
        return b == 0 ? 100 : 100.0 * Math.abs(a - b) / b;
    }

    private static long number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static List<PeerStats> stats(List<BotPeer> bots, MediaKind kind) {
        return bots.stream().map(b -> b.stats(kind)).toList();
    }

    private static List<Window> windows(List<PeerStats> before, List<PeerStats> after) {
        List<Window> out = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            out.add(new Window(before.get(i), after.get(i)));
        }
        return out;
    }

    private static double mean(List<Window> ws, ToDoubleFunction<Window> percent) {
        return ws.stream().mapToDouble(percent).average().orElse(0);
    }

    private static double min(List<Window> ws, ToDoubleFunction<Window> percent) {
        return ws.stream().mapToDouble(percent).min().orElse(0);
    }

    private static double max(List<Window> ws, ToDoubleFunction<Window> percent) {
        return ws.stream().mapToDouble(percent).max().orElse(0);
    }

    private static String report(Inbound browserVideo, Inbound browserAudio, List<Window> video, List<Window> audio,
                                 long seen, long dropped, long bracketPackets, double seconds, double joinSeconds) {
        ToDoubleFunction<Window> before = Window::lossBeforeRetransmissionPercent;
        ToDoubleFunction<Window> after = Window::lossPercent;
        return String.format("AGREEMENT over %d s, 1 in %d dropped: nft dropped %d of %d (%.2f%%)%n"
                        + "  video browser: loss before rtx %.3f%% after %.3f%% (packetsLost %d, packetsReceived %d,"
                        + " retransmittedPacketsReceived %d, so expected %d), NACKs %d, frames %d, %dx%d%n"
                        + "  video bots:    loss before rtx mean %.3f%% min %.3f%% max %.3f%%;"
                        + " after mean %.3f%% min %.3f%% max %.3f%%%n"
                        + "                 received (incl. repaired) mean %.1f min %d max %d,"
                        + " expected mean %.1f min %d max %d, rtx repaired mean %.1f;"
                        + " NACKs total %d min %d max %d%n"
                        + "  audio browser: loss %.3f%% (lost %d, received %d)%n"
                        + "  audio bots:    loss mean %.3f%% min %.3f%% max %.3f%%, received mean %.1f%n"
                        + "  snapshot bracket %d video packets; runtime %.1f s (all joined after %.1f s)",
                WINDOW.toSeconds(), ONE_IN, dropped, seen, 100.0 * dropped / Math.max(1, seen),
                browserVideo.lossPercent(), browserVideo.lossAfterRetransmissionPercent(), browserVideo.packetsLost(),
                browserVideo.packetsReceived(), browserVideo.retransmitted(),
                browserVideo.expected(), browserVideo.nackCount(),
                browserVideo.framesDecoded(), browserVideo.frameWidth(), browserVideo.frameHeight(),
                mean(video, before), min(video, before), max(video, before),
                mean(video, after), min(video, after), max(video, after),
                video.stream().mapToLong(Window::received).average().orElse(0),
                video.stream().mapToLong(Window::received).min().orElse(0),
                video.stream().mapToLong(Window::received).max().orElse(0),
                video.stream().mapToLong(Window::expected).average().orElse(0),
                video.stream().mapToLong(Window::expected).min().orElse(0),
                video.stream().mapToLong(Window::expected).max().orElse(0),
                video.stream().mapToLong(Window::rtx).average().orElse(0),
                video.stream().mapToLong(Window::nacks).sum(), video.stream().mapToLong(Window::nacks).min().orElse(0),
                video.stream().mapToLong(Window::nacks).max().orElse(0),
                browserAudio.lossPercent(), browserAudio.packetsLost(), browserAudio.packetsReceived(),
                mean(audio, after), min(audio, after), max(audio, after),
                audio.stream().mapToLong(Window::received).average().orElse(0),
                bracketPackets, seconds, joinSeconds);
    }
}
