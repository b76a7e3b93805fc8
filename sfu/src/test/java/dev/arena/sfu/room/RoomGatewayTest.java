package dev.arena.sfu.room;

import static dev.arena.sfu.room.Offers.inactive;
import static dev.arena.sfu.room.Offers.offer;
import static dev.arena.sfu.room.Offers.recv;
import static dev.arena.sfu.room.Offers.send;
import static dev.arena.sfu.room.Offers.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.sdp.Direction;
import dev.arena.rtc.sdp.MediaDescription;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.sfu.room.NegotiationException.Code;
import dev.arena.sfu.room.RoomGateway.Negotiated;
import dev.arena.sfu.room.RoomGateway.Needed;
import dev.arena.sfu.room.RoomGateway.Section;
import dev.arena.sfu.room.RoomGateway.SectionRole;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Negotiation and stage controls of {@link RoomGateway} on a real {@link TransportServer} (loopback, nobody connects)
 * with offers made from a captured Chromium offer ({@link Offers}).
 */
class RoomGatewayTest {
    TransportServer server;
    RoomGateway gateway;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0), 1); // one loop: the N=1 case stays covered
        gateway = new RoomGateway(server, server.localAddress(), DtlsCertificate.shared(), "stage",
                new RoomListener() {
                    @Override
                    public void onTrackPublished(Room room, Track track) {
                        events.add("published " + track.id());
                    }

                    @Override
                    public void onTrackUnpublished(Room room, Track track) {
                        events.add("unpublished " + track.id());
                    }

                    @Override
                    public void onParticipantLeft(Room room, Participant participant) {
                        events.add("left " + participant.id());
                    }
                });
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        server.close();
    }

    static String publisher(String ufrag) {
        return offer(ufrag, send("audio", "0"), send("video", "1"));
    }

    static List<String> mids(SessionDescription sdp) {
        return sdp.media().stream().map(MediaDescription::mid).toList();
    }

    /** Tracks and every subscription (track, subscriber, mid, SSRC), to compare before and after. */
    String snapshot() throws Exception {
        return gateway.onLoop(() -> {
            List<String> out = new ArrayList<>();
            for (Track t : gateway.room().tracks()) {
                out.add(t.id() + (t.isMuted() ? " muted" : ""));
                for (Subscription s : t.subscriptions()) {
                    out.add("  -> " + s.subscriber().id() + " mid " + s.spec().mid() + " ssrc "
                            + Integer.toUnsignedString(s.ssrc()));
                }
            }
            out.add("participants " + gateway.room().participants().stream().map(Participant::id).toList());
            return String.join("\n", out);
        });
    }

    @Test
    void aReofferKeepsMidsAndDeliveriesAndAnswersNewSectionsInOrder() throws Exception {
        gateway.negotiate("pub", publisher("pubA"), 4);
        Negotiated first = gateway.negotiate("sub", offer("subA", recv("audio", "0"), recv("video", "1")), 0);
        assertEquals(List.of(new Section("0", SectionRole.RECV, "pub/0", "pub", "audio"),
                new Section("1", SectionRole.RECV, "pub/1", "pub", "video")), first.sections());
        SessionDescription a1 = SessionDescription.parse(first.answerSdp());

        Negotiated again = gateway.negotiate("sub", offer("subA", recv("audio", "0"), recv("video", "1"),
                recv("video", "2"), recv("audio", "3")), 0);
        SessionDescription a2 = SessionDescription.parse(again.answerSdp());
        assertEquals(List.of("0", "1", "2", "3"), mids(a2), "m-line order and mids of the offer");
        assertEquals(List.of("0", "1", "2", "3"), a2.bundleMids());
        assertEquals(first.sections(), again.sections().subList(0, 2), "existing mids keep their tracks");
        assertEquals(SectionRole.INACTIVE, again.sections().get(2).role());
        assertEquals(Direction.INACTIVE, a2.mediaByMid("2").direction());
        for (String mid : List.of("0", "1")) {
            assertEquals(a1.mediaByMid(mid).ssrcIds(), a2.mediaByMid(mid).ssrcIds(), "same SSRCs on mid " + mid);
            assertEquals(a1.mediaByMid(mid).msid(), a2.mediaByMid(mid).msid());
            assertEquals(Direction.SENDONLY, a2.mediaByMid(mid).direction());
        }
        assertEquals(a1.iceUfragFor(a1.media().getFirst()), a2.iceUfragFor(a2.media().getFirst()),
                "no ICE restart without new credentials");
        assertEquals(a1.origin().sessionId(), a2.origin().sessionId(), "the same session (RFC 3264 section 8)");
        assertEquals(Long.parseLong(a1.origin().sessionVersion()) + 1, Long.parseLong(a2.origin().sessionVersion()));
        assertEquals(2, (int) gateway.onLoop(() -> gateway.room().participant("sub").subscriptions().size()));
        assertEquals(new Needed(0, 0, false), gateway.receiveSectionsNeeded("sub"));
    }

    @Test
    void aSectionWhoseTrackWentAwayIsInactiveThenTakesTheNextTrack() throws Exception {
        gateway.negotiate("pub", publisher("pubA"), 4);
        gateway.negotiate("sub", offer("subA", recv("audio", "0"), recv("video", "1")), 0);

        // the publisher stops its camera (transceiver stopped: port 0)
        Negotiated pub = gateway.negotiate("pub", offer("pubA", send("audio", "0"), stopped("video", "1")), 4);
        assertEquals(SectionRole.INACTIVE, pub.sections().get(1).role());
        assertTrue(events.contains("unpublished pub/1"), events.toString());
        assertEquals(new Needed(0, 0, true), gateway.receiveSectionsNeeded("sub"), "a section's track went away");

        Negotiated sub = gateway.negotiate("sub", offer("subA", recv("audio", "0"), recv("video", "1")), 0);
        assertEquals(new Section("1", SectionRole.INACTIVE, null, null, "video"), sub.sections().get(1));
        MediaDescription freed = SessionDescription.parse(sub.answerSdp()).mediaByMid("1");
        assertEquals(Direction.INACTIVE, freed.direction());
        assertTrue(freed.hasAttribute("inactive"));
        assertTrue(freed.ssrcIds().isEmpty());
        assertEquals(new Needed(0, 0, false), gateway.receiveSectionsNeeded("sub"));

        // another publisher's camera: the free section can take it
        gateway.negotiate("pub2", offer("pub2", send("video", "0")), 4);
        assertEquals(new Needed(0, 0, true), gateway.receiveSectionsNeeded("sub"));
        sub = gateway.negotiate("sub", offer("subA", recv("audio", "0"), recv("video", "1")), 0);
        assertEquals(new Section("1", SectionRole.RECV, "pub2/0", "pub2", "video"), sub.sections().get(1));
        MediaDescription reused = SessionDescription.parse(sub.answerSdp()).mediaByMid("1");
        assertEquals(Direction.SENDONLY, reused.direction());
        assertEquals("pub2/0", reused.msid().trackId());
        long declared = reused.ssrcIds().getFirst();
        assertEquals(declared, (long) gateway.onLoop(() -> Integer.toUnsignedLong(
                gateway.room().track("pub2/0").subscriptions().getFirst().ssrc())), "a new subscription on it");
        // a third camera needs one more video section; a section with no common codec does not take it
        String noVp8 = offer("subA", recv("audio", "0"), recv("video", "1"), recv("video", "2"), recv("video", "3"));
        int third = noVp8.indexOf("a=mid:2");
        noVp8 = noVp8.substring(0, third) + noVp8.substring(third).replaceFirst("a=rtpmap:96 VP8/90000", "a=rtpmap:96 XV9/90000");
        gateway.negotiate("pub3", offer("pub3", send("video", "0")), 4);
        assertEquals(new Needed(0, 1, false), gateway.receiveSectionsNeeded("sub"));
        sub = gateway.negotiate("sub", noVp8, 0);
        assertEquals(new Section("2", SectionRole.INACTIVE, null, null, "video"), sub.sections().get(2));
        assertEquals(0, SessionDescription.parse(sub.answerSdp()).mediaByMid("2").port(), "rejected");
        assertEquals(new Section("3", SectionRole.RECV, "pub3/0", "pub3", "video"), sub.sections().get(3));
        assertEquals(new Section("1", SectionRole.RECV, "pub2/0", "pub2", "video"), sub.sections().get(1));
        assertEquals(new Needed(0, 0, false), gateway.receiveSectionsNeeded("sub"));
    }

    @Test
    void anOfferThatSendsFromAListenerIsRefusedAndChangesNothing() throws Exception {
        gateway.negotiate("pub", publisher("pubA"), 4);
        NegotiationException first = assertThrows(NegotiationException.class,
                () -> gateway.negotiate("lis", offer("lisA", send("audio", "0"), recv("video", "1")), 0));
        assertEquals(Code.PUBLISH_NOT_ALLOWED, first.code());
        assertFalse(gateway.contains("lis"), "a refused first offer creates no participant");
        assertEquals(1, server.transportCount(), "and no transport stays");

        gateway.negotiate("lis", offer("lisA", recv("audio", "0"), recv("video", "1")), 0);
        String before = snapshot();
        NegotiationException again = assertThrows(NegotiationException.class, () -> gateway.negotiate("lis",
                offer("lisB", recv("audio", "0"), recv("video", "1"), send("video", "2")), 0));
        assertEquals(Code.PUBLISH_NOT_ALLOWED, again.code());
        assertTrue(again.getMessage().contains("may not publish"), again.getMessage());
        assertEquals(before, snapshot(), "same tracks and subscriptions");
        // and the refused re-offer's ICE credentials were not taken: the same offer as before is no restart
        Negotiated same = gateway.negotiate("lis", offer("lisA", recv("audio", "0"), recv("video", "1")), 0);
        assertEquals(before, snapshot());
        assertEquals(SectionRole.RECV, same.sections().get(1).role());
    }

    @Test
    void publishingMoreThanAllowedIsRefused() throws Exception {
        NegotiationException e = assertThrows(NegotiationException.class,
                () -> gateway.negotiate("pub", publisher("pubA"), 1));
        assertEquals(Code.TOO_MANY_TRACKS, e.code());
        assertFalse(gateway.contains("pub"));

        gateway.negotiate("pub", offer("pubA", send("audio", "0")), 1);
        String before = snapshot();
        e = assertThrows(NegotiationException.class, () -> gateway.negotiate("pub", publisher("pubA"), 1));
        assertEquals(Code.TOO_MANY_TRACKS, e.code());
        assertEquals(before, snapshot());
        assertTrue(before.contains("pub/0"), before);
    }

    @Test
    void newIceCredentialsRestartIceAndKeepEverything() throws Exception {
        gateway.negotiate("pub", publisher("pubA"), 4);
        Negotiated first = gateway.negotiate("sub", offer("subA", recv("audio", "0"), recv("video", "1")), 0);
        String before = snapshot();
        Negotiated restarted = gateway.negotiate("sub", offer("subB", recv("audio", "0"), recv("video", "1")), 0);
        SessionDescription a1 = SessionDescription.parse(first.answerSdp());
        SessionDescription a2 = SessionDescription.parse(restarted.answerSdp());
        String ufrag1 = a1.iceUfragFor(a1.media().getFirst());
        String ufrag2 = a2.iceUfragFor(a2.media().getFirst());
        assertNotEquals(ufrag1, ufrag2, "new local ICE credentials in the answer");
        assertNotEquals(a1.icePwdFor(a1.media().getFirst()), a2.icePwdFor(a2.media().getFirst()));
        assertEquals(a1.fingerprintFor(a1.media().getFirst()), a2.fingerprintFor(a2.media().getFirst()));
        assertEquals(first.sections(), restarted.sections());
        assertEquals(before, snapshot(), "tracks and subscriptions kept");
        assertEquals(2, server.transportCount(), "the same transport");
    }

    @Test
    void badOffersAreRefusedWithTheirCode() throws Exception {
        assertEquals(Code.BAD_SDP, assertThrows(NegotiationException.class,
                () -> gateway.negotiate("x", "v=0\r\nnot sdp", 4)).code());
        String noCodec = offer("noCo", send("video", "0")).replaceAll("a=rtpmap:96 VP8/90000", "a=rtpmap:96 XYZ/90000");
        assertEquals(Code.NO_COMMON_CODEC, assertThrows(NegotiationException.class,
                () -> gateway.negotiate("x", noCodec, 4)).code());
        assertFalse(gateway.contains("x"));
        String twice = offer("twice", recv("audio", "0"), recv("video", "0")).replace("BUNDLE 0 0", "BUNDLE 0");
        assertEquals(Code.BAD_SDP, assertThrows(NegotiationException.class,
                () -> gateway.negotiate("x", twice, 4)).code(), "a=mid:0 twice");

        gateway.negotiate("pub", publisher("pubA"), 4);
        String before = snapshot();
        String otherCertificate = publisher("pubA").replace("fingerprint:sha-256 75:D2", "fingerprint:sha-256 76:D2");
        NegotiationException e = assertThrows(NegotiationException.class,
                () -> gateway.negotiate("pub", otherCertificate, 4));
        assertEquals(Code.BAD_SDP, e.code());
        assertTrue(e.getMessage().contains("fingerprint"), e.getMessage());
        assertEquals(before, snapshot());
        String otherRole = publisher("pubA").replace("a=setup:actpass", "a=setup:passive");
        assertEquals(Code.BAD_SDP, assertThrows(NegotiationException.class,
                () -> gateway.negotiate("pub", otherRole, 4)).code(), "we would become the DTLS client");
        assertEquals(before, snapshot());
    }

    @Test
    void aParticipantWhoseTransportNeverConnectsLeaves() throws Exception {
        gateway.unconnectedTimeout(java.time.Duration.ofSeconds(1));
        gateway.negotiate("ghost", publisher("ghost"), 4);
        assertTrue(gateway.contains("ghost"));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (gateway.contains("ghost") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(gateway.contains("ghost"), "nobody ever sent an ICE check");
        assertTrue(events.contains("left ghost"), events.toString());
        assertTrue(events.contains("unpublished ghost/1"), events.toString());
        assertEquals(0, server.transportCount(), "its transport closed");
    }

    @Test
    void stageControls() throws Exception {
        assertEquals(new Needed(0, 0, false), gateway.receiveSectionsNeeded("sub"));
        gateway.negotiate("pub", publisher("pubA"), 4);
        assertEquals(new Needed(1, 1, false), gateway.receiveSectionsNeeded("sub"), "before its first offer");
        gateway.negotiate("sub", offer("subA", recv("audio", "0"), recv("video", "1")), 0);
        assertTrue(gateway.contains("sub"));

        gateway.setMuted("pub/1", true);
        assertTrue(snapshot().contains("pub/1 muted"));
        gateway.setMuted("pub/1", false);
        assertFalse(snapshot().contains("muted"));
        assertThrows(IllegalArgumentException.class, () -> gateway.setMuted("nobody/9", true));

        gateway.unpublishAll("pub");
        assertEquals(0, (int) gateway.onLoop(() -> gateway.room().tracks().size()));
        assertEquals(0, (int) gateway.onLoop(() -> gateway.room().participant("sub").subscriptions().size()));
        assertTrue(gateway.contains("pub"), "demoted, not gone");
        // demoted: a re-offer that still sends is refused, one that stopped sending is answered
        assertEquals(Code.PUBLISH_NOT_ALLOWED, assertThrows(NegotiationException.class,
                () -> gateway.negotiate("pub", publisher("pubA"), 0)).code());
        Negotiated listener = gateway.negotiate("pub", offer("pubA", inactive("audio", "0"), inactive("video", "1")), 0);
        assertTrue(listener.sections().stream().allMatch(s -> s.role() == SectionRole.INACTIVE));

        gateway.leave("sub");
        assertFalse(gateway.contains("sub"));
        assertTrue(events.contains("left sub"), events.toString());
        gateway.leave("sub"); // idempotent
    }
}
