package dev.arena.server.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./arena token}: prints one access token on stdout (and nothing else there, so that
 * {@code TOKEN=$(./arena token ...)} works). Exit code 0, or 2 with a message on stderr for bad input.
 */
public final class TokenCommand {
    public static final String USAGE = """
            usage: ./arena token --room ROOM --identity ID --role host|speaker|listener [--name NAME] [--ttl 6h]
                                 [--key KEY --secret SECRET]
                   ./arena token --server [--name WHO] [--ttl 6h] [--key KEY --secret SECRET]
              --server          a server token for the REST API (/api/v1/): administers every room of the
                                node (grant serverAdmin), admits to none; --name says who uses it (logs)
              --room ROOM       the room the token admits to
              --identity ID     the participant's identity, unique in the room
              --role ROLE       host (on stage, administers the room), speaker (on stage) or
                                listener (audience: may raise a hand, publishes only once a host approves)
              --name NAME       display name shown to others (default: the identity)
              --ttl DURATION    validity: a number with s, m, h or d (default 6h, at most 366d)
              --key KEY         API key id to sign with          (default: $ARENA_API_KEY)
              --secret SECRET   the secret of that API key       (default: $ARENA_API_SECRET)
              --data-dir DIR    with neither: sign with the development key a node keeps in DIR/dev-api-key
                                (default: $ARENA_DATA_DIR or ./.arena, as the node's data-dir)
            A node without configured keys generates a development key, prints it and keeps it in its data-dir.""";
    static final String ENV_DATA_DIR = "ARENA_DATA_DIR";
    static final String DEFAULT_DATA_DIR = "./.arena";

    private static final Set<String> OPTIONS = Set.of("-h", "--help", "--server", "--room", "--identity", "--role", "--name",
            "--ttl", "--key", "--secret", "--data-dir");
    private static final Pattern TTL = Pattern.compile("([0-9]{1,9})([smhd])");

    private TokenCommand() {
    }

    /** Runs {@code ./arena token} with {@code args} (after the word {@code token}); returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, Clock.systemUTC());
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        String room = null;
        String identity = null;
        String role = null;
        String name = null;
        String ttl = null;
        String key = null;
        String secret = null;
        String dataDir = null;
        boolean server = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--server" -> server = true;
                    case "--room" -> room = value(args, ++i, a);
                    case "--identity" -> identity = value(args, ++i, a);
                    case "--role" -> role = value(args, ++i, a);
                    case "--name" -> name = value(args, ++i, a);
                    case "--ttl" -> ttl = value(args, ++i, a);
                    case "--key" -> key = value(args, ++i, a);
                    case "--secret" -> secret = value(args, ++i, a);
                    case "--data-dir" -> dataDir = value(args, ++i, a);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (server) {
                if (room != null || identity != null || role != null) {
                    throw new IllegalArgumentException("--server takes no --room, --identity or --role");
                }
                Duration d = ttl == null ? AccessToken.DEFAULT_TTL : parseTtl(ttl);
                out.println(new TokenIssuer(apiKey(key, secret, dataDir, env), clock).issueServer(name == null ? "cli" : name, d));
                return 0;
            }
            if (room == null) {
                throw new IllegalArgumentException("--room is required");
            }
            if (identity == null) {
                throw new IllegalArgumentException("--identity is required");
            }
            if (role == null) {
                throw new IllegalArgumentException("--role is required (host, speaker or listener)");
            }
            Role r = Role.fromWire(role);
            if (r == null) {
                throw new IllegalArgumentException("--role must be host, speaker or listener, got '" + role + "'");
            }
            ApiKey apiKey = apiKey(key, secret, dataDir, env);
            AccessToken token = new AccessToken(room, identity, name, r, Grants.forRole(r),
                    ttl == null ? AccessToken.DEFAULT_TTL : parseTtl(ttl));
            out.println(new TokenIssuer(apiKey, clock).issue(token));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("arena token: " + e.getMessage());
            err.println("(./arena token --help for usage)");
            return 2;
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 6h}, {@code 7d}. */
    static Duration parseTtl(String s) {
        Matcher m = TTL.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("--ttl must be a number with s, m, h or d (e.g. 6h), got '" + s + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero() || d.compareTo(AccessToken.MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl must be between 1s and " + AccessToken.MAX_TTL.toDays()
                    + "d, got '" + s + "'");
        }
        return d;
    }

    private static ApiKey apiKey(String key, String secret, String dataDir, Map<String, String> env) {
        if (key != null || secret != null) {
            if (key == null || secret == null) {
                throw new IllegalArgumentException("--key and --secret go together");
            }
            return new ApiKey(key, secret);
        }
        String envKey = env.get(ApiKeys.ENV_KEY);
        String envSecret = env.get(ApiKeys.ENV_SECRET);
        if (isBlank(envKey) && isBlank(envSecret)) {
            // a development node keeps its generated key in its data dir: sign with that one
            Path dir = Path.of(dataDir != null ? dataDir : env.getOrDefault(ENV_DATA_DIR, DEFAULT_DATA_DIR));
            try {
                Optional<ApiKeys> dev = DevApiKeyFile.loadExisting(dir);
                if (dev.isPresent()) {
                    return dev.get().primary();
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            throw new IllegalArgumentException("no API key: pass --key and --secret, set " + ApiKeys.ENV_KEY
                    + " and " + ApiKeys.ENV_SECRET + ", or start a development node first (it keeps its key in "
                    + dir.resolve(DevApiKeyFile.FILE_NAME) + ")");
        }
        if (isBlank(envKey) || isBlank(envSecret)) {
            throw new IllegalArgumentException(ApiKeys.ENV_KEY + " and " + ApiKeys.ENV_SECRET + " must be set together");
        }
        return new ApiKey(envKey.strip(), envSecret.strip());
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length || OPTIONS.contains(args[i])) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
