package dev.arena.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who a request came from and how it addressed us: the scheme, the host and the client's address. Taken from the
 * connection, or, when the node trusts the proxy in front of it, from the {@code Forwarded} header (RFC 7239) or
 * else {@code X-Forwarded-Proto/Host/For}. Of several comma-separated entries the last one counts: it is the one
 * the nearest proxy (ours) added, while earlier ones came from the client and may be forged. A piece a trusted
 * header does not give (or gives in a form we do not accept) comes from the connection.
 */
record ClientInfo(String scheme, String host, InetSocketAddress remote) {
    /** What a Host may contain: a name or IPv4 address, or an [IPv6] literal, and a port; nothing to inject. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-_]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    static ClientInfo of(HttpHeaders headers, boolean tls, InetSocketAddress peer, InetSocketAddress local,
                         boolean trustProxy) {
        String scheme = tls ? "https" : "http";
        String host = validHost(headers.get("Host"));
        if (host == null) {
            host = hostOf(local);
        }
        InetSocketAddress remote = peer;
        if (!trustProxy) {
            return new ClientInfo(scheme, host, remote);
        }
        String forwarded = headers.get("Forwarded");
        String proto;
        String fwdHost;
        String forWhom;
        if (forwarded != null) {
            String last = lastEntry(forwarded);
            proto = param(last, "proto");
            fwdHost = param(last, "host");
            forWhom = param(last, "for");
        } else {
            proto = lastEntry(headers.get("X-Forwarded-Proto"));
            fwdHost = lastEntry(headers.get("X-Forwarded-Host"));
            forWhom = lastEntry(headers.get("X-Forwarded-For"));
        }
        String s = scheme(proto);
        String h = validHost(fwdHost);
        InetSocketAddress r = address(forWhom);
        return new ClientInfo(s != null ? s : scheme, h != null ? h : host, r != null ? r : remote);
    }

    private static String hostOf(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String literal = ip == null ? a.getHostString() : ip.getHostAddress();
        return (literal.contains(":") ? "[" + literal + "]" : literal) + ":" + a.getPort();
    }

    private static String lastEntry(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.lastIndexOf(',');
        String e = header.substring(comma + 1).strip();
        return e.isEmpty() ? null : e;
    }

    /** The value of {@code name=value} in one Forwarded element ({@code a=1;b="2"}), unquoted, or null. */
    private static String param(String element, String name) {
        if (element == null) {
            return null;
        }
        for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = pair.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    private static String scheme(String proto) {
        if (proto == null) {
            return null;
        }
        return switch (proto.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> "https";
            case "http", "ws" -> "http";
            default -> null;
        };
    }

    private static String validHost(String host) {
        return host != null && host.length() <= 255 && HOST.matcher(host).matches() ? host : null;
    }

    /**
     * An IP literal with an optional port ({@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711},
     * {@code 2001:db8::1}); null for {@code unknown}, obfuscated identifiers and anything else. Never a DNS lookup.
     */
    static InetSocketAddress address(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        String ip = v;
        int port = 0;
        try {
            if (v.startsWith("[")) {
                int end = v.indexOf(']');
                if (end < 0) {
                    return null;
                }
                ip = v.substring(1, end);
                if (end + 1 < v.length()) {
                    if (v.charAt(end + 1) != ':') {
                        return null;
                    }
                    port = Integer.parseInt(v.substring(end + 2));
                }
            } else if (v.indexOf(':') == v.lastIndexOf(':') && v.indexOf(':') > 0) {
                ip = v.substring(0, v.indexOf(':'));
                port = Integer.parseInt(v.substring(v.indexOf(':') + 1));
            }
            if (port < 0 || port > 65535) {
                return null;
            }
            return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
