package dev.arena.rtc.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real aiortc 1.4 peer (Debian python3-aiortc, run with /usr/bin/python3) in the offerer role, driven over
 * stdin/stdout JSON lines by {@code aiortc_peer.py}: it offers a synthetic VP8 video track (and optionally a sine
 * tone), gathers 127.0.0.1 only, and counts PLIs received, VP8 keyframes encoded and what it receives.
 *
 * <pre>
 * try (AiortcPeer peer = AiortcPeer.start(AiortcPeer.Options.defaults())) {
 *     String offer = peer.offer();
 *     peer.answer(answerSdp);
 *     peer.awaitState("connected", Duration.ofSeconds(30));
 *     AiortcPeer.Stats s = peer.stats();
 * }
 * </pre>
 * Stderr goes to {@code target/peers/aiortc-N-PID.stderr.log}; {@link #describe()} has the events for messages.
 */
public final class AiortcPeer implements AutoCloseable {
    public static final String PYTHON = "/usr/bin/python3";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param audio          also offer a sine tone (Opus), with aiortc's duplicate extmap id worked around
     * @param videoDirection "sendonly" (default) or "sendrecv" (to receive video back on the same transceiver)
     */
    public record Options(boolean audio, String videoDirection, int width, int height, int fps) {
        public Options {
            if (!videoDirection.equals("sendonly") && !videoDirection.equals("sendrecv")) {
                throw new IllegalArgumentException("videoDirection: sendonly or sendrecv");
            }
        }

        public static Options defaults() {
            return new Options(false, "sendonly", 320, 240, 15);
        }

        public Options withAudio(boolean a) {
            return new Options(a, videoDirection, width, height, fps);
        }

        public Options withVideoDirection(String d) {
            return new Options(audio, d, width, height, fps);
        }
    }

    /**
     * Counters reported by the script.
     *
     * @param pliReceived      RTCP PLIs that reached aiortc's RTP senders
     * @param keyframesEncoded VP8 frames whose first packet has the keyframe bit (the first frame is one; each PLI adds one)
     * @param forcedKeyframes  frames encoded with aiortc's force-keyframe flag (set by a PLI)
     * @param packetsSent      outbound RTP packets by kind (getStats)
     * @param rtpReceived      RTP packets received by kind
     * @param framesReceived   decoded frames received by kind
     */
    public record Stats(String connectionState, String iceConnectionState, long pliReceived, long keyframesEncoded,
            long forcedKeyframes, long framesEncoded, long framesGenerated, Map<String, Long> packetsSent,
            Map<String, Long> rtpReceived, Map<String, Long> framesReceived) {
        static Stats from(Map<String, Object> m) {
            return new Stats(PeerFiles.asString(m.get("connectionState")), PeerFiles.asString(m.get("iceConnectionState")),
                    PeerFiles.asLong(m.get("pliReceived")), PeerFiles.asLong(m.get("keyframesEncoded")),
                    PeerFiles.asLong(m.get("forcedKeyframes")), PeerFiles.asLong(m.get("framesEncoded")),
                    PeerFiles.asLong(m.get("framesGenerated")), longs(m.get("packetsSent")), longs(m.get("rtpReceived")),
                    longs(m.get("framesReceived")));
        }

        private static Map<String, Long> longs(Object o) {
            Map<String, Long> out = new LinkedHashMap<>();
            if (o instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k), PeerFiles.asLong(v)));
            }
            return Collections.unmodifiableMap(out);
        }
    }

    private final Process process;
    private final Writer stdin;
    private final Path stderrLog;
    private final Thread reader;
    private final CompletableFuture<String> offer = new CompletableFuture<>();
    private final BlockingQueue<Map<String, Object>> statsReplies = new LinkedBlockingQueue<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final Object stateLock = new Object();
    private String connectionState = "new";
    private String iceConnectionState = "new";
    private String error;
    private boolean exited;
    private boolean answered;

    private AiortcPeer(Options o) {
        Objects.requireNonNull(o, "options");
        Path script = PeerFiles.extract("aiortc_peer.py");
        String name = PeerFiles.uniqueName("aiortc");
        this.stderrLog = PeerFiles.dir().resolve(name + ".stderr.log");
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-u", script.toString(),
                "--video-direction", o.videoDirection(), "--width", Integer.toString(o.width()),
                "--height", Integer.toString(o.height()), "--fps", Integer.toString(o.fps())));
        if (o.audio()) {
            cmd.add("--audio");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderrLog.toFile());
        pb.environment().put("PYTHONUNBUFFERED", "1");
        try {
            this.process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PYTHON + " (Debian python3-aiortc needed)", e);
        }
        this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = Thread.ofPlatform().daemon().name(name + "-stdout").start(this::readLoop);
    }

    public static AiortcPeer start(Options options) {
        return new AiortcPeer(options);
    }

    public static AiortcPeer start() {
        return start(Options.defaults());
    }

    private void readLoop() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                handleLine(line);
            }
        } catch (IOException | RuntimeException e) {
            events.add("reader: " + e);
        } finally {
            synchronized (stateLock) {
                exited = true;
                stateLock.notifyAll();
            }
            offer.completeExceptionally(new IllegalStateException("aiortc exited before its offer; " + describe()));
        }
    }

    private void handleLine(String line) {
        Map<String, Object> m;
        try {
            m = PeerFiles.parseJsonObject(line);
        } catch (RuntimeException e) {
            events.add("stdout: " + line);
            return;
        }
        String event = PeerFiles.asString(m.get("event"));
        switch (event) {
            case "offer" -> {
                events.add("offer");
                offer.complete(PeerFiles.asString(m.get("sdp")));
            }
            case "state" -> {
                synchronized (stateLock) {
                    connectionState = PeerFiles.asString(m.get("connectionState"));
                    iceConnectionState = PeerFiles.asString(m.get("iceConnectionState"));
                    events.add("state " + connectionState + "/" + iceConnectionState);
                    stateLock.notifyAll();
                }
            }
            case "stats" -> statsReplies.add(m);
            case "error" -> {
                synchronized (stateLock) {
                    error = PeerFiles.asString(m.get("message"));
                    events.add("error " + error);
                    stateLock.notifyAll();
                }
            }
            default -> events.add(line.length() > 300 ? line.substring(0, 300) : line);
        }
    }

    /** The offer SDP (all candidates included; 127.0.0.1 only). Waits for the script to produce it. */
    public String offer() {
        try {
            return offer.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no offer from aiortc within " + REPLY_TIMEOUT + "; " + describe());
        }
    }

    /** Gives aiortc the answer (once); it then runs ICE and DTLS against it. */
    public void answer(String sdp) {
        Objects.requireNonNull(sdp, "sdp");
        offer();
        synchronized (stateLock) {
            if (answered) {
                throw new IllegalStateException("answer already given");
            }
            answered = true;
        }
        write(Map.of("type", "answer", "sdp", sdp));
    }

    /**
     * Waits until aiortc's connectionState equals {@code state} ("connecting", "connected", "failed", "closed").
     * Throws with the event log if the peer fails, exits or the timeout (a hang guard) passes first.
     */
    public void awaitState(String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (!state.equals(connectionState)) {
                if (("failed".equals(connectionState) || "closed".equals(connectionState))
                        && !state.equals("closed")) {
                    throw new IllegalStateException("aiortc connection " + connectionState + "; " + describe());
                }
                if (error != null || exited) {
                    throw new IllegalStateException("aiortc stopped before '" + state + "'; " + describe());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("aiortc not '" + state + "' within " + timeout + "; " + describe());
                }
                try {
                    stateLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    public String connectionState() {
        synchronized (stateLock) {
            return connectionState;
        }
    }

    public String iceConnectionState() {
        synchronized (stateLock) {
            return iceConnectionState;
        }
    }

    /** Asks the script for its counters (only after {@link #answer}). */
    public Stats stats() {
        synchronized (stateLock) {
            if (!answered) {
                throw new IllegalStateException("stats() needs answer() first");
            }
        }
        statsReplies.clear();
        write(Map.of("cmd", "stats"));
        try {
            Map<String, Object> m = statsReplies.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new IllegalStateException("no stats from aiortc; " + describe());
            }
            return Stats.from(m);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void write(Map<String, Object> msg) {
        try {
            synchronized (stdin) {
                stdin.write(PeerFiles.toJson(msg));
                stdin.write('\n');
                stdin.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException("aiortc's stdin is closed; " + describe(), e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path stderrLog() {
        return stderrLog;
    }

    /** States, errors and the log's path, for assertion messages. */
    public String describe() {
        List<String> copy;
        synchronized (events) {
            copy = new ArrayList<>(events);
        }
        String tail = "";
        try {
            List<String> lines = Files.exists(stderrLog) ? Files.readAllLines(stderrLog) : List.of();
            tail = String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        return "events=" + copy + ", stderr=" + stderrLog + (tail.isEmpty() ? "" : " (tail:\n  " + tail + ")");
    }

    /** Asks the script to close (it ends with os._exit), then kills the process tree whatever happened. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                write(Map.of("cmd", "close"));
                stdin.close();
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (RuntimeException | IOException ignored) {
                // killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        PeerFiles.killTree(process, Duration.ofSeconds(10));
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
