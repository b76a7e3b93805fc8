package dev.arena.bots;

import dev.arena.bots.media.MediaKind;
import dev.arena.bots.report.Thresholds;
import dev.arena.bots.scenario.RunPlan;
import dev.arena.bots.scenario.ScenarioKind;
import dev.arena.bots.scenario.Shard;
import dev.arena.bots.scenario.SourceSpec;
import dev.arena.bots.scenario.TargetOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed command line: the options given (by {@link Option}) and the other words (merge's files). */
public final class Options {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Map<Option, String> values;
    private final List<String> positional;
    private final Map<String, String> env;

    private Options(Map<Option, String> values, List<String> positional, Map<String, String> env) {
        this.values = values;
        this.positional = positional;
        this.env = env;
    }

    /**
     * Reads {@code args} (after the command word).
     *
     * @param merge  true for {@code bots merge}: only its options, and file names are allowed
     */
    public static Options parse(String[] args, boolean merge, Map<String, String> env) throws UsageException {
        Map<Option, String> values = new EnumMap<>(Option.class);
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h")) {
                a = "--help";
            }
            if (!a.startsWith("--")) {
                if (!merge) {
                    throw new UsageException("unexpected argument '" + a + "' (options start with --)");
                }
                positional.add(a);
                continue;
            }
            String name = a;
            String inline = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            Option o = Option.byFlag(name);
            if (o == null || (merge && !o.forMerge())) {
                throw new UsageException("unknown option " + name + (merge ? " for merge" : ""));
            }
            if (values.containsKey(o)) {
                throw new UsageException(name + " is given twice");
            }
            if (o.hint() == null) {
                if (inline != null) {
                    throw new UsageException(name + " takes no value");
                }
                values.put(o, "true");
            } else if (inline != null) {
                values.put(o, inline);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(o, args[++i]);
            } else {
                throw new UsageException(name + " needs a value (" + o.hint() + ")");
            }
        }
        return new Options(values, List.copyOf(positional), env);
    }

    public boolean has(Option o) {
        return values.containsKey(o);
    }

    public List<String> positional() {
        return positional;
    }

    /** The value given, else the default (null when there is none). */
    public String text(Option o) {
        return values.getOrDefault(o, o.defaultValue());
    }

    /** The run this command line describes. */
    public RunPlan plan() throws UsageException {
        ScenarioKind scenario = get(Option.SCENARIO, ScenarioKind::parse);
        try {
            return new RunPlan(scenario, get(Option.ROOM, Options::nonEmpty), get(Option.PUBLISHERS, Options::count),
                    get(Option.LISTENERS, Options::count), get(Option.JOIN_RATE, Options::positiveRate),
                    get(Option.DURATION, Options::duration), get(Option.JOIN_TIMEOUT, Options::positiveDuration),
                    get(Option.SHARD, Shard::parse), get(Option.SPEAKERS, Options::count),
                    get(Option.SPEAK_TIME, Options::positiveDuration), get(Option.CHURN_RATE, Options::positiveRate),
                    get(Option.LISTENER_DELAY, Options::duration),
                    get(Option.AUDIO, t -> SourceSpec.parse(MediaKind.AUDIO, t)),
                    get(Option.VIDEO, t -> SourceSpec.parse(MediaKind.VIDEO, t)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    public Thresholds thresholds() throws UsageException {
        return new Thresholds(get(Option.MAX_LOSS, Options::percent), get(Option.MAX_P99_MS, Options::positiveNumber),
                get(Option.MAX_FAILURES, Thresholds.FailureLimit::parse));
    }

    public TargetOptions targetOptions() throws UsageException {
        String kind = get(Option.TARGET, t -> switch (t.strip().toLowerCase(Locale.ROOT)) {
            case "arena", "janus", "whip" -> t.strip().toLowerCase(Locale.ROOT);
            default -> throw new IllegalArgumentException("must be arena, janus or whip, got '" + t + "'");
        });
        String secret = env.get("ARENA_API_SECRET");
        String key = has(Option.API_KEY) ? text(Option.API_KEY) : blankToNull(env.get("ARENA_API_KEY"));
        if (key != null && (secret == null || secret.isBlank())) {
            throw new UsageException((has(Option.API_KEY) ? "--api-key" : "$ARENA_API_KEY") + " needs its secret in"
                    + " $ARENA_API_SECRET (a flag would show it to every user of the machine)");
        }
        String token = has(Option.TOKEN) ? text(Option.TOKEN) : env.get("BOTS_TOKEN");
        return new TargetOptions(kind, get(Option.URL, Options::url), get(Option.ROOM, Options::nonEmpty),
                key == null ? null : key.strip(), key == null ? null : secret.strip(), get(Option.DATA_DIR, Options::path),
                token, get(Option.TOKENS, Options::path), get(Option.WHIP_URL, Options::url), get(Option.WHEP_URL, Options::url),
                get(Option.JANUS_URL, Options::url), get(Option.JOIN_TIMEOUT, Options::positiveDuration));
    }

    /** Event loops: the flag, or one per processor. */
    public int loops() throws UsageException {
        Integer n = get(Option.LOOPS, Options::count);
        if (n != null && n < 1) {
            throw new UsageException("--loops must be at least 1, got " + n);
        }
        return n != null ? n : Runtime.getRuntime().availableProcessors();
    }

    public InetAddress bind() throws UsageException {
        return get(Option.BIND, t -> {
            try {
                return InetAddress.ofLiteral(t.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be an IP address such as 0.0.0.0 or 10.0.0.5, got '" + t + "'");
            }
        });
    }

    public Path path(Option o) throws UsageException {
        return get(o, Options::path);
    }

    /** The typed value of {@code o} (given or default), null when neither; a bad value is a usage error. */
    private <T> T get(Option o, Function<String, T> parser) throws UsageException {
        String v = text(o);
        if (v == null) {
            return null;
        }
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(o.flag() + " " + e.getMessage());
        }
    }

    static Duration duration(String v) {
        Matcher m = DURATION.matcher(v.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a duration such as 60s, 10m, 1h or 1500ms, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static Duration positiveDuration(String v) {
        Duration d = duration(v);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than 0, got '" + v + "'");
        }
        return d;
    }

    private static int count(String v) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number >= 0, got '" + v + "'");
        }
    }

    private static double positiveNumber(String v) {
        try {
            double d = Double.parseDouble(v.strip());
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number > 0, got '" + v + "'");
        }
    }

    private static double positiveRate(String v) {
        return positiveNumber(v);
    }

    private static double percent(String v) {
        String t = v.strip();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            double d = Double.parseDouble(t);
            if (!(d >= 0 && d <= 100)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a percentage 0..100 such as 0.5, got '" + v + "'");
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    private static String nonEmpty(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return v.strip();
    }

    private static URI url(String v) {
        try {
            URI u = new URI(v.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new URISyntaxException(v, "not an http(s) URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be an http:// or https:// URL, got '" + v + "'");
        }
    }

    private static Path path(String v) {
        try {
            return Path.of(nonEmpty(v));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a valid path: " + e.getMessage());
        }
    }
}
