package dev.arena.bots.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pass/fail limits of a run; each is optional (null). A limit that was asked for but could not be measured (no
 * packet received, no latency sample) fails too, as does a run where no bot joined: a load test that measured
 * nothing has not passed.
 *
 * @param maxLossPercent  loss after retransmission, percent of the packets expected
 * @param maxP99Ms        99th percentile of end-to-end latency, milliseconds
 * @param maxFailures     failed joins, as a count or a percentage of the joins attempted
 */
public record Thresholds(Double maxLossPercent, Double maxP99Ms, FailureLimit maxFailures) {
    public static final Thresholds NONE = new Thresholds(null, null, null);

    /** At most {@code value} failed joins, or {@code value} percent of them when {@code percent}. */
    public record FailureLimit(double value, boolean percent) {
        /** {@code 10} (joins) or {@code 2%} (of the joins attempted). */
        public static FailureLimit parse(String text) {
            String t = text.strip();
            boolean percent = t.endsWith("%");
            String number = percent ? t.substring(0, t.length() - 1).strip() : t;
            try {
                double v = percent ? Double.parseDouble(number) : Long.parseLong(number);
                if (v < 0 || Double.isNaN(v) || (percent && v > 100)) {
                    throw new NumberFormatException();
                }
                return new FailureLimit(v, percent);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a count such as 10 or a percentage such as 2%, got '"
                        + text + "'");
            }
        }

        @Override
        public String toString() {
            return percent ? fmt(value) + "%" : String.valueOf((long) value);
        }
    }

    /** What the report breaks, one line each; empty when it passes. A run where no bot joined never passes. */
    public List<String> violations(Report r) {
        List<String> out = new ArrayList<>();
        if (r.started() > 0 && r.joined() == 0) {
            out.add("no bot joined (" + r.failed() + " failed): nothing was measured");
        }
        if (maxLossPercent != null) {
            if (r.media().packetsExpected() == 0) {
                out.add("loss: no packet was received, so loss could not be measured (--max-loss " + fmt(maxLossPercent) + ")");
            } else if (r.media().lossPercent() > maxLossPercent) {
                out.add(String.format(Locale.ROOT, "loss %.3f%% > --max-loss %s%%", r.media().lossPercent(),
                        fmt(maxLossPercent)));
            }
        }
        if (maxP99Ms != null) {
            if (r.latency().count() == 0) {
                out.add("latency: no sample (no packet with abs-capture-time was received), so --max-p99-ms "
                        + fmt(maxP99Ms) + " could not be checked");
            } else {
                double p99 = r.latency().decode().getValueAtPercentile(99) / 1000.0;
                if (p99 > maxP99Ms) {
                    out.add(String.format(Locale.ROOT, "latency p99 %.1f ms > --max-p99-ms %s", p99, fmt(maxP99Ms)));
                }
            }
        }
        if (maxFailures != null) {
            boolean over = maxFailures.percent() ? r.failedPercent() > maxFailures.value() : r.failed() > maxFailures.value();
            if (over) {
                out.add(String.format(Locale.ROOT, "failed joins %d (%.2f%% of %d) > --max-failures %s", r.failed(),
                        r.failedPercent(), r.started(), maxFailures));
            }
        }
        return out;
    }

    /** 0 when the report passes, 1 when a limit is broken. */
    public int exitCode(Report r) {
        return violations(r).isEmpty() ? 0 : 1;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
