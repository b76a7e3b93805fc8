package dev.arena.bots.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@link Report} to and from JSON ({@code --json FILE}, {@code bots merge}). */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // a newer writer may add fields

    private ReportJson() {
    }

    public static String write(Report report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JacksonException e) {
            throw new IllegalStateException(e); // records of plain values always serialize
        }
    }

    public static void write(Report report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, write(report) + "\n");
    }

    /** @throws IllegalArgumentException when the text is not a report */
    public static Report read(String json) {
        try {
            Report r = MAPPER.readValue(json, Report.class);
            if (r.target() == null || r.scenario() == null || r.shards() == null || r.media() == null
                    || r.latency() == null || r.joinPhases() == null || r.failures() == null || r.errors() == null) {
                throw new IllegalArgumentException("not a bots report (fields missing)");
            }
            return r;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a bots report: " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IOException when the file cannot be read; IllegalArgumentException when it is not a report */
    public static Report read(Path file) throws IOException {
        return read(Files.readString(file));
    }
}
