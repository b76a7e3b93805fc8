package dev.arena.rtc.sdp;

import java.util.Objects;

/**
 * One {@code <type>=<value>} line of a description (RFC 8866 section 5), kept verbatim so that a
 * description writes back exactly as it was read. Attribute lines ({@code a=}) are split into
 * {@link #name()} and {@link #attributeValue()} on demand (RFC 8866 section 5.13:
 * {@code a=<attribute-name>[:<attribute-value>]}).
 */
public record SdpLine(char type, String value) {
    public SdpLine {
        Objects.requireNonNull(value);
    }

    /** An {@code a=name} (value null) or {@code a=name:value} line. */
    public static SdpLine attribute(String name, String value) {
        return new SdpLine('a', value == null ? name : name + ':' + value);
    }

    /** An {@code a=} line from a typed value whose {@code toString()} is the attribute value. */
    public static SdpLine attribute(String name, Object typedValue) {
        return attribute(name, typedValue == null ? null : typedValue.toString());
    }

    public boolean isAttribute() {
        return type == 'a';
    }

    /** Attribute name, or null when this is not an {@code a=} line. */
    public String name() {
        if (type != 'a') {
            return null;
        }
        int c = value.indexOf(':');
        return c < 0 ? value : value.substring(0, c);
    }

    /** Attribute value after the first colon (verbatim, not trimmed), or null for a property attribute. */
    public String attributeValue() {
        if (type != 'a') {
            return null;
        }
        int c = value.indexOf(':');
        return c < 0 ? null : value.substring(c + 1);
    }

    boolean isAttribute(String attributeName) {
        return type == 'a' && value.startsWith(attributeName)
                && (value.length() == attributeName.length() || value.charAt(attributeName.length()) == ':');
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
