package dev.arena.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.SdpParameters;
import dev.arena.rtc.transport.TransportListener;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.rtc.transport.TransportState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A room on a {@link TransportServer} with two loops, its peers our own client-role transports (full ICE, DTLS,
 * SRTP, each on a port of its own, so the kernel spreads them over the two sockets): subscribers are added until the
 * publisher's loop and the other loop both carry subscribers, so packets take the same-loop path and the hand-off
 * to the other loop. Every subscriber must decrypt every packet, in order, numbered without a gap, with the
 * publisher's payload.
 */
class CrossLoopForwardingTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);
    private static final int PACKETS = 400;
    private static final long WAIT_NANOS = 30_000_000_000L;

    @Test
    void everySubscriberOnEitherLoopGetsEveryPacketInOrder() throws Exception {
        DtlsCertificate cert = DtlsCertificate.shared();
        try (TransportServer server = TransportServer.start(LOCAL, 2);
             RoomGateway gateway = new RoomGateway(server, server.localAddress(), cert, "cross", new RoomListener() {})) {
            List<Peer> peers = new ArrayList<>();
            try {
                Peer pub = Peer.join(gateway, server, cert, "pub", Offers.send("video", "0"), 1);
                peers.add(pub);
                List<Peer> subs = new ArrayList<>();
                int sameLoop = 0;
                int otherLoop = 0;
                for (int i = 0; i < 40 && (sameLoop < 1 || otherLoop < 2); i++) {
                    Peer sub = Peer.join(gateway, server, cert, "sub" + i, Offers.recv("video", "0"), 0);
                    peers.add(sub);
                    subs.add(sub);
                    if (sub.serverLoop == pub.serverLoop) {
                        sameLoop++;
                    } else {
                        otherLoop++;
                    }
                }
                assertTrue(sameLoop >= 1 && otherLoop >= 2, "subscribers on both loops: " + sameLoop + " with the"
                        + " publisher, " + otherLoop + " on the other loop");

                int ssrc = pub.sendingSsrc();
                byte[][] payloads = new byte[PACKETS][];
                for (int i = 0; i < PACKETS; i++) {
                    payloads[i] = ("packet " + i + " ").repeat(1 + i % 60).getBytes();
                }
                // in bursts of 8, so that the publisher's loop batches several packets per hand-off
                for (int first = 0; first < PACKETS; first += 8) {
                    int from = first;
                    pub.client.executor().execute(() -> {
                        byte[] buf = new byte[1500];
                        RtpPacketWriter w = new RtpPacketWriter();
                        for (int i = from; i < Math.min(PACKETS, from + 8); i++) {
                            int n = w.start(buf, 0, buf.length - RtcTransport.SPARE_BYTES, 96, 1000 + i,
                                    90L * i, ssrc).payload(payloads[i], 0, payloads[i].length).finish();
                            pub.client.sendRtp(buf, 0, n);
                        }
                    });
                    Thread.sleep(2);
                }
                for (Peer sub : subs) {
                    await(() -> sub.received.size() >= PACKETS, () -> sub.id + " received " + sub.received.size()
                            + "; room drops " + gateway.room().drops());
                }
                for (Peer sub : subs) {
                    assertEquals(PACKETS, sub.received.size(), sub.id + ": nothing more, nothing less");
                    int ssrcOut = sub.received.getFirst().ssrc;
                    int seq0 = sub.received.getFirst().seq;
                    for (int i = 0; i < PACKETS; i++) {
                        Received r = sub.received.get(i);
                        assertEquals(ssrcOut, r.ssrc, sub.id + ": one SSRC");
                        assertEquals((seq0 + i) & 0xFFFF, r.seq, sub.id + ": in order, no gap, at " + i);
                        assertTrue(Arrays.equals(payloads[i], r.payload), sub.id + ": the publisher's payload " + i);
                    }
                }
                Room room = gateway.room();
                assertEquals(PACKETS, room.handedOffPackets(), "one copy per packet for the other loop, whatever"
                        + " its number of subscribers (" + otherLoop + ")");
                assertTrue(room.handOffTasks() >= 1 && room.handOffTasks() <= PACKETS, room.handOffTasks() + " tasks");
                System.out.printf("cross-loop: %d subscribers with the publisher, %d on the other loop; %d packets"
                        + " handed off in %d tasks%n", sameLoop, otherLoop, room.handedOffPackets(), room.handOffTasks());
                var drops = room.drops();
                assertEquals(0, drops.total() - drops.get(ForwardDrop.KEYFRAME_REQUEST_THROTTLED),
                        "no packet dropped: " + drops);
            } finally {
                peers.forEach(p -> p.client.close());
            }
        }
    }

    private static void await(BooleanSupplier done, java.util.function.Supplier<String> what) throws Exception {
        long end = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out: " + what.get());
            }
            Thread.sleep(10);
        }
    }

    record Received(int ssrc, int seq, byte[] payload) {}

    /** A client-role transport that negotiated with the gateway; records the RTP it decrypts. */
    static final class Peer implements TransportListener {
        final String id;
        final String offer;
        final List<Received> received = new CopyOnWriteArrayList<>();
        private final RtpPacket view = new RtpPacket();
        RtcTransport client;
        Executor serverLoop;

        Peer(String id, String offer) {
            this.id = id;
            this.offer = offer;
        }

        static Peer join(RoomGateway gateway, TransportServer server, DtlsCertificate cert, String id,
                         Offers.Section section, int maxPublished) throws Exception {
            String ufrag = "u" + id;
            String offer = Offers.offer(ufrag, section).replaceAll("a=fingerprint:sha-256 [0-9A-F:]+",
                    "a=fingerprint:" + cert.fingerprintAlgorithm() + " " + cert.fingerprintValue());
            Peer p = new Peer(id, offer);
            SessionDescription answer = SessionDescription.parse(gateway.negotiate(id, offer, maxPublished).answerSdp());
            p.client = RtcTransport.connect(LOCAL, new IceCredentials(ufrag, Offers.PWD),
                    SdpParameters.fromAnswer(answer), cert, p);
            await(() -> p.client.state() == TransportState.CONNECTED, () -> id + " connects");
            String serverUfrag = answer.iceUfragFor(answer.media().getFirst());
            RtcTransport served = server.transports().stream()
                    .filter(t -> t.localIceCredentials().ufrag().equals(serverUfrag)).findFirst().orElseThrow();
            await(() -> served.state() == TransportState.CONNECTED, () -> id + " connected on the server");
            p.serverLoop = served.executor();
            return p;
        }

        /** The video SSRC of our offer (the first of its FID group). */
        int sendingSsrc() {
            Matcher m = Pattern.compile("a=ssrc-group:FID (\\d+)").matcher(offer);
            assertTrue(m.find(), "an FID group in " + offer);
            return (int) Long.parseLong(m.group(1));
        }

        @Override
        public void onStateChange(RtcTransport transport, TransportState state) {}

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            if (view.wrap(buf, off, len)) {
                received.add(new Received(view.ssrc(), view.sequenceNumber(),
                        Arrays.copyOfRange(buf, view.payloadOffset(), view.payloadOffset() + view.payloadLength())));
            }
        }
    }
}
