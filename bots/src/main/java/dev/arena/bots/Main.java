package dev.arena.bots;

import dev.arena.bots.peer.BotContext;
import dev.arena.bots.report.HdrLog;
import dev.arena.bots.report.Progress;
import dev.arena.bots.report.Report;
import dev.arena.bots.report.ReportJson;
import dev.arena.bots.report.RunMetrics;
import dev.arena.bots.report.Thresholds;
import dev.arena.bots.scenario.RunPlan;
import dev.arena.bots.scenario.ScenarioRunner;
import dev.arena.bots.scenario.SourceSpec;
import dev.arena.bots.target.Target;
import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.udp.UdpEndpoint;
import dev.arena.rtc.udp.UdpLoops;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code bots run ...}: a load test; {@code bots merge ...}: one report of several shards' reports. Exit code 0
 * passed, 1 a threshold failed, 2 bad usage or configuration.
 */
public final class Main {
    public static final int PASSED = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    static final long PROGRESS_MILLIS = 2000;

    private Main() {
    }

    public static void main(String[] args) {
        // Netty samples 1 in 128 buffer allocations with a stack trace to find leaks: measurable on thousands of
        // bots' receive paths, and a load generator is not where leaks are hunted (-D... overrides it)
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        main(args, Factories.standard());
    }

    /** As {@link #main(String[])} with these factories; exits the JVM with the command's code. */
    static void main(String[] args, Factories factories) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bots-logback.xml"); // quiet: warnings only, on stderr
        }
        // Ctrl-C: the hook stops the run, waits for the partial report, and exits with its code (System.exit would
        // block inside a hook; halt does not).
        CompletableFuture<Integer> result = new CompletableFuture<>();
        boolean[] hooked = new boolean[1];
        Consumer<Runnable> onSignal = stop -> {
            hooked[0] = true;
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                if (!result.isDone()) {
                    stop.run();
                    try {
                        int code = result.get(30, TimeUnit.SECONDS);
                        System.out.flush();
                        System.err.flush();
                        Runtime.getRuntime().halt(code);
                    } catch (Exception e) {
                        Runtime.getRuntime().halt(FAILED);
                    }
                }
            }));
        };
        int code = run(args, System.getenv(), System.out, System.err, factories, onSignal);
        System.out.flush();
        result.complete(code);
        System.exit(code);
    }

    /** Runs a command; returns its exit code. {@code onSignal} gets the run's stop action (Ctrl-C). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                          Factories factories, Consumer<Runnable> onSignal) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(Option.usage());
            return args.length == 0 ? USAGE : PASSED;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "run" -> runCommand(Options.parse(rest, false, env), out, err, factories, onSignal);
                case "merge" -> mergeCommand(Options.parse(rest, true, env), out, err);
                default -> throw new UsageException("unknown command '" + args[0] + "' (run or merge)");
            };
        } catch (UsageException e) {
            err.println("bots: " + e.getMessage());
            err.println("(bots --help lists the options)");
            return USAGE;
        }
    }

    static int runCommand(Options options, PrintStream out, PrintStream err, Factories factories,
                          Consumer<Runnable> onSignal) throws UsageException {
        if (options.has(Option.HELP)) {
            out.print(Option.usage());
            return PASSED;
        }
        RunPlan plan = options.plan();
        Thresholds thresholds = options.thresholds();
        int loopCount = options.loops();
        java.net.InetAddress bind = options.bind();
        Path json = options.path(Option.JSON);
        Path hdrLogFile = options.path(Option.HDR_LOG);
        boolean quiet = options.has(Option.QUIET);
        for (SourceSpec spec : List.of(plan.audio(), plan.video())) {
            if (spec.enabled() && plan.publishers() > 0) {
                try {
                    factories.sources().create(spec); // a file that is not IVF/Ogg fails now, not in every bot
                } catch (RuntimeException e) {
                    throw new UsageException("--" + spec.kind().sdpName() + " " + spec + ": " + e.getMessage());
                }
            }
        }
        Target target;
        try {
            target = factories.targets().create(options.targetOptions());
            ScenarioRunner.check(plan, target);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        RunMetrics metrics = new RunMetrics();
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long startNanos = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bots-progress").factory());
        HdrLog hdrLog = null;
        try (target; UdpLoops loops = UdpLoops.start(loopCount, UdpEndpoint.Transport.AUTO)) {
            if (hdrLogFile != null) {
                try {
                    hdrLog = new HdrLog(hdrLogFile, startedAt.toEpochMilli());
                } catch (IOException e) {
                    throw new UsageException("--hdr-log " + hdrLogFile + ": " + e.getMessage());
                }
            }
            BotContext context = new BotContext(loops, DtlsCertificate.shared(), bind, metrics::recordLatency);
            ScenarioRunner runner = new ScenarioRunner(plan, target, factories.peers().apply(context),
                    factories.sources(), metrics);
            onSignal.accept(runner::stop);
            Progress progress = new Progress(metrics, plan.plannedHere(), startNanos);
            HdrLog log = hdrLog;
            ticker.scheduleAtFixedRate(() -> tick(metrics, progress, log, quiet ? null : err),
                    PROGRESS_MILLIS, PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
            runner.run();
            ticker.shutdownNow();
            tick(metrics, progress, log, null); // the last interval, into the HdrHistogram log
        } finally {
            ticker.shutdownNow();
            if (hdrLog != null) {
                hdrLog.close();
            }
        }
        Report report = metrics.snapshot(target.name(), plan.scenario().key(), plan.shard().toString(),
                startedAt.toString(), (System.nanoTime() - startNanos) / 1e9, plan.plannedHere());
        return finish(report, thresholds, json, out, err);
    }

    static int mergeCommand(Options options, PrintStream out, PrintStream err) throws UsageException {
        if (options.has(Option.HELP)) {
            out.print(Option.usage());
            return PASSED;
        }
        if (options.positional().isEmpty()) {
            throw new UsageException("merge needs the reports to merge: bots merge a.json b.json ...");
        }
        List<Report> reports = new ArrayList<>();
        for (String f : options.positional()) {
            try {
                reports.add(ReportJson.read(Path.of(f)));
            } catch (IOException e) {
                throw new UsageException("cannot read " + f + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UsageException(f + ": " + e.getMessage());
            }
        }
        Report merged;
        try {
            merged = Report.merge(reports);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return finish(merged, options.thresholds(), options.path(Option.JSON), out, err);
    }

    private static int finish(Report report, Thresholds thresholds, Path json, PrintStream out, PrintStream err) {
        out.print(report.toText());
        List<String> violations = thresholds.violations(report);
        for (String v : violations) {
            out.println("FAILED: " + v);
        }
        if (json != null) {
            try {
                ReportJson.write(report, json);
            } catch (IOException e) {
                err.println("bots: could not write " + json + ": " + e.getMessage());
                return FAILED;
            }
        }
        return violations.isEmpty() ? PASSED : FAILED;
    }

    private static void tick(RunMetrics metrics, Progress progress, HdrLog hdrLog, PrintStream err) {
        try {
            var interval = metrics.sampleLatency();
            if (hdrLog != null) {
                hdrLog.interval(interval, System.currentTimeMillis());
            }
            String line = progress.line(System.nanoTime(), interval);
            if (err != null) {
                err.println(line);
            }
        } catch (RuntimeException e) {
            // a progress line is not worth ending the run for
        }
    }
}
