package dev.arena.rtc.rtp;

/**
 * 16-bit RTP sequence number arithmetic with wraparound (RFC 3550 section 3 and appendix A.1): the
 * comparisons treat the space as a circle, so 0 is newer than 65535.
 */
public final class SequenceNumbers {
    private SequenceNumbers() {}

    /** Signed distance {@code a - b} on the 16-bit circle, in [-32768, 32767]. */
    public static int diff(int a, int b) {
        return (short) (a - b);
    }

    /** True if {@code a} comes after {@code b} (within half the circle). */
    public static boolean isNewer(int a, int b) {
        return diff(a, b) > 0;
    }

    /** True if {@code a} comes before {@code b}. */
    public static boolean isOlder(int a, int b) {
        return diff(a, b) < 0;
    }

    /** {@code seq + n} modulo 2^16 (n may be negative). */
    public static int add(int seq, int n) {
        return (seq + n) & 0xFFFF;
    }

    /** The newer of two sequence numbers. */
    public static int max(int a, int b) {
        return isNewer(a, b) ? a : b;
    }

    /**
     * Turns 16-bit sequence numbers into a monotonic 64-bit extended sequence number (RFC 3550 appendix
     * A.1 cycles). Reordered packets within half the circle map to their own (smaller) extended value.
     * One instance per stream; not thread-safe.
     */
    public static final class Unwrapper {
        private long highest = -1;

        /** Extended value of {@code seq} (0..65535), updating the highest value seen. */
        public long unwrap(int seq) {
            seq &= 0xFFFF;
            if (highest < 0) {
                highest = seq;
                return seq;
            }
            long ext = highest + diff(seq, (int) (highest & 0xFFFF));
            if (ext > highest) {
                highest = ext;
            }
            return ext;
        }

        /** Extended value that {@code seq} would get, without changing state. */
        public long peek(int seq) {
            seq &= 0xFFFF;
            if (highest < 0) {
                return seq;
            }
            return highest + diff(seq, (int) (highest & 0xFFFF));
        }

        /** The highest extended sequence number seen, or -1 before the first. */
        public long highest() {
            return highest;
        }

        public void reset() {
            highest = -1;
        }
    }
}
