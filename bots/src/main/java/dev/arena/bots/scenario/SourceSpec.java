package dev.arena.bots.scenario;

import dev.arena.bots.media.MediaKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What publishing bots send on one kind of track ({@code --video}, {@code --audio}): nothing, the bundled sample,
 * a file (IVF for VP8, Ogg for Opus; it loops), or synthetic packets at a bit rate.
 */
public record SourceSpec(MediaKind kind, Type type, Path file, int kbps) {
    public enum Type { NONE, SAMPLE, FILE, SYNTHETIC }

    public static SourceSpec none(MediaKind kind) {
        return new SourceSpec(kind, Type.NONE, null, 0);
    }

    public static SourceSpec sample(MediaKind kind) {
        return new SourceSpec(kind, Type.SAMPLE, null, 0);
    }

    public boolean enabled() {
        return type != Type.NONE;
    }

    /** {@code sample}, {@code none}, {@code synthetic:KBPS} or a path to a .ivf (video) / .ogg (audio) file. */
    public static SourceSpec parse(MediaKind kind, String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        String ext = kind == MediaKind.VIDEO ? ".ivf" : ".ogg";
        if (lower.equals("none")) {
            return none(kind);
        }
        if (lower.equals("sample")) {
            return sample(kind);
        }
        if (lower.startsWith("synthetic:")) {
            try {
                int kbps = Integer.parseInt(t.substring("synthetic:".length()).strip());
                if (kbps < 1 || kbps > 100_000) {
                    throw new NumberFormatException();
                }
                return new SourceSpec(kind, Type.SYNTHETIC, null, kbps);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("synthetic needs a bit rate in kbit/s (1..100000), e.g. synthetic:500,"
                        + " got '" + text + "'");
            }
        }
        if (!lower.endsWith(ext)) {
            throw new IllegalArgumentException("must be sample, none, synthetic:KBPS or a " + ext + " file, got '" + text + "'");
        }
        Path p = Path.of(t);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException("no readable file at '" + text + "'");
        }
        return new SourceSpec(kind, Type.FILE, p, 0);
    }

    @Override
    public String toString() {
        return switch (type) {
            case NONE -> "none";
            case SAMPLE -> "sample";
            case FILE -> file.toString();
            case SYNTHETIC -> "synthetic:" + kbps;
        };
    }
}
