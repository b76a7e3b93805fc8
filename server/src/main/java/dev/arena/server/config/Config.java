package dev.arena.server.config;

import dev.arena.rtc.transport.TransportServer;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.http.WebServer;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A node's settings ({@link Setting}), each taken from the first of: a flag ({@code --http-port 8080} or
 * {@code --http-port=8080}), the environment ({@code ARENA_HTTP_PORT}), the config file ({@code --config FILE} or
 * {@code ARENA_CONFIG}: a properties file of {@code http-port=8080} lines), the default. Unknown flags and file keys
 * and bad values are refused with a {@link ConfigException} naming the setting and its source; unknown
 * environment variables are ignored (the environment holds other programs' variables too).
 */
public final class Config {
    public static final String CONFIG_FLAG = "--config";
    public static final String CONFIG_ENV = "ARENA_CONFIG";

    private final Map<Setting, Object> values;
    private final Map<Setting, String> sources;
    private final boolean help;
    private final ApiKeys apiKeys;

    private Config(Map<Setting, Object> values, Map<Setting, String> sources, boolean help) {
        this.values = values;
        this.sources = sources;
        this.help = help;
        this.apiKeys = help ? null : checkTogether();
    }

    /** The settings of {@code args} (flags only: subcommands are Main's) over {@code env} over the config file. */
    public static Config load(String[] args, Map<String, String> env) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        String configFile = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                help = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals(CONFIG_FLAG)) {
                configFile = value != null ? value : flagValue(args, ++i, name);
                continue;
            }
            Setting s = name.startsWith("--") ? Setting.byKey(name.substring(2)) : null;
            if (s == null) {
                throw new ConfigException("unknown option " + a + " (./arena --help lists the settings)");
            }
            if (!s.allowedAsFlag()) {
                throw new ConfigException(name + " is not accepted on the command line, where every user of the"
                        + " machine can read it: set " + s.env() + " or put " + s.key() + " in the config file");
            }
            if (value == null) {
                boolean bare = s.hint().equals("BOOL") && (i + 1 >= args.length || args[i + 1].startsWith("--"));
                value = bare ? "true" : flagValue(args, ++i, name);
            }
            flags.put(s, value);
        }
        if (help) {
            return new Config(new EnumMap<>(Setting.class), new EnumMap<>(Setting.class), true);
        }
        if (configFile == null) {
            configFile = blankToNull(env.get(CONFIG_ENV));
        }
        Map<Setting, Object> values = new EnumMap<>(Setting.class);
        Map<Setting, String> sources = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            if (s.defaultValue() != null) {
                set(values, sources, s, s.defaultValue(), "the default of " + s.key());
            }
        }
        if (configFile != null) {
            for (Map.Entry<String, String> e : readFile(configFile).entrySet()) {
                Setting s = Setting.byKey(e.getKey());
                if (s == null) {
                    throw new ConfigException(configFile + ": unknown setting '" + e.getKey()
                            + "' (./arena --help lists the settings)");
                }
                set(values, sources, s, e.getValue(), configFile + ": " + s.key());
            }
        }
        for (Setting s : Setting.values()) {
            String v = env.get(s.env());
            if (v != null && !v.isBlank()) {
                set(values, sources, s, v, s.env());
            }
        }
        flags.forEach((s, v) -> set(values, sources, s, v, s.flag()));
        return new Config(values, sources, false);
    }

    private static void set(Map<Setting, Object> values, Map<Setting, String> sources, Setting s, String text,
                            String source) {
        try {
            values.put(s, s.parse(text));
            sources.put(s, source);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    private static String flagValue(String[] args, int i, String name) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new ConfigException(name + " needs a value");
        }
        return args[i];
    }

    private static Map<String, String> readFile(String file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(CONFIG_FLAG + ": cannot read the config file " + file + ": " + e.getMessage());
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.strip(), p.getProperty(k)));
        return m;
    }

    /** Settings that only make sense together; returns the configured API keys (null: none). */
    private ApiKeys checkTogether() {
        if (values.containsKey(Setting.TLS_CERT) != values.containsKey(Setting.TLS_KEY)) {
            throw new ConfigException("tls-cert and tls-key go together: set both (HTTPS) or neither (HTTP); got only "
                    + sources.get(values.containsKey(Setting.TLS_CERT) ? Setting.TLS_CERT : Setting.TLS_KEY));
        }
        if (values.containsKey(Setting.API_KEY) != values.containsKey(Setting.API_SECRET)) {
            throw new ConfigException("api-key and api-secret go together (" + Setting.API_KEY.env() + " and "
                    + Setting.API_SECRET.env() + "); got only " + sources.get(values.containsKey(Setting.API_KEY)
                    ? Setting.API_KEY : Setting.API_SECRET));
        }
        Map<String, String> keys = new HashMap<>();
        for (Setting s : new Setting[] {Setting.API_KEY, Setting.API_SECRET, Setting.API_KEYS}) {
            if (values.containsKey(s)) {
                keys.put(s.env(), (String) values.get(s));
            }
        }
        try {
            return ApiKeys.fromEnvironment(keys).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("API keys: " + e.getMessage());
        }
    }

    /** True when {@code --help} was given: print {@link #help()} and start nothing. */
    public boolean helpRequested() {
        return help;
    }

    /** Where a setting's value came from: a flag, an environment variable, the config file or the default. */
    public String source(Setting s) {
        return sources.getOrDefault(s, "unset");
    }

    public InetAddress bind() {
        return (InetAddress) values.get(Setting.BIND);
    }

    /** The announced address, or the bind address (127.0.0.1 when binding every interface). */
    public InetAddress announce() {
        InetAddress a = (InetAddress) values.get(Setting.ANNOUNCE);
        if (a != null) {
            return a;
        }
        return bind().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bind();
    }

    public int httpPort() {
        return (Integer) values.get(Setting.HTTP_PORT);
    }

    public int udpPort() {
        return (Integer) values.get(Setting.UDP_PORT);
    }

    /** The certificate and key to serve TLS with, or empty for plain HTTP. */
    public Optional<WebServer.Tls> tls() {
        Path cert = (Path) values.get(Setting.TLS_CERT);
        return cert == null ? Optional.empty() : Optional.of(new WebServer.Tls(cert, (Path) values.get(Setting.TLS_KEY)));
    }

    public boolean trustProxy() {
        return (Boolean) values.get(Setting.TRUST_PROXY);
    }

    /** The configured API keys, or empty when none is (the node then uses its development key). */
    public Optional<ApiKeys> apiKeys() {
        return Optional.ofNullable(apiKeys);
    }

    public Path dataDir() {
        return (Path) values.get(Setting.DATA_DIR);
    }

    public RoomLimits roomLimits() {
        return new RoomLimits((Integer) values.get(Setting.MAX_PARTICIPANTS), (Integer) values.get(Setting.MAX_SPEAKERS),
                (Integer) values.get(Setting.MAX_TRACKS_PER_PARTICIPANT));
    }

    /** The media event loops: the setting, or one per processor. */
    public int mediaLoops() {
        Integer n = (Integer) values.get(Setting.MEDIA_LOOPS);
        return n != null ? n : TransportServer.defaultLoops();
    }

    public Duration resumeWindow() {
        return (Duration) values.get(Setting.RESUME_WINDOW);
    }

    public boolean demo() {
        return (Boolean) values.get(Setting.DEMO);
    }

    /** The text of {@code ./arena --help}, made from the table of settings. */
    public static String help() {
        StringBuilder b = new StringBuilder("""
                usage: ./arena [--SETTING VALUE ...]   start a node
                       ./arena token ...               print an access token (./arena token --help)

                Each setting is taken from its flag, else its environment variable, else the config file, else
                its default.

                  --config FILE  (""").append(CONFIG_ENV).append(")\n")
                .append("      a properties file of settings: one name=value per line, names as below without --\n");
        for (Setting s : Setting.values()) {
            b.append("\n  ").append(s.allowedAsFlag() ? s.flag() + " " + s.hint() : s.key() + "=" + s.hint())
                    .append("  (").append(s.env());
            if (s.defaultValue() != null) {
                b.append("; default ").append(s.defaultValue());
            }
            b.append(")\n");
            wrap(b, s.help(), "      ", 100);
        }
        return b.toString();
    }

    private static void wrap(StringBuilder b, String text, String indent, int width) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                b.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        b.append(line).append('\n');
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
