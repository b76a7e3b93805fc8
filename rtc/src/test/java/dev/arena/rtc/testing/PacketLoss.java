package dev.arena.rtc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random loss of one UDP flow on loopback with nftables, in the test's own network namespace: the stand-in for
 * {@code tc qdisc ... netem loss 5%}, since the kernels these tests run on have no sch_netem ("Specified qdisc
 * kind is unknown") and no tc classifiers, while nftables works. One table {@value #TABLE} with an input-hook
 * chain: a counter for every packet of the flow, then {@code numgen random mod N 0 drop} (1 in N dropped). The
 * input hook drops after the sender's sendmsg succeeded, as a lossy network would (an output-hook drop would
 * fail the sender's sendmsg with EPERM instead).
 *
 * <p>Refuses to run in the host's network namespace (compared with PID 1's): rules are only ever added inside
 * a namespace that the test suite made (scripts/test.sh wraps Maven in {@code unshare -n}).
 */
public final class PacketLoss implements AutoCloseable {
    public static final String TABLE = "arena_loss";
    private static final Pattern PACKETS = Pattern.compile("counter packets (\\d+) bytes");

    private PacketLoss() {}

    /**
     * Drops one in {@code oneIn} UDP packets from 127.0.0.1:{@code fromPort} to 127.0.0.1:{@code toPort}.
     *
     * @throws AssertionError with the reason if nft is missing, fails, or this is the host's namespace
     */
    public static PacketLoss start(int fromPort, int toPort, int oneIn) {
        return start("ip saddr 127.0.0.1 ip daddr 127.0.0.1 udp sport " + fromPort + " udp dport " + toPort, oneIn);
    }

    /**
     * Drops one in {@code oneIn} UDP packets from 127.0.0.1:{@code fromPort} to any port of 127.0.0.1: everything
     * one socket sends (a node's media port: every receiver sees the same loss process).
     *
     * @throws AssertionError with the reason if nft is missing, fails, or this is the host's namespace
     */
    public static PacketLoss fromPort(int fromPort, int oneIn) {
        // any destination address: a receiver may sit on another local address of the namespace (127.0.0.2)
        return start("ip saddr 127.0.0.1 udp sport " + fromPort, oneIn);
    }

    private static PacketLoss start(String flow, int oneIn) {
        if (oneIn < 1) {
            throw new IllegalArgumentException("oneIn must be >= 1: " + oneIn);
        }
        checkPrivateNamespace();
        nft("delete", "table", "inet", TABLE).ignoreFailure();
        nft("add", "table", "inet", TABLE).check();
        nft("add", "chain", "inet", TABLE, "in", "{ type filter hook input priority 0 ; }").check();
        nft(("add rule inet " + TABLE + " in " + flow + " counter").split(" ")).check();
        nft(("add rule inet " + TABLE + " in " + flow + " numgen random mod " + oneIn + " 0 counter drop").split(" "))
                .check();
        return new PacketLoss();
    }

    /** Packets of the flow seen and dropped so far: {seen, dropped}. */
    public long[] counts() {
        Result r = nft("list", "table", "inet", TABLE);
        r.check();
        Matcher m = PACKETS.matcher(r.output);
        long[] out = new long[2];
        for (int i = 0; i < 2 && m.find(); i++) {
            out[i] = Long.parseLong(m.group(1));
        }
        return out;
    }

    @Override
    public void close() {
        nft("delete", "table", "inet", TABLE).check();
    }

    private static void checkPrivateNamespace() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            Path init = Files.readSymbolicLink(Path.of("/proc/1/ns/net"));
            if (self.equals(init)) {
                throw new AssertionError("refusing to add nftables rules in the host's network namespace (" + self
                        + "): run the tests inside `unshare -n` (scripts/test.sh does)");
            }
        } catch (IOException | SecurityException e) {
            // cannot tell (not root): nft itself will refuse without CAP_NET_ADMIN in this namespace
        }
    }

    private record Result(List<String> command, int exit, String output) {
        void check() {
            if (exit != 0) {
                throw new AssertionError("`" + String.join(" ", command) + "` failed (exit " + exit + "): " + output
                        + " -- the loss test needs nftables (Debian package nftables) and CAP_NET_ADMIN in the test's"
                        + " network namespace (scripts/test.sh runs the suite as root inside `unshare -n`)");
            }
        }

        void ignoreFailure() {
        }
    }

    private static Result nft(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of("/usr/sbin/nft")) ? "/usr/sbin/nft" : "nft");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new Result(command, p.waitFor(), out);
        } catch (IOException e) {
            return new Result(command, -1, "cannot run nft: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(command, -1, "interrupted");
        }
    }
}
