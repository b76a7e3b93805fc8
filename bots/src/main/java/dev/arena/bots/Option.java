package dev.arena.bots;

import java.util.ArrayList;
import java.util.List;

/**
 * Every option of {@code bots}, in one table (as the server's Setting): its flag, what its value looks like, the
 * default, which commands take it, and the help text. {@code --help} is generated from this table.
 */
public enum Option {
    TARGET("target", "arena|janus|whip", "arena", true, "the kind of server under load"),
    URL("url", "URL", "http://127.0.0.1:8080", true,
            "Arena: the node's base URL; whip: the server's base URL (with --whip-url/--whep-url unset, Arena's"
                    + " /whip/ROOM and /whep/ROOM under it); janus: its HTTP API unless --janus-url is set"),
    ROOM("room", "ROOM", "bots", true, "the room every bot joins (Janus: a numeric VideoRoom id)"),
    SCENARIO("scenario", "NAME", "broadcast", true,
            "broadcast (P publishers, N listeners), conference (everyone publishes and receives), stage (listeners"
                    + " raise hands, the host brings K on stage in turn), churn (listeners leave and join at a rate)"),
    PUBLISHERS("publishers", "P", "1", true, "publishing bots (stage: hosts, the first drives the stage;"
            + " conference: the participants); they all run in shard 0, except in a conference"),
    LISTENERS("listeners", "N", "10", true, "listening bots (churn: kept present)"),
    JOIN_RATE("join-rate", "BOTS/S", "20", true,
            "bots started per second across all shards: publishers first, listeners once the publishers are up"),
    DURATION("duration", "DURATION", "60s", true,
            "how long the full load is held after the ramp-up (e.g. 90s, 10m, 1h)"),
    JOIN_TIMEOUT("join-timeout", "DURATION", "20s", true,
            "per bot: signaling, ICE, DTLS and first media must be done within it, or the join failed"),
    SPEAKERS("speakers", "K", "3", true, "stage: listeners brought on stage in turn (listeners 0..K-1)"),
    SPEAK_TIME("speak-time", "DURATION", "10s", true, "stage: how long each speaks before being sent back"),
    CHURN_RATE("churn-rate", "BOTS/S", "1", true, "churn: listeners leaving per second across all shards, each"
            + " replaced by a new one"),
    LISTENER_DELAY("listener-delay", "DURATION", null, true, "shards other than 0 wait this long for shard 0's"
            + " publishers before starting listeners; default: the publishers' ramp-up + 5s"),
    VIDEO("video", "FILE.ivf|sample|synthetic:KBPS|none", "sample", true,
            "what publishers send as video: an IVF (VP8) file that loops, the bundled sample, or synthetic"),
    AUDIO("audio", "FILE.ogg|sample|synthetic:KBPS|none", "sample", true,
            "what publishers send as audio: an Ogg (Opus) file that loops, the bundled sample, or synthetic"),
    LOOPS("loops", "N", null, true, "event loops (threads) that carry every bot's sockets and timers; default: one"
            + " per processor"),
    BIND("bind", "ADDR", "0.0.0.0", true, "local address the bots' sockets bind (one free port each)"),
    API_KEY("api-key", "ID", null, true, "Arena: the API key that signs the bots' access tokens, with its secret"
            + " in $ARENA_API_SECRET (never a flag); default: $ARENA_API_KEY, else the development key in --data-dir"),
    DATA_DIR("data-dir", "DIR", "./.arena", true, "Arena: where a development node keeps dev-api-key"),
    TOKEN("token", "TOKEN", null, true, "whip: a bearer token for WHIP/WHEP servers that want one (also"
            + " $BOTS_TOKEN, which keeps it out of the process list)"),
    TOKENS("tokens", "FILE", null, true, "whip: a file of bearer tokens, one per line, each used by one bot in the"
            + " order the bots start (servers that want a token per viewer); a bot finding none left fails with no_token"),
    WHIP_URL("whip-url", "URL", null, true, "whip: the endpoint publishers POST their offer to"),
    WHEP_URL("whep-url", "URL", null, true, "whip: the endpoint listeners POST their offer to"),
    JANUS_URL("janus-url", "URL", null, true, "janus: the HTTP API, e.g. http://127.0.0.1:8088/janus"),
    MAX_LOSS("max-loss", "PERCENT", null, false, "fail (exit 1) when loss after retransmission is above it"),
    MAX_P99_MS("max-p99-ms", "MS", null, false, "fail (exit 1) when the p99 end-to-end latency is above it"),
    MAX_FAILURES("max-failures", "N|P%", null, false, "fail (exit 1) when more joins failed (a count, or a"
            + " percentage of the joins started)"),
    SHARD("shard", "i/n", "0/1", true, "run only the bots whose index % n == i (n processes share the run; merge"
            + " their --json reports with bots merge)"),
    JSON("json", "FILE", null, false, "write the report as JSON (with the histograms, for bots merge)"),
    HDR_LOG("hdr-log", "FILE", null, true, "write the latency of each 2 s interval as an HdrHistogram log"),
    QUIET("quiet", null, null, true, "no progress line"),
    HELP("help", null, null, false, "print this help");

    private final String key;
    private final String hint;
    private final String defaultValue;
    private final boolean runOnly;
    private final String help;

    Option(String key, String hint, String defaultValue, boolean runOnly, String help) {
        this.key = key;
        this.hint = hint;
        this.defaultValue = defaultValue;
        this.runOnly = runOnly;
        this.help = help;
    }

    public String flag() {
        return "--" + key;
    }

    /** Null for a switch (no value). */
    public String hint() {
        return hint;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** Whether {@code bots merge} takes it too (the thresholds and the output). */
    public boolean forMerge() {
        return !runOnly;
    }

    public String help() {
        return help;
    }

    static Option byFlag(String flag) {
        for (Option o : values()) {
            if (o.flag().equals(flag)) {
                return o;
            }
        }
        return null;
    }

    /** The usage text, generated from the table. */
    public static String usage() {
        StringBuilder b = new StringBuilder("""
                usage: bots run [OPTIONS]                      run a load test (./arena bots run ...)
                       bots merge A.json B.json ... [OPTIONS]  merge shard reports (--json, --max-* apply)
                Exit code: 0 passed, 1 a --max-* threshold failed, 2 bad usage or configuration.
                Options:
                """);
        for (Option o : values()) {
            String left = "  " + o.flag() + (o.hint == null ? "" : " " + o.hint);
            String text = o.help + (o.defaultValue == null ? "" : " (default " + o.defaultValue + ")")
                    + (o.forMerge() && o != HELP ? " [run, merge]" : "");
            List<String> lines = wrap(text, 70);
            b.append(left.length() < 27 ? String.format("%-28s%s%n", left, lines.getFirst())
                    : left + "\n" + " ".repeat(28) + lines.getFirst() + "\n");
            for (String l : lines.subList(1, lines.size())) {
                b.append(" ".repeat(28)).append(l).append('\n');
            }
        }
        return b.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.add(line.toString());
        return out;
    }
}
