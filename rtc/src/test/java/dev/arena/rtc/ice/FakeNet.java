package dev.arena.rtc.ice;

import dev.arena.rtc.udp.DatagramSender;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An in-memory UDP network on a {@link FakeScheduler}: each datagram arrives 1 ms after it is sent. */
final class FakeNet {
    interface Endpoint {
        void receive(byte[] buf, int off, int len, InetSocketAddress from);
    }

    record Datagram(byte[] data, InetSocketAddress from, InetSocketAddress to) {
    }

    private final FakeScheduler scheduler;
    private final Map<InetSocketAddress, Endpoint> endpoints = new HashMap<>();
    final List<Datagram> sent = new ArrayList<>();
    /** Datagrams for which this returns true are lost. */
    Predicate<Datagram> lose = d -> false;

    FakeNet(FakeScheduler scheduler) {
        this.scheduler = scheduler;
    }

    void bind(InetSocketAddress a, Endpoint e) {
        endpoints.put(a, e);
    }

    void unbind(InetSocketAddress a) {
        endpoints.remove(a);
    }

    /** A sender whose datagrams come from {@code from}. Copies the bytes, as a real socket does. */
    DatagramSender from(InetSocketAddress from) {
        return (buf, off, len, to) -> {
            Datagram d = new Datagram(Arrays.copyOfRange(buf, off, off + len), from, to);
            sent.add(d);
            if (lose.test(d)) {
                return;
            }
            scheduler.schedule(() -> {
                Endpoint e = endpoints.get(to);
                if (e != null) {
                    e.receive(d.data(), 0, d.data().length, from);
                }
            }, 1, TimeUnit.MILLISECONDS);
        };
    }

    long countSent(InetSocketAddress from, InetSocketAddress to) {
        return sent.stream().filter(d -> d.from().equals(from) && d.to().equals(to)).count();
    }
}
