package dev.arena.rtc.dtls;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Two in-process sessions wired by {@code Consumer<byte[]>}s that hand each datagram to the other side;
 * a drop rule per direction (by datagram number, from 1) exercises retransmission.
 */
final class DtlsPair implements AutoCloseable {
    static final DtlsCertificate CERT_A = DtlsCertificate.generate();
    static final DtlsCertificate CERT_B = DtlsCertificate.generate();

    final RecordingListener listenerA = new RecordingListener();
    final RecordingListener listenerB = new RecordingListener();
    final AtomicInteger sentByA = new AtomicInteger();
    final AtomicInteger sentByB = new AtomicInteger();
    final AtomicInteger droppedFromA = new AtomicInteger();
    final AtomicInteger droppedFromB = new AtomicInteger();
    final DtlsSession a;
    final DtlsSession b;

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        DtlsRole roleA = DtlsRole.CLIENT;
        String fingerprintOfBSeenByA = CERT_B.fingerprintValue();
        String fingerprintOfASeenByB = CERT_A.fingerprintValue();
        IntPredicate dropFromA = n -> false;
        IntPredicate dropFromB = n -> false;
        Duration timeout = Duration.ofSeconds(20);

        Builder roleA(DtlsRole r) {
            roleA = r;
            return this;
        }

        Builder fingerprintOfBSeenByA(String f) {
            fingerprintOfBSeenByA = f;
            return this;
        }

        Builder fingerprintOfASeenByB(String f) {
            fingerprintOfASeenByB = f;
            return this;
        }

        Builder dropFromA(IntPredicate p) {
            dropFromA = p;
            return this;
        }

        Builder dropFromB(IntPredicate p) {
            dropFromB = p;
            return this;
        }

        Builder timeout(Duration t) {
            timeout = t;
            return this;
        }

        DtlsPair build() {
            return new DtlsPair(this);
        }
    }

    private DtlsPair(Builder cfg) {
        AtomicReference<DtlsSession> refA = new AtomicReference<>();
        AtomicReference<DtlsSession> refB = new AtomicReference<>();
        Consumer<byte[]> toB = wire(sentByA, droppedFromA, cfg.dropFromA, refB);
        Consumer<byte[]> toA = wire(sentByB, droppedFromB, cfg.dropFromB, refA);
        DtlsRole roleB = cfg.roleA == DtlsRole.CLIENT ? DtlsRole.SERVER : DtlsRole.CLIENT;
        a = new DtlsSession(cfg.roleA, CERT_A, "sha-256", cfg.fingerprintOfBSeenByA, toB, listenerA, cfg.timeout);
        b = new DtlsSession(roleB, CERT_B, "sha-256", cfg.fingerprintOfASeenByB, toA, listenerB, cfg.timeout);
        refA.set(a);
        refB.set(b);
    }

    private static Consumer<byte[]> wire(AtomicInteger sent, AtomicInteger dropped, IntPredicate drop,
            AtomicReference<DtlsSession> to) {
        return datagram -> {
            int n = sent.incrementAndGet();
            if (drop.test(n)) {
                dropped.incrementAndGet();
                return;
            }
            to.get().receive(datagram, 0, datagram.length);
        };
    }

    DtlsPair start() {
        // the server first, as a passive answerer would be
        if (a.role() == DtlsRole.SERVER) {
            a.start();
            b.start();
        } else {
            b.start();
            a.start();
        }
        return this;
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
