package dev.arena.rtc.testing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A small mutation fuzzer for the parsers of untrusted bytes: random inputs and mutations of valid
 * seeds (bit flips, interesting values, inserts, deletes, truncation, duplication, splices). A failing
 * input is reported with its seed, iteration and hex so it can be replayed as a unit test.
 *
 * <p>Why our own: jqwik 1.10 asks not to be used by AI agents, and Jazzer's JUnit mode runs only a saved
 * corpus unless fuzzing one test per JVM; this is enough to hammer the parsers in every suite run and
 * for the long runs. Iterations: {@code -Darena.fuzz.iterations=N} (default 20000 per test); seed:
 * {@code -Darena.fuzz.seed=S} (default fixed, so the suite is repeatable).
 *
 * <p>Two helpers for deep inputs: a <em>fixup</em> ({@link #bytes(List, int, UnaryOperator, Consumer)}) repairs
 * each input after mutation, e.g. keeps a header's length field consistent so mutations reach the body; a
 * <em>generator</em> ({@link #generated}, {@link #generatedText}) builds structured inputs from the run's
 * {@link Random}, for shapes byte mutation rarely reaches.
 */
public final class Fuzz {
    private static final int[] INTERESTING = {0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x40, 0x20, 0x10};

    private Fuzz() {
    }

    public static int iterations() {
        return Integer.getInteger("arena.fuzz.iterations", 20_000);
    }

    public static long seed() {
        return Long.getLong("arena.fuzz.seed", 0x5eed_a7e4aL);
    }

    /** Feeds {@link #iterations()} inputs to {@code target}; any exception fails with the input. */
    public static void bytes(List<byte[]> seeds, int maxLength, Consumer<byte[]> target) {
        run(iterations(), random -> next(random, seeds, maxLength), HexFormat.of()::formatHex, target);
    }

    /**
     * As {@link #bytes(List, int, Consumer)}, but each input (random or mutated) goes through {@code fixup}
     * first; the input reported on failure is the fixed-up one, as {@code target} saw it.
     */
    public static void bytes(List<byte[]> seeds, int maxLength, UnaryOperator<byte[]> fixup, Consumer<byte[]> target) {
        run(iterations(), random -> fixup.apply(next(random, seeds, maxLength)), HexFormat.of()::formatHex, target);
    }

    /** As {@link #bytes} for text parsers: inputs are mutated seeds read as ISO-8859-1. */
    public static void text(List<String> seeds, int maxLength, Consumer<String> target) {
        List<byte[]> raw = seeds.stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList();
        bytes(raw, maxLength, b -> target.accept(new String(b, StandardCharsets.ISO_8859_1)));
    }

    /** Feeds {@link #iterations()} inputs made by {@code generator} from the run's random to {@code target}. */
    public static void generated(Function<Random, byte[]> generator, Consumer<byte[]> target) {
        run(iterations(), generator, HexFormat.of()::formatHex, target);
    }

    /**
     * As {@link #generated} for text: a failing input is reported as the hex of its ISO-8859-1 bytes when every
     * char fits, else as the hex of its UTF-16BE chars (prefixed {@code utf-16be:}).
     */
    public static void generatedText(Function<Random, String> generator, Consumer<String> target) {
        generatedText(iterations(), generator, target);
    }

    /**
     * As {@link #generatedText(Function, Consumer)} with a given number of iterations, for targets much costlier
     * than one parser call: pass a share of {@link #iterations()} so the long runs still scale.
     */
    public static void generatedText(int iterations, Function<Random, String> generator, Consumer<String> target) {
        run(iterations, generator, Fuzz::hex, target);
    }

    private static String hex(String s) {
        boolean latin1 = s.chars().allMatch(c -> c <= 0xFF);
        return latin1 ? HexFormat.of().formatHex(s.getBytes(StandardCharsets.ISO_8859_1))
                : "utf-16be:" + HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_16BE));
    }

    private static <T> void run(int n, Function<Random, T> next, Function<T, String> hex, Consumer<T> target) {
        long seed = seed();
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            T input = next.apply(random);
            try {
                target.accept(input);
            } catch (Throwable t) {
                throw new AssertionError("fuzz input failed (seed " + seed + ", iteration " + i + "): "
                        + hex.apply(input), t);
            }
        }
    }

    static byte[] next(Random random, List<byte[]> seeds, int maxLength) {
        if (seeds.isEmpty() || random.nextInt(8) == 0) {
            byte[] b = new byte[random.nextInt(Math.min(maxLength, 256) + 1)];
            random.nextBytes(b);
            return b;
        }
        byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
        int ops = 1 + random.nextInt(4);
        for (int k = 0; k < ops; k++) {
            b = mutate(random, b, seeds, maxLength);
        }
        return b;
    }

    private static byte[] mutate(Random random, byte[] b, List<byte[]> seeds, int maxLength) {
        switch (random.nextInt(8)) {
            case 0 -> { // flip a bit
                if (b.length > 0) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // an interesting byte
                if (b.length > 0) {
                    b[random.nextInt(b.length)] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                }
            }
            case 2 -> { // a random byte
                if (b.length > 0) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 3 -> { // truncate
                b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
            }
            case 4 -> { // delete a range
                if (b.length > 1) {
                    int from = random.nextInt(b.length);
                    int to = from + random.nextInt(b.length - from);
                    byte[] out = new byte[b.length - (to - from)];
                    System.arraycopy(b, 0, out, 0, from);
                    System.arraycopy(b, to, out, from, b.length - to);
                    b = out;
                }
            }
            case 5 -> { // insert random bytes
                int at = random.nextInt(b.length + 1);
                byte[] ins = new byte[1 + random.nextInt(16)];
                random.nextBytes(ins);
                b = splice(b, at, ins, maxLength);
            }
            case 6 -> { // duplicate a range
                if (b.length > 0) {
                    int from = random.nextInt(b.length);
                    int len = 1 + random.nextInt(Math.min(64, b.length - from));
                    b = splice(b, random.nextInt(b.length + 1), java.util.Arrays.copyOfRange(b, from, from + len), maxLength);
                }
            }
            default -> { // splice in part of another seed
                if (!seeds.isEmpty()) {
                    byte[] other = seeds.get(random.nextInt(seeds.size()));
                    if (other.length > 0) {
                        int from = random.nextInt(other.length);
                        int len = 1 + random.nextInt(other.length - from);
                        b = splice(b, random.nextInt(b.length + 1), java.util.Arrays.copyOfRange(other, from, from + len), maxLength);
                    }
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, byte[] ins, int maxLength) {
        if (b.length + ins.length > maxLength) {
            return b;
        }
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }

    /** A value in {@code [0, bound)} derived from the whole input, so the input hex alone replays it. */
    public static int knob(byte[] input, int salt, int bound) {
        int h = (java.util.Arrays.hashCode(input) + salt) * 0x9E3779B9;
        return Math.floorMod(h ^ (h >>> 15), bound);
    }

    /** Random seeds of the given lengths, from the run's seed. */
    public static List<byte[]> randomSeeds(int... lengths) {
        Random random = new Random(seed());
        List<byte[]> out = new java.util.ArrayList<>();
        for (int length : lengths) {
            byte[] b = new byte[length];
            random.nextBytes(b);
            out.add(b);
        }
        return out;
    }
}
