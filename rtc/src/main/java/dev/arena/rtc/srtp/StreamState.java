package dev.arena.rtc.srtp;

/**
 * Per-SSRC state of one direction: the highest authenticated packet index (48-bit ROC||SEQ for SRTP, the
 * 31-bit SRTCP index for SRTCP) and, for receivers, a replay window of {@link #WINDOW} indices
 * (RFC 3711 section 3.3.2). The window is a ring of bits: index i lives at bit {@code i mod WINDOW}.
 */
final class StreamState {
    /** Replay window in packets; libwebrtc uses 1024 for video too, so late reordered packets survive. */
    static final int WINDOW = 1024;
    private static final int MASK = WINDOW - 1;

    static final int OK = 0;
    static final int REPLAYED = 1;
    static final int TOO_OLD = 2;

    final int ssrc;
    /** Highest index seen (-1: none yet). */
    long highest = -1;
    private final long[] window;

    StreamState(int ssrc, boolean withWindow) {
        this.ssrc = ssrc;
        this.window = withWindow ? new long[WINDOW / 64] : null;
    }

    /** RFC 3711 appendix A: the index of a received SEQ given the highest index (ROC, s_l) so far. */
    static long estimateIndex(long highest, int seq) {
        if (highest < 0) {
            return seq;
        }
        long roc = highest >>> 16;
        int sl = (int) (highest & 0xffff);
        long v;
        if (sl < 32768) {
            v = (seq - sl > 32768) ? roc - 1 : roc;
        } else {
            v = (sl - 32768 > seq) ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }

    int check(long index) {
        if (highest < 0 || index > highest) {
            return OK;
        }
        if (highest - index >= WINDOW) {
            return TOO_OLD;
        }
        int bit = (int) (index & MASK);
        return (window[bit >>> 6] & (1L << bit)) != 0 ? REPLAYED : OK;
    }

    /** Records an authenticated index (after {@link #check} said OK). */
    void accept(long index) {
        if (highest < 0 || index - highest >= WINDOW) {
            if (window != null) {
                java.util.Arrays.fill(window, 0L);
            }
            highest = index;
        } else if (index > highest) {
            if (window != null) {
                for (long i = highest + 1; i < index; i++) {
                    int bit = (int) (i & MASK);
                    window[bit >>> 6] &= ~(1L << bit);
                }
            }
            highest = index;
        }
        if (window != null) {
            int bit = (int) (index & MASK);
            window[bit >>> 6] |= 1L << bit;
        }
    }
}
