package dev.arena.rtc.sdp;

import java.util.Locale;

/** Media direction attributes (RFC 8866 section 6.7, RFC 3264 section 6.1 for the answer). */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    public static Direction of(boolean send, boolean recv) {
        return send ? (recv ? SENDRECV : SENDONLY) : (recv ? RECVONLY : INACTIVE);
    }

    /** The direction seen from the other side: sendonly becomes recvonly and the reverse. */
    public Direction reverse() {
        return of(receives(), sends());
    }

    /** What both allow: the send and receive halves that are in this and in {@code other}. */
    public Direction intersect(Direction other) {
        return of(sends() && other.sends(), receives() && other.receives());
    }

    /** The attribute name, e.g. {@code sendrecv}. */
    public String attributeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an attribute name; null if it is not a direction. */
    public static Direction fromAttribute(String name) {
        return switch (name) {
            case "sendrecv" -> SENDRECV;
            case "sendonly" -> SENDONLY;
            case "recvonly" -> RECVONLY;
            case "inactive" -> INACTIVE;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return attributeName();
    }
}
