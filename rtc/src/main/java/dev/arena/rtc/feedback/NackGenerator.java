package dev.arena.rtc.feedback;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtp.SequenceNumbers;
import dev.arena.rtc.util.DropCounter;

/**
 * Detects upstream loss on one incoming RTP stream from its sequence numbers and asks the publisher for
 * the missing packets with generic NACKs (RFC 4585 section 6.2.1). A gap in the sequence numbers puts the
 * skipped ones in a bounded missing set (oldest forgotten first when full); a packet arriving late or
 * retransmitted (RFC 4588, pass its OSN) leaves the set. {@link #poll} requests each missing packet at
 * most {@code maxRetries} times, {@code retryIntervalNanos} apart, and forgets it after {@code maxAgeNanos}.
 * A forward jump of more than 3000 is taken as a restart (the set is cleared, nothing requested). All
 * comparisons are on the 16-bit circle ({@link SequenceNumbers}).
 *
 * <p>Single-threaded: owned by the event loop of the publisher's transport. No allocation after construction.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1">RFC 4585 section 6.2.1</a>
 */
public final class NackGenerator {
    public static final int DEFAULT_MAX_MISSING = 256;
    public static final int DEFAULT_MAX_RETRIES = 10;
    public static final long DEFAULT_RETRY_INTERVAL_NANOS = 100_000_000L;
    public static final long DEFAULT_MAX_AGE_NANOS = 1_000_000_000L;
    /** A larger forward jump is a restart, not loss (RFC 3550 appendix A.1 MAX_DROPOUT). */
    static final int MAX_GAP = 3000;

    private final int capacity;
    private final int maxRetries;
    private final long retryIntervalNanos;
    private final long maxAgeNanos;
    private final DropCounter<FeedbackDrop> drops;

    // ring of missing entries in sequence order (oldest at head); removed entries have seq -1
    private final int[] seqs;
    private final long[] firstMissed;
    private final long[] lastSent;
    private final int[] tries;
    private int head;
    private int size; // ring slots in use, including removed entries between head and tail
    private int live;
    private final int[] scratch;

    private boolean started;
    private int highest;

    private long nacked;
    private long recovered;
    private long nacksWritten;

    public NackGenerator(int maxMissing, int maxRetries, long retryIntervalNanos, long maxAgeNanos,
                         DropCounter<FeedbackDrop> drops) {
        if (maxMissing <= 0 || maxMissing > 32768 || maxRetries <= 0) {
            throw new IllegalArgumentException("maxMissing 1..32768 and maxRetries > 0");
        }
        this.capacity = maxMissing;
        this.maxRetries = maxRetries;
        this.retryIntervalNanos = retryIntervalNanos;
        this.maxAgeNanos = maxAgeNanos;
        this.drops = drops != null ? drops : new DropCounter<>(FeedbackDrop.class);
        this.seqs = new int[maxMissing];
        this.firstMissed = new long[maxMissing];
        this.lastSent = new long[maxMissing];
        this.tries = new int[maxMissing];
        this.scratch = new int[maxMissing];
    }

    public NackGenerator() {
        this(DEFAULT_MAX_MISSING, DEFAULT_MAX_RETRIES, DEFAULT_RETRY_INTERVAL_NANOS, DEFAULT_MAX_AGE_NANOS, null);
    }

    /** Records the arrival of {@code seq} (the OSN for an RTX packet). */
    public void onPacket(int seq, long nowNanos) {
        seq &= 0xFFFF;
        if (!started) {
            started = true;
            highest = seq;
            return;
        }
        int d = SequenceNumbers.diff(seq, highest);
        if (d > MAX_GAP) {
            // the source restarted or skipped ahead: asking for thousands of packets would not help
            drops.count(FeedbackDrop.NACK_SEQUENCE_JUMP);
            clear();
            highest = seq;
            return;
        }
        if (d > 0) {
            int gap = d - 1;
            int first = 1;
            if (gap > capacity) {
                // only the newest `capacity` can be remembered
                drops.count(FeedbackDrop.NACK_LIST_OVERFLOW, gap - capacity);
                first = d - capacity;
            }
            for (int i = first; i < d; i++) {
                add(SequenceNumbers.add(highest, i), nowNanos);
            }
            highest = seq;
        } else if (d < 0) {
            remove(seq);
        }
    }

