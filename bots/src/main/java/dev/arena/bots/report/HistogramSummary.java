package dev.arena.bots.report;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One histogram of microsecond values as a report carries it: percentiles in milliseconds for people, and the
 * histogram itself (HdrHistogram's compressed encoding, base64) so that shard reports merge exactly.
 */
public record HistogramSummary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
                               double maxMs, String histogram) {
    /** Significant decimal digits of every histogram of a run (0.1% resolution). */
    public static final int DIGITS = 3;

    public static Histogram newHistogram() {
        return new Histogram(DIGITS); // auto-resizing: any value >= 0 fits
    }

    public static HistogramSummary of(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buf, 9);
        String encoded = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), length));
        if (h.getTotalCount() == 0) {
            return new HistogramSummary(0, 0, 0, 0, 0, 0, 0, encoded);
        }
        return new HistogramSummary(h.getTotalCount(), ms(h.getMean()), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()), encoded);
    }

    /** The histogram this summary was made from. */
    public Histogram decode() {
        try {
            Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(histogram)), 0);
            h.setAutoResize(true);
            return h;
        } catch (DataFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("not an encoded HdrHistogram: " + e.getMessage(), e);
        }
    }

    private static double ms(double micros) {
        return Math.round(micros / 100.0) / 10.0; // 0.1 ms is as precise as a report needs
    }
}
