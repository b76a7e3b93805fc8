package dev.arena.server.metrics;

import dev.arena.rtc.transport.RtcTransport;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.rtc.transport.TransportState;
import dev.arena.rtc.transport.TransportStats;
import dev.arena.rtc.udp.UdpStats;
import dev.arena.server.auth.Role;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.stage.InProcessStageStore;
import dev.arena.server.stage.StageParticipant;
import dev.arena.server.stage.StageRoom;
import dev.arena.server.stage.StageStore;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The node's Prometheus metrics, read at scrape time from the live objects (nothing on the packet path): the
 * shared UDP port's counters, every live transport's {@link RtcTransport#stats()}, and each open room's counts
 * read on its loop ({@link Rooms#stats()}). Counters of transports and rooms that closed are kept as they were
 * seen at the last scrape before they closed, so the counters only go up (what they counted between that scrape
 * and their close is lost). Metric names, types and labels: docs/operations.md.
 */
public final class NodeMetrics implements MultiCollector {
    private final TransportServer transports;
    private final Rooms rooms;
    private final StageStore stage;
    /** Per live object (transport or room), its counters at the last scrape; guarded by this. */
    private Map<Object, Map<Series, Long>> lastSeen = new IdentityHashMap<>();
    /** The counters of objects gone since; guarded by this. */
    private final Map<Series, Long> retired = new HashMap<>();

    /** One counter series: metric name and up to two label values (their names are fixed per metric). */
    private record Series(String metric, String a, String b) {
    }

    public NodeMetrics(TransportServer transports, Rooms rooms, StageStore stage) {
        this.transports = Objects.requireNonNull(transports);
        this.rooms = Objects.requireNonNull(rooms);
        this.stage = Objects.requireNonNull(stage);
    }

    /** Without signaling's rooms (stage roles all 0). */
    public NodeMetrics(TransportServer transports, Rooms rooms) {
        this(transports, rooms, new InProcessStageStore());
    }

    @Override
    public synchronized MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        List<Rooms.RoomStats> roomStats = rooms.stats();

        // gauges: what is there now
        int publishers = 0;
        int viewers = 0;
        int tracks = 0;
        long lost = 0;
        for (Rooms.RoomStats r : roomStats) {
            publishers += r.publishers();
            viewers += r.viewers();
            tracks += r.tracks();
            lost += r.feedback().upstreamLost();
        }
        out.add(gauge("arena_rooms", "Rooms open on this node.", null, Map.of("", (double) roomStats.size())));
        Map<String, Double> byRole = new LinkedHashMap<>();
        byRole.put("publisher", (double) publishers);
        byRole.put("viewer", (double) viewers);
        out.add(gauge("arena_participants", "Participants in the node's rooms, by role (publisher: publishes at"
                + " least one track; viewer: publishes none).", "role", byRole));
        Map<String, Double> byStageRole = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            byStageRole.put(r.wireName(), 0.0);
        }
        for (StageRoom r : stage.rooms()) {
            for (StageParticipant p : r.participants()) {
                byStageRole.merge(p.role().wireName(), 1.0, Double::sum);
            }
        }
        out.add(gauge("arena_stage_participants", "Participants joined over signaling, by stage role (hidden ones"
                + " included).", "role", byStageRole));
        out.add(gauge("arena_tracks", "Published tracks in the node's rooms.", null, Map.of("", (double) tracks)));
        Map<TransportState, Integer> states = new EnumMap<>(TransportState.class);
        for (TransportState s : TransportState.values()) {
            states.put(s, 0);
        }
        Map<Object, Map<Series, Long>> now = new IdentityHashMap<>();
        for (RtcTransport t : transports.transports()) {
            TransportStats s = t.stats();
            states.merge(s.state(), 1, Integer::sum);
            Map<Series, Long> c = new HashMap<>();
            c.put(new Series("rtp", "in", null), s.rtpPacketsIn());
            c.put(new Series("rtp", "out", null), s.rtpPacketsOut());
            c.put(new Series("rtcp", "in", null), s.rtcpPacketsIn());
            c.put(new Series("rtcp", "out", null), s.rtcpPacketsOut());
            c.put(new Series("bytes", "in", null), s.bytesIn());
            c.put(new Series("bytes", "out", null), s.bytesOut());
            s.drops().forEach((reason, n) -> c.put(new Series("drops", "transport", reason.name()), n));
            s.srtpDrops().forEach((reason, n) -> c.put(new Series("drops", "srtp", reason.name()), n));
            now.put(t, c);
        }
        Map<String, Double> byState = new LinkedHashMap<>();
        states.forEach((s, n) -> byState.put(s.name().toLowerCase(java.util.Locale.ROOT), (double) n));
        out.add(gauge("arena_transports", "Transports on the node's UDP port, by state.", "state", byState));
        out.add(gauge("arena_upstream_packets_lost", "Packets lost between publishers and the node on the live"
                + " tracks (RTP expected minus received, as in receiver reports).", null, Map.of("", (double) lost)));

        for (Rooms.RoomStats r : roomStats) {
            Map<Series, Long> c = new HashMap<>();
            r.forwardDrops().forEach((reason, n) -> c.put(new Series("drops", "forward", reason.name()), n));
            r.feedbackDrops().forEach((reason, n) -> c.put(new Series("drops", "feedback", reason.name()), n));
            c.put(new Series("nack_in", null, null), r.feedback().nackRequestsReceived());
            c.put(new Series("nack_out", null, null), r.feedback().nackRequestsSent());
            c.put(new Series("rtx", null, null), r.feedback().retransmissions());
            c.put(new Series("pli", null, null), r.feedback().plisSent());
            now.put(r.key(), c);
        }
        Map<Series, Long> totals = totals(now);
        // node-wide counters that never reset while the node runs
        UdpStats udp = transports.udpStats();
        transports.drops().snapshot().forEach((reason, n) -> totals.merge(new Series("drops", "port", reason.name()),
                n, Long::sum));
        udp.drops().forEach((reason, n) -> totals.merge(new Series("drops", "udp", reason.name()), n, Long::sum));
        transports.ice().drops().snapshot().forEach((reason, n) -> totals.merge(new Series("drops", "ice",
                reason.name()), n, Long::sum));
        transports.ice().stunDrops().snapshot().forEach((reason, n) -> totals.merge(new Series("drops", "stun",
                reason.name()), n, Long::sum));

        out.add(counter("arena_udp_datagrams", "UDP datagrams received and sent on the media port.", "direction",
                Map.of("in", (double) udp.datagramsIn(), "out", (double) udp.datagramsOut())));
        out.add(counter("arena_udp_bytes", "UDP payload bytes received and sent on the media port.", "direction",
                Map.of("in", (double) udp.bytesIn(), "out", (double) udp.bytesOut())));
        out.add(counter("arena_rtp_packets", "RTP packets received (decrypted) and sent (encrypted) by transports.",
                "direction", inOut(totals, "rtp")));
        out.add(counter("arena_rtcp_packets", "RTCP packets received (decrypted) and sent (encrypted) by transports.",
                "direction", inOut(totals, "rtcp")));
        out.add(counter("arena_transport_bytes", "Bytes of SRTP/SRTCP received and sent by transports.",
                "direction", inOut(totals, "bytes")));
        out.add(counter("arena_nack_requests_received", "Sequence numbers that subscribers asked for in NACKs.",
                null, Map.of("", (double) totals.getOrDefault(new Series("nack_in", null, null), 0L))));
        out.add(counter("arena_nack_requests_sent", "Sequence numbers the node asked publishers for in NACKs"
                + " (upstream loss).", null, Map.of("", (double) totals.getOrDefault(new Series("nack_out", null,
                null), 0L))));
        out.add(counter("arena_retransmissions", "Packets resent to subscribers from the history in answer to"
                + " NACKs.", null, Map.of("", (double) totals.getOrDefault(new Series("rtx", null, null), 0L))));
        out.add(counter("arena_plis_sent", "Keyframe requests (PLI) sent upstream to publishers, after merging.",
                null, Map.of("", (double) totals.getOrDefault(new Series("pli", null, null), 0L))));

        CounterSnapshot.Builder drops = CounterSnapshot.builder().name("arena_drops")
                .help("Packets thrown away, by stage and reason (see docs/operations.md).");
        totals.forEach((series, n) -> {
            if (series.metric().equals("drops")) {
                drops.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("stage", series.a(), "reason",
                        series.b().toLowerCase(java.util.Locale.ROOT))).value(n).build());
            }
        });
        out.add(drops.build());
        return new MetricSnapshots(out);
    }

    /** Retires what is gone since the last scrape and sums the retired and the live counters. */
    private Map<Series, Long> totals(Map<Object, Map<Series, Long>> now) {
        for (Map.Entry<Object, Map<Series, Long>> e : lastSeen.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                e.getValue().forEach((s, n) -> retired.merge(s, n, Long::sum));
            }
        }
        lastSeen = now;
        Map<Series, Long> totals = new HashMap<>(retired);
        for (Map<Series, Long> c : now.values()) {
            c.forEach((s, n) -> totals.merge(s, n, Long::sum));
        }
        return totals;
    }

    private static Map<String, Double> inOut(Map<Series, Long> totals, String metric) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("in", (double) totals.getOrDefault(new Series(metric, "in", null), 0L));
        m.put("out", (double) totals.getOrDefault(new Series(metric, "out", null), 0L));
        return m;
    }

    private static GaugeSnapshot gauge(String name, String help, String label, Map<String, Double> values) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((v, x) -> b.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(label == null ? Labels.EMPTY : Labels.of(label, v)).value(x).build()));
        return b.build();
    }

    private static CounterSnapshot counter(String name, String help, String label, Map<String, Double> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((v, x) -> b.dataPoint(CounterDataPointSnapshot.builder()
                .labels(label == null ? Labels.EMPTY : Labels.of(label, v)).value(x).build()));
        return b.build();
    }
}
