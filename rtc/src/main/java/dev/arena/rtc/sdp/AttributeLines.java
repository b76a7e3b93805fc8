package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of SDP lines with attribute access: the session level ({@link SessionDescription}) or one media section
 * ({@link MediaDescription}). The accessors here read this level only; {@link SessionDescription#iceUfragFor}
 * and friends fall back from a section to the session.
 *
 * @param <T> the concrete type, returned by the fluent adders
 */
abstract sealed class AttributeLines<T extends AttributeLines<T>> permits SessionDescription, MediaDescription {
    final List<SdpLine> lines = new ArrayList<>();

    AttributeLines() {
    }

    /** This object as its concrete type. */
    abstract T self();

    /**
     * The lines of this level in order (mutable): at session level those after {@code s=} and before the first
     * {@code m=}; in a media section every line after the m= line.
     */
    public List<SdpLine> lines() {
        return lines;
    }

    public T addAttribute(String name, Object value) {
        lines.add(SdpLine.attribute(name, value));
        return self();
    }

    public T addLine(char type, String value) {
        lines.add(new SdpLine(type, value));
        return self();
    }

    /** Value of the first attribute of that name ("" for a property attribute), null if absent. */
    public String attribute(String name) {
        return Attributes.first(lines, name);
    }

    /** Values of all attributes of that name, in order ("" for property attributes). */
    public List<String> attributes(String name) {
        return Attributes.all(lines, name);
    }

    public boolean hasAttribute(String name) {
        return Attributes.first(lines, name) != null;
    }

    /** {@code a=ice-ufrag} at this level, null when absent. */
    public String iceUfrag() {
        return stripped("ice-ufrag");
    }

    /** {@code a=ice-pwd} at this level, null when absent. */
    public String icePwd() {
        return stripped("ice-pwd");
    }

    /** {@code a=ice-options} tokens at this level, empty when absent. */
    public List<String> iceOptions() {
        return Attributes.iceOptions(lines);
    }

    /** Fingerprints at this level, empty when absent. */
    public List<Fingerprint> fingerprints() {
        return Attributes.typed(lines, "fingerprint", Fingerprint::parse);
    }

    /** {@code a=setup} at this level, null when absent. */
    public Setup setup() {
        return first(Attributes.typed(lines, "setup", Setup::parse));
    }

    /** The stripped value of the first attribute of that name, null when absent. */
    final String stripped(String name) {
        String v = attribute(name);
        return v == null ? null : v.strip();
    }

    static <V> V first(List<V> values) {
        return values.isEmpty() ? null : values.get(0);
    }

    /** Appends the lines, each as {@code <type>=<value>} and CRLF. */
    final void writeLines(StringBuilder out) {
        for (SdpLine l : lines) {
            out.append(l.type()).append('=').append(l.value()).append("\r\n");
        }
    }
}