    private void add(int seq, long now) {
        if (size == capacity && live < capacity) {
            squeeze();
        }
        if (size == capacity) {
            evictHead();
        }
        int i = (head + size) % capacity;
        seqs[i] = seq;
        firstMissed[i] = now;
        lastSent[i] = 0;
        tries[i] = 0;
        size++;
        live++;
    }

    private void evictHead() {
        if (seqs[head] >= 0) {
            live--;
            drops.count(FeedbackDrop.NACK_LIST_OVERFLOW);
        }
        seqs[head] = -1;
        head = (head + 1) % capacity;
        size--;
        compact();
    }

    private void remove(int seq) {
        for (int k = 0; k < size; k++) {
            int i = (head + k) % capacity;
            if (seqs[i] == seq) {
                seqs[i] = -1;
                live--;
                recovered++;
                compact();
                return;
            }
        }
    }

    /** Moves the live entries together, in order, starting at the head. */
    private void squeeze() {
        int w = 0;
        for (int k = 0; k < size; k++) {
            int r = (head + k) % capacity;
            if (seqs[r] >= 0) {
                int d = (head + w) % capacity;
                if (d != r) {
                    seqs[d] = seqs[r];
                    firstMissed[d] = firstMissed[r];
                    lastSent[d] = lastSent[r];
                    tries[d] = tries[r];
                    seqs[r] = -1;
                }
                w++;
            }
        }
        size = w;
    }

    /** Drops removed entries from the head. */
    private void compact() {
        while (size > 0 && seqs[head] < 0) {
            head = (head + 1) % capacity;
            size--;
        }
    }

    /**
     * Writes a generic NACK for the missing packets due for a (re)request, and forgets those too old or
     * asked for {@code maxRetries} times.
     *
     * @return the NACK's length, or 0 if nothing is due (or it does not fit)
     */
    public int poll(long nowNanos, byte[] buf, int off, int senderSsrc, int mediaSsrc) {
        int room = (buf.length - off - 12) / 4; // each sequence number takes at most one PID/BLP entry
        int n = 0;
        for (int k = 0; k < size; k++) {
            int i = (head + k) % capacity;
            int s = seqs[i];
            if (s < 0) {
                continue;
            }
            if (nowNanos - firstMissed[i] > maxAgeNanos) {
                forget(i, FeedbackDrop.NACK_EXPIRED);
                continue;
            }
            if (tries[i] >= maxRetries) {
                forget(i, FeedbackDrop.NACK_GAVE_UP);
                continue;
            }
            if (n < room && (tries[i] == 0 || nowNanos - lastSent[i] >= retryIntervalNanos)) {
                scratch[n++] = s;
                tries[i]++;
                lastSent[i] = nowNanos;
            }
        }
        compact();
        if (n == 0) {
            return 0;
        }
        int len = Nack.write(buf, off, senderSsrc, mediaSsrc, scratch, 0, n);
        if (len < 0) {
            return 0;
        }
        nacked += n;
        nacksWritten++;
        return len;
    }

    private void forget(int i, FeedbackDrop reason) {
        seqs[i] = -1;
        live--;
        drops.count(reason);
    }

    /** Forgets every missing sequence number. */
    public void clear() {
        for (int k = 0; k < size; k++) {
            seqs[(head + k) % capacity] = -1;
        }
        head = 0;
        size = 0;
        live = 0;
    }

    /** Sequence numbers currently missing. */
    public int missingCount() {
        return live;
    }

    /** Whether {@code seq} is in the missing set. */
    public boolean isMissing(int seq) {
        seq &= 0xFFFF;
        for (int k = 0; k < size; k++) {
            if (seqs[(head + k) % capacity] == seq) {
                return true;
            }
        }
        return false;
    }

    /** Total sequence-number requests written. */
    public long nacked() {
        return nacked;
    }

    /** Missing packets that arrived later. */
    public long recovered() {
        return recovered;
    }

    public long nacksWritten() {
        return nacksWritten;
    }

    public DropCounter<FeedbackDrop> drops() {
        return drops;
    }
}
