package dev.arena.rtc.sdp;

/**
 * Bounds applied by {@link SessionDescription#parse(String, SdpLimits)} so that a hostile description
 * cannot make the parser hold unbounded memory: the parsed model is at most a small multiple of
 * {@code maxChars}.
 *
 * @param maxChars          longest accepted description, in chars (default 256 KiB)
 * @param maxLines          most lines (default 10 000)
 * @param maxLineLength     longest single line, in chars (default 4096)
 * @param maxMediaSections  most m= sections (default 256)
 */
public record SdpLimits(int maxChars, int maxLines, int maxLineLength, int maxMediaSections) {
    public static final SdpLimits DEFAULT = new SdpLimits(256 * 1024, 10_000, 4096, 256);

    public SdpLimits {
        if (maxChars <= 0 || maxLines <= 0 || maxLineLength <= 0 || maxMediaSections < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
