package dev.arena.rtc.transport;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.dtls.DtlsRole;
import dev.arena.rtc.ice.IceCredentials;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtpPacketWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client-role transport (full ICE, controlling, own port) connected to a server-role transport on a
 * shared ICE-lite port, both ours, on 127.0.0.1: the two roles tested against each other.
 */
final class TransportPair implements AutoCloseable {
    final TransportServer server;
    final IceCredentials serverIce = IceCredentials.random();
    final IceCredentials clientIce = IceCredentials.random();
    final Recorder serverSide = new Recorder();
    final Recorder clientSide = new Recorder();
    final RtcTransport serverTransport;
    final RtcTransport clientTransport;

    /** {@code serverExpects}: the certificate whose fingerprint the server checks the client against. */
    TransportPair(DtlsCertificate clientCertificate, DtlsCertificate serverCertificate, DtlsCertificate serverExpects) {
        server = TransportServer.start(new InetSocketAddress("127.0.0.1", 0));
        serverTransport = server.createTransport(serverIce,
                new RemoteParameters(clientIce, serverExpects.fingerprintAlgorithm(), serverExpects.fingerprintValue(),
                        DtlsRole.SERVER, List.of()),
                serverCertificate, serverSide);
        clientTransport = RtcTransport.connect(new InetSocketAddress("127.0.0.1", 0), clientIce,
                new RemoteParameters(serverIce, serverCertificate.fingerprintAlgorithm(),
                        serverCertificate.fingerprintValue(), DtlsRole.CLIENT, List.of(server.localAddress())),
                clientCertificate, clientSide);
    }

    static TransportPair matching() {
        DtlsCertificate c = DtlsCertificate.shared();
        return new TransportPair(c, c, c);
    }

    /** Sends one small RTP packet from {@code from} on its loop. */
    static void sendRtp(RtcTransport from, int ssrc, int seq) {
        from.executor().execute(() -> {
            byte[] buf = new byte[256];
            byte[] payload = ("packet " + seq).getBytes();
            int n = new RtpPacketWriter().start(buf, 0, buf.length - RtcTransport.SPARE_BYTES, 96, seq, seq * 3000L, ssrc)
                    .payload(payload, 0, payload.length).finish();
            from.sendRtp(buf, 0, n);
        });
    }

    @Override
    public void close() {
        clientTransport.close();
        serverTransport.close();
        server.close();
    }

    /** Records what a transport hands up; runs on its loop. */
    static final class Recorder implements TransportListener {
        final AtomicLong rtp = new AtomicLong();
        final AtomicLong rtcp = new AtomicLong();
        final List<String> payloads = new CopyOnWriteArrayList<>();
        final List<TransportState> states = new CopyOnWriteArrayList<>();
        private final RtpPacket view = new RtpPacket();

        @Override
        public void onStateChange(RtcTransport transport, TransportState state) {
            states.add(state);
        }

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            if (view.wrap(buf, off, len)) {
                payloads.add(new String(buf, view.payloadOffset(), view.payloadLength()));
                rtp.incrementAndGet();
            }
        }

        @Override
        public void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {
            rtcp.incrementAndGet();
        }
    }
}
