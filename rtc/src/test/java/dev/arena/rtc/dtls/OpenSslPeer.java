package dev.arena.rtc.dtls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An {@code openssl s_server} / {@code s_client} process whose output lines the test can wait for. */
final class OpenSslPeer implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new ArrayList<>();

    private OpenSslPeer(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        Thread.ofVirtual().name("openssl-output").start(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
    }

    static OpenSslPeer start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(openssl());
        command.addAll(List.of(args));
        return new OpenSslPeer(command);
    }

    /** Path of the openssl binary (Debian package {@code openssl}); fails loudly when missing. */
    static String openssl() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "openssl");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError("openssl not found on PATH: install the Debian package 'openssl'");
    }

    /** Runs openssl to completion and returns its output. */
    static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(openssl());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /** Waits for the first output line matching, or fails with everything printed so far. */
    String awaitLine(Predicate<String> match, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("openssl did not print the expected line; output:\n" + output());
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** DER of the PEM certificate printed after the line {@code heading}. */
    byte[] certificateAfter(String heading) throws InterruptedException {
        awaitLine(l -> l.equals("-----END CERTIFICATE-----"), 10);
        String out = output();
        int at = out.indexOf(heading);
        int begin = out.indexOf("-----BEGIN CERTIFICATE-----", at);
        int end = out.indexOf("-----END CERTIFICATE-----", begin);
        if (at < 0 || begin < 0 || end < 0) {
            throw new AssertionError("no certificate after '" + heading + "' in:\n" + out);
        }
        String b64 = out.substring(begin + "-----BEGIN CERTIFICATE-----".length(), end).replaceAll("\\s", "");
        return Base64.getDecoder().decode(b64);
    }

    void writeLine(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
