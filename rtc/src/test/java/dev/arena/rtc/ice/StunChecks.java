package dev.arena.rtc.ice;

import dev.arena.rtc.stun.StunIntegrity;
import dev.arena.rtc.stun.StunMessage;
import dev.arena.rtc.stun.StunWriter;
import dev.arena.rtc.udp.DatagramSender;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Builds Binding requests as a controlling full agent would, and records what a server sends. */
final class StunChecks {
    static final int UNKNOWN_REQUIRED = 0x0777;

    /** Options of a hand-made check. */
    record Check(String username, String pwd, boolean controlling, boolean controlled, boolean useCandidate,
                 boolean integrity, boolean unknownAttribute) {
        static Check to(IceCredentials server, IceCredentials client) {
            return new Check(server.ufrag() + ":" + client.ufrag(), server.pwd(), true, false, false, true, false);
        }

        Check nominate() {
            return new Check(username, pwd, controlling, controlled, true, integrity, unknownAttribute);
        }

        Check pwd(String p) {
            return new Check(username, p, controlling, controlled, useCandidate, integrity, unknownAttribute);
        }

        Check username(String u) {
            return new Check(u, pwd, controlling, controlled, useCandidate, integrity, unknownAttribute);
        }

        Check role(boolean controlling, boolean controlled) {
            return new Check(username, pwd, controlling, controlled, useCandidate, integrity, unknownAttribute);
        }

        Check noIntegrity() {
            return new Check(username, pwd, controlling, controlled, useCandidate, false, unknownAttribute);
        }

        Check withUnknownAttribute() {
            return new Check(username, pwd, controlling, controlled, useCandidate, integrity, true);
        }

        byte[] bytes() {
            byte[] tx = new byte[12];
            ThreadLocalRandom.current().nextBytes(tx);
            byte[] buf = new byte[600];
            StunWriter w = new StunWriter().start(buf, 0, StunMessage.BINDING_REQUEST, tx, 0)
                    .username(username).priority(IceControllingAgent.PRFLX_PRIORITY);
            if (controlling) {
                w.iceControlling(0x1234_5678_9ABC_DEF0L);
            }
            if (controlled) {
                w.iceControlled(0x1234_5678_9ABC_DEF0L);
            }
            if (useCandidate) {
                w.useCandidate();
            }
            if (unknownAttribute) {
                w.attribute(UNKNOWN_REQUIRED, new byte[] {1, 2, 3, 4}, 0, 4);
            }
            if (integrity) {
                w.messageIntegrity(StunIntegrity.key(pwd));
            }
            return Arrays.copyOf(buf, w.fingerprint().length());
        }
    }

    /** Records datagrams sent to it. */
    static final class Recorder implements DatagramSender {
        record Sent(byte[] data, InetSocketAddress to) {
        }

        final List<Sent> sent = new ArrayList<>();

        @Override
        public synchronized void send(byte[] buf, int off, int len, InetSocketAddress to) {
            sent.add(new Sent(Arrays.copyOfRange(buf, off, off + len), to));
        }

        /** The last datagram, parsed. */
        synchronized StunMessage last() {
            if (sent.isEmpty()) {
                return null;
            }
            byte[] b = sent.getLast().data();
            StunMessage m = new StunMessage();
            if (!m.wrap(b, 0, b.length)) {
                throw new AssertionError("server sent an invalid STUN message");
            }
            return m;
        }

        synchronized void clear() {
            sent.clear();
        }
    }

    private StunChecks() {
    }
}
