package dev.arena.sfu.room;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.sdp.AnswerOptions;
import dev.arena.rtc.sdp.Fingerprint;
import dev.arena.rtc.sdp.SdpParseException;
import dev.arena.rtc.sdp.SessionDescription;
import dev.arena.rtc.transport.RemoteParameters;
import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.SdpParameters;
import dev.arena.rtc.transport.TransportListener;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.rtc.transport.TransportState;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Joins participants to a {@link Room} on a {@link TransportServer} from their SDP offers (the room-level analogue
 * of the server's EchoService): one transport per participant, the offer's sending sections published, every
 * track already in the room delivered on its receiving sections, the answer returned. Room work runs on the
 * transports' loop (a server has one); {@link #join} may be called from any thread and blocks until it is done.
 */
public final class RoomGateway implements AutoCloseable {
    static final long TIMER_INTERVAL_MS = 20;

    private final TransportServer server;
    private final InetSocketAddress announced;
    private final DtlsCertificate certificate;
    private final Room room;
    private final SecureRandom random = new SecureRandom();
    private volatile ScheduledExecutorService loop;
    private volatile ScheduledFuture<?> timer;

    public RoomGateway(TransportServer server, InetSocketAddress announced, DtlsCertificate certificate, Room room) {
        this.server = Objects.requireNonNull(server);
        this.announced = Objects.requireNonNull(announced);
        this.certificate = Objects.requireNonNull(certificate);
        this.room = Objects.requireNonNull(room);
    }

    public Room room() {
        return room;
    }

    /**
     * Answers a participant's offer: a new participant with its own transport, publishing what it sends if
     * {@code publish}, and receiving every track of the other participants that its offer has room for.
     */
    public String join(String participantId, String offerSdp, boolean publish) throws SdpParseException {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        RemoteParameters remote = SdpParameters.fromOffer(offer);
        IceCredentials local = IceCredentials.random();
        AnswerOptions.Builder options = AnswerOptions.builder(local.ufrag(), local.pwd(),
                        new Fingerprint(certificate.fingerprintAlgorithm(), certificate.fingerprintValue()))
                .hostCandidates(List.of(announced));
        Link link = new Link();
        RtcTransport transport = server.createTransport(local, remote, certificate, link);
        ScheduledExecutorService executor = transport.executor();
        startTimer(executor);
        try {
            return executor.submit(() -> {
                Participant p = room.join(participantId);
                try {
                    p.attach(transport);
                    link.participant = p;
                    List<Track> others = new ArrayList<>();
                    for (Track t : room.tracks()) {
                        if (t.publisher() != p) {
                            others.add(t);
                        }
                    }
                    RoomSdp.Negotiation n = RoomSdp.negotiate(offer, options, publish, others, random::nextInt);
                    for (TrackSpec spec : n.published()) {
                        room.publish(p, spec);
                    }
                    for (RoomSdp.Delivery d : n.deliveries()) {
                        room.subscribe(d.track(), p, d.spec());
                    }
                    return n.answer().toString();
                } catch (RuntimeException e) {
                    room.leave(p);
                    throw e;
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            transport.close();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            transport.close();
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs {@code task} on the room's loop and waits for it (for stats and tests); null loop before any join. */
    public <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        ScheduledExecutorService l = loop;
        if (l == null) {
            return task.call();
        }
        return l.submit(task).get();
    }

    private synchronized void startTimer(ScheduledExecutorService executor) {
        if (loop == null) {
            loop = executor;
            timer = executor.scheduleAtFixedRate(room::onTimer, TIMER_INTERVAL_MS, TIMER_INTERVAL_MS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Closes the room (and every transport of it) on its loop. */
    @Override
    public void close() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        ScheduledExecutorService l = loop;
        if (l == null) {
            room.close();
            return;
        }
        try {
            l.submit(room::close).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            // the loop is gone: so are the transports
        }
    }

    /** Hands transport events to the participant once it exists (it is set before the answer leaves). */
    private static final class Link implements TransportListener {
        volatile Participant participant;

        @Override
        public void onStateChange(RtcTransport transport, TransportState state) {
            Participant p = participant;
            if (p != null) {
                p.onStateChange(transport, state);
            }
        }

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            Participant p = participant;
            if (p != null) {
                p.onRtp(transport, buf, off, len);
            }
        }

        @Override
        public void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {
            Participant p = participant;
            if (p != null) {
                p.onRtcp(transport, buf, off, len);
            }
        }
    }
}
