package dev.arena.bots.peer;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import dev.arena.server.auth.Role;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Not a test: a rough measurement of the CPU one receiving bot costs. One publisher bot (the test source at about
 * 1 Mbit/s of video plus audio) by WHIP and N listener bots by WHEP against an embedded Arena node in this JVM; over
 * the measuring window it reports the CPU time of the node's media loops, of the bots' loops, and of the rest of the
 * process, from ThreadMXBean (the bots' loop threads are identified by running a task on each).
 *
 * <p>Run in a private network namespace: {@code unshare -n sh -c 'ip link set lo up && java -cp ...
 * dev.arena.bots.peer.ListenerCpuMeasure 200 20'}.
 */
public final class ListenerCpuMeasure {
    private ListenerCpuMeasure() {
    }

    public static void main(String[] args) throws Exception {
        int listeners = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int botLoops = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        Recorder latency = new Recorder(3);
        try (ArenaNode arena = new ArenaNode(); UdpLoops loops = UdpLoops.start(botLoops, UdpEndpoint.Transport.AUTO)) {
            Set<Long> botThreads = new HashSet<>();
            for (EventExecutor e : loops.group()) {
                botThreads.add(e.submit(() -> Thread.currentThread().threadId()).get());
            }
            BotContext context = new BotContext(loops, DtlsCertificate.shared(), InetAddress.getLoopbackAddress(),
                    latency::recordValue);
            List<BotPeer> peers = new ArrayList<>();
            BotPeer publisher = new BotPeer(context, PeerPlan.publisher(TestSource.audio(),
                    TestSource.video(1_000_000)));
            peers.add(publisher);
            HttpResponse<String> r = arena.post("whip", "cpu", arena.token("cpu", "publisher", Role.SPEAKER),
                    publisher.createOffer());
            publisher.applyAnswer(r.body());
            publisher.connected().get(30, TimeUnit.SECONDS);
            long joinStart = System.nanoTime();
            for (int i = 0; i < listeners; i++) {
                BotPeer l = new BotPeer(context, PeerPlan.listener(1, 1));
                peers.add(l);
                HttpResponse<String> w = arena.post("whep", "cpu", arena.token("cpu", "l" + i, Role.LISTENER),
                        l.createOffer());
                if (w.statusCode() != 201) {
                    throw new IllegalStateException("WHEP " + w.statusCode() + ": " + w.body());
                }
                l.applyAnswer(w.body());
            }
            for (BotPeer p : peers) {
                p.firstMedia().get(60, TimeUnit.SECONDS);
            }
            System.out.printf("%d listeners joined and received media in %.1f s%n", listeners,
                    (System.nanoTime() - joinStart) / 1e9);
            Thread.sleep(2000); // settle
            latency.getIntervalHistogram();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) threads;
            long allocatedBefore = allocated(alloc, botThreads);
            long receivedBefore = received(peers);
            Map<Long, Long> before = cpu(threads);
            long processBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long wall = System.nanoTime() - wallBefore;
            long process = os.getProcessCpuTime() - processBefore;
            Map<Long, Long> after = cpu(threads);
            long allocatedOnBotLoops = allocated(alloc, botThreads) - allocatedBefore;
            long receivedInWindow = received(peers) - receivedBefore;
            long bots = 0;
            long nodeUdp = 0;
            long other = 0;
            Map<String, Long> otherByName = new HashMap<>();
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long id = info.getThreadId();
                long d = after.getOrDefault(id, 0L) - before.getOrDefault(id, 0L);
                if (botThreads.contains(id)) {
                    bots += d;
                } else if (info.getThreadName().startsWith("arena-udp")) {
                    nodeUdp += d;
                } else {
                    other += d;
                    otherByName.merge(info.getThreadName().replaceAll("[0-9]+", "#"), d, Long::sum);
                }
            }
            long received = 0;
            long lost = 0;
            long expected = 0;
            long nacks = 0;
            long rtx = 0;
            long plis = 0;
            for (BotPeer p : peers) {
                PeerStats s = p.stats();
                received += s.packetsReceived();
                lost += s.packetsLost();
                expected += s.packetsExpected();
                nacks += s.nacksSent();
                rtx += s.rtxReceived();
                plis += s.plisSent();
            }
            System.out.printf("listeners sent %d NACKs and %d PLIs, got %d RTX; publisher %s, retransmitted %d,"
                    + " %d keyframe requests%n", nacks, plis, rtx, publisher.stats(),
                    publisher.session().retransmissionsSent(), publisher.session().keyframeRequestsReceived());
            System.out.println("node: udp " + arena.node.transports().udpStats() + ", transport drops "
                    + arena.node.transports().drops());
            Histogram h = latency.getIntervalHistogram();
            double w = wall / 1e9;
            System.out.printf("window %.1f s, process CPU %.2f cores (%.1f s)%n", w, process / 1e9 / w, process / 1e9);
            System.out.printf("  node media loops (arena-udp): %.2f cores%n", nodeUdp / 1e9 / w);
            System.out.printf("  bot loops (%d threads, %d listeners + 1 publisher): %.2f cores = %.2f ms CPU per"
                    + " listener per second%n", botThreads.size(), listeners, bots / 1e9 / w,
                    bots / 1e6 / w / (listeners + 1));
            System.out.printf("  bot loops allocated %.1f MB in the window: %.0f bytes per received packet%n",
                    allocatedOnBotLoops / 1e6, (double) allocatedOnBotLoops / Math.max(1, receivedInWindow));
            System.out.printf("  other Java threads: %.2f cores %s%n", other / 1e9 / w, top(otherByName, w));
            System.out.printf("  not in Java threads (GC, JIT, VM): %.2f cores%n",
                    (process - bots - nodeUdp - other) / 1e9 / w);
            System.out.printf("received %d packets, expected %d, lost %d; latency p50 %d us, p99 %d us, max %d us"
                    + " (%d samples in the window)%n", received, expected, lost, h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99), h.getMaxValue(), h.getTotalCount());
            peers.forEach(BotPeer::close);
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean threads, Set<Long> ids) {
        long n = 0;
        for (long id : ids) {
            n += threads.getThreadAllocatedBytes(id);
        }
        return n;
    }

    private static long received(List<BotPeer> peers) {
        long n = 0;
        for (BotPeer p : peers) {
            n += p.stats().packetsReceived();
        }
        return n;
    }

    private static Map<Long, Long> cpu(ThreadMXBean threads) {
        Map<Long, Long> m = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            m.put(id, threads.getThreadCpuTime(id));
        }
        return m;
    }

    private static String top(Map<String, Long> byName, double wall) {
        StringBuilder b = new StringBuilder();
        byName.entrySet().stream().sorted((a, c) -> Long.compare(c.getValue(), a.getValue())).limit(4)
                .forEach(e -> b.append(String.format(" %s=%.2f", e.getKey(), e.getValue() / 1e9 / wall)));
        return b.toString();
    }
}
