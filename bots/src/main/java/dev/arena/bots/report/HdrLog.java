package dev.arena.bots.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * {@code --hdr-log FILE}: the latency samples of each progress interval, in HdrHistogram's standard log format
 * (HistogramLogProcessor, HdrHistogram's plotter and most tools read it). Values are microseconds.
 */
public final class HdrLog implements AutoCloseable {
    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final long startMillis;
    private long intervalStartMillis;

    public HdrLog(Path file, long startMillis) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8);
        this.writer = new HistogramLogWriter(out);
        this.startMillis = startMillis;
        this.intervalStartMillis = startMillis;
        writer.outputComment("Arena bots: end-to-end latency in microseconds, one histogram per interval");
        writer.outputLogFormatVersion();
        writer.setBaseTime(startMillis);
        writer.outputStartTime(startMillis);
        writer.outputBaseTime(startMillis);
        writer.outputLegend();
    }

    /** Writes the interval that ends at {@code nowMillis}. */
    public synchronized void interval(Histogram interval, long nowMillis) {
        interval.setStartTimeStamp(intervalStartMillis);
        interval.setEndTimeStamp(nowMillis);
        writer.outputIntervalHistogram(interval);
        intervalStartMillis = nowMillis;
        out.flush();
    }

    long startMillis() {
        return startMillis;
    }

    @Override
    public synchronized void close() {
        out.close();
    }
}
