package dev.arena.server.config;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting of a node, in one table: its name (the flag is {@code --name}, the environment variable
 * {@code ARENA_NAME} with dashes as underscores, the config file key {@code name}), the default, the help text
 * and how its value is read. {@code --help} is generated from this table.
 */
public enum Setting {
    BIND("bind", "ADDR", "127.0.0.1", true, Setting::ipAddress,
            "address to listen on for HTTP and media (an IP address; 0.0.0.0 or :: for every interface)"),
    ANNOUNCE("announce", "ADDR", null, true, Setting::ipAddress,
            "address put in ICE candidates, as clients reach the node (its public address behind a 1:1 NAT);"
                    + " default: the bind address, or 127.0.0.1 when binding every interface"),
    HTTP_PORT("http-port", "N", "8080", true, Setting::port,
            "TCP port of HTTP and WebSocket (HTTPS and WSS when tls-cert is set); 0: any free port"),
    UDP_PORT("udp-port", "N", "40000", true, Setting::port,
            "the one UDP port every media transport shares; 0: any free port"),
    MEDIA_LOOPS("media-loops", "N", null, true, Setting::positive,
            "event loops (threads, each with its own socket on udp-port) that carry media; default: one per"
                    + " processor"),
    TLS_CERT("tls-cert", "FILE", null, true, Setting::readableFile,
            "PEM certificate chain (leaf first): serve HTTPS and WSS on http-port; needs tls-key"),
    TLS_KEY("tls-key", "FILE", null, true, Setting::readableFile,
            "PEM private key of tls-cert (PKCS#8, as openssl writes it)"),
    TRUST_PROXY("trust-proxy", "BOOL", "false", true, Setting::bool,
            "take the client's scheme, host and address from Forwarded or X-Forwarded-Proto/Host/For; only behind"
                    + " a proxy that sets them (docs/operations.md)"),
    API_KEY("api-key", "ID", null, true, Setting::text,
            "id of the API key that signs and checks access tokens; needs api-secret. With no key at all a"
                    + " development key is generated once and kept in data-dir"),
    API_SECRET("api-secret", "SECRET", null, false, Setting::text,
            "the secret of api-key (32+ characters); environment or config file only, never a flag"),
    API_KEYS("api-keys", "ID:SECRET,...", null, false, Setting::text,
            "more keys to accept (rotation); environment or config file only"),
    DATA_DIR("data-dir", "DIR", "./.arena", true, Setting::path,
            "where the node keeps its files (today: the generated development API key)"),
    MAX_PARTICIPANTS("max-participants", "N", String.valueOf(RoomLimits.DEFAULTS.participants()), true,
            Setting::positive, "participants in one room at once, hidden ones included"),
    MAX_SPEAKERS("max-speakers", "N", String.valueOf(RoomLimits.DEFAULTS.speakers()), true, Setting::positive,
            "participants on stage (hosts and speakers) in one room at once"),
    MAX_TRACKS_PER_PARTICIPANT("max-tracks-per-participant", "N",
            String.valueOf(RoomLimits.DEFAULTS.tracksPerParticipant()), true, Setting::positive,
            "tracks one participant may publish"),
    RESUME_WINDOW("resume-window", "DURATION", "20s", true, Setting::resumeWindow,
            "how long a participant whose WebSocket dropped is kept, media flowing, for it to resume (1s..10m;"
                    + " e.g. 20s, 1m, 1500ms)"),
    DEMO("demo", "BOOL", "true", true, Setting::bool,
            "serve the demo app's token endpoints (/demo/): anyone who reaches the node may get a token;"
                    + " turn off in production");

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final String key;
    private final String hint;
    private final String defaultValue;
    private final boolean flag;
    private final Function<String, Object> parser;
    private final String help;

    Setting(String key, String hint, String defaultValue, boolean flag, Function<String, Object> parser, String help) {
        this.key = key;
        this.hint = hint;
        this.defaultValue = defaultValue;
        this.flag = flag;
        this.parser = parser;
        this.help = help;
    }

    /** The name in a config file, e.g. {@code http-port}. */
    public String key() {
        return key;
    }

    /** {@code --http-port}. */
    public String flag() {
        return "--" + key;
    }

    /** {@code ARENA_HTTP_PORT}. */
    public String env() {
        return "ARENA_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** What the value looks like in the help, e.g. {@code N}. */
    public String hint() {
        return hint;
    }

    /** The default as it would be written, or null when there is none (or it is derived from other settings). */
    public String defaultValue() {
        return defaultValue;
    }

    /** False for secrets: a command line is visible to every user of the machine. */
    public boolean allowedAsFlag() {
        return flag;
    }

    public String help() {
        return help;
    }

    /** The typed value of {@code text}; IllegalArgumentException with a readable reason when it is bad. */
    Object parse(String text) {
        return parser.apply(text);
    }

    /** The setting with this file key, or null. */
    static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    private static Object text(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return v.strip();
    }

    private static Object ipAddress(String v) {
        try {
            return InetAddress.ofLiteral(v.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an IP address such as 127.0.0.1 or ::1, got '" + v + "'");
        }
    }

    private static Object port(String v) {
        int p = integer(v, "a port number 0..65535");
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("must be a port number 0..65535, got '" + v + "'");
        }
        return p;
    }

    private static Object positive(String v) {
        int n = integer(v, "a whole number of at least 1");
        if (n < 1) {
            throw new IllegalArgumentException("must be a whole number of at least 1, got '" + v + "'");
        }
        return n;
    }

    private static int integer(String v, String what) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be " + what + ", got '" + v + "'");
        }
    }

    private static Object bool(String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + v + "'");
        };
    }

    private static Object path(String v) {
        try {
            return Path.of(((String) text(v)));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a valid path: " + e.getMessage());
        }
    }

    private static Object readableFile(String v) {
        Path p = (Path) path(v);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException("no readable file at '" + v + "'");
        }
        return p;
    }

    private static Object resumeWindow(String v) {
        Matcher m = DURATION.matcher(v.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a duration such as 20s, 1m or 1500ms, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("must be between 1s and 10m, got '" + v + "'");
        }
        return d;
    }
}
