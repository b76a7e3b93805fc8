package dev.arena.rtc.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * An ICE candidate (RFC 8839 section 5.1):
 * <pre>
 * candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
 *                       connection-address SP port SP "typ" SP cand-type
 *                       [SP "raddr" SP rel-addr] [SP "rport" SP rel-port] *(SP extension-att-name SP extension-att-value)
 * </pre>
 * e.g. {@code 3775628160 1 udp 2122194687 127.0.0.1 55392 typ host generation 0 network-id 3 network-cost 50}.
 * Extension pairs that this class does not model are kept in order in {@link #extensions()}.
 *
 * @param relatedAddress raddr, null when absent
 * @param relatedPort    rport, -1 when absent
 */
public record Candidate(String foundation, int component, String transport, long priority, String address, int port,
                        String type, String relatedAddress, int relatedPort, List<Extension> extensions) {

    /** One {@code name value} extension pair, e.g. {@code generation 0}. */
    public record Extension(String name, String value) {
    }

    public Candidate {
        extensions = List.copyOf(extensions);
    }

    /** Priority of a host candidate for component 1 (RFC 8445 section 5.1.2.1, type preference 126, local 65535). */
    public static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | (256 - 1);

    /** A UDP host candidate, e.g. {@code 1 1 udp 2130706431 127.0.0.1 40000 typ host}. */
    public static Candidate host(String foundation, InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return new Candidate(foundation, 1, "udp", HOST_PRIORITY, host, address.getPort(), "host", null, -1, List.of());
    }

    /**
     * Parses an attribute value; a leading {@code candidate:} (as in trickled candidates from
     * RTCIceCandidate.candidate) is accepted too.
     */
    public static Candidate parse(String v) throws SdpParseException {
        String s = Sdp.require(v, "candidate");
        if (s.startsWith("candidate:")) {
            s = s.substring("candidate:".length());
        }
        List<String> t = Sdp.tokens(s);
        if (t.size() < 8) {
            throw new SdpParseException("a=candidate needs at least '<foundation> <component> <transport> <priority> <address> <port> typ <type>'");
        }
        String foundation = t.get(0);
        if (foundation.length() > 32) {
            throw new SdpParseException("a=candidate: foundation longer than 32 chars");
        }
        int component = Sdp.integer(t.get(1), 1, 256, "a=candidate component");
        long priority = Sdp.number(t.get(3), 0, 0xFFFF_FFFFL, "a=candidate priority");
        int port = Sdp.integer(t.get(5), 0, 65535, "a=candidate port");
        if (!"typ".equals(t.get(6))) {
            throw new SdpParseException("a=candidate: expected 'typ' after the port, got '" + Sdp.clip(t.get(6)) + "'");
        }
        String raddr = null;
        int rport = -1;
        List<Extension> ext = new ArrayList<>();
        if ((t.size() - 8) % 2 != 0) {
            throw new SdpParseException("a=candidate: extension '" + Sdp.clip(t.get(t.size() - 1)) + "' has no value");
        }
        for (int i = 8; i < t.size(); i += 2) {
            String name = t.get(i);
            String value = t.get(i + 1);
            if ("raddr".equals(name) && raddr == null && ext.isEmpty()) {
                raddr = value;
            } else if ("rport".equals(name) && rport < 0 && ext.isEmpty()) {
                rport = Sdp.integer(value, 0, 65535, "a=candidate rport");
            } else {
                ext.add(new Extension(name, value));
            }
        }
        return new Candidate(foundation, component, t.get(2), priority, t.get(4), port, t.get(7), raddr, rport, ext);
    }

    /** First value of an extension, or null. */
    public String extension(String name) {
        for (Extension e : extensions) {
            if (e.name().equals(name)) {
                return e.value();
            }
        }
        return null;
    }

    private long extensionNumber(String name) {
        String v = extension(name);
        try {
            return v == null ? -1 : Sdp.number(v, 0, Long.MAX_VALUE / 10, name);
        } catch (SdpParseException e) {
            return -1;
        }
    }

    /** {@code generation}, -1 when absent or not a number. */
    public long generation() {
        return extensionNumber("generation");
    }

    /** {@code ufrag}, null when absent. */
    public String ufrag() {
        return extension("ufrag");
    }

    /** {@code network-id}, -1 when absent or not a number. */
    public long networkId() {
        return extensionNumber("network-id");
    }

    /** {@code network-cost}, -1 when absent or not a number. */
    public long networkCost() {
        return extensionNumber("network-cost");
    }

    /** {@code tcptype} (RFC 6544: active, passive, so), null when absent. */
    public String tcpType() {
        return extension("tcptype");
    }

    public boolean isUdp() {
        return "udp".equalsIgnoreCase(transport);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(96).append(foundation).append(' ').append(component).append(' ')
                .append(transport).append(' ').append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type);
        if (relatedAddress != null) {
            b.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            b.append(" rport ").append(relatedPort);
        }
        for (Extension e : extensions) {
            b.append(' ').append(e.name()).append(' ').append(e.value());
        }
        return b.toString();
    }
}
