package dev.arena.rtc.feedback;

import dev.arena.rtc.rtcp.TransportCc;
import dev.arena.rtc.rtcp.TransportCcWriter;
import dev.arena.rtc.rtp.SequenceNumbers;
import dev.arena.rtc.util.DropCounter;

/**
 * Receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * section 3.1): records the arrival time of each transport-wide sequence number of one transport and
 * periodically writes a transport-cc feedback packet ({@link TransportCcWriter}) reporting every sequence
 * number from the first not yet reported to the highest received: base sequence number, packet status
 * count, reference time (64 ms units) and receive deltas (250 us units) of the arrival clock, and the
 * feedback packet count (mod 256), incremented per feedback sent.
 *
 * <p>Sequence numbers are unwrapped ({@link SequenceNumbers.Unwrapper}), so wraparound is seamless. A
 * packet arriving after a feedback covering later sequence numbers moves the window start back to it (as
 * libwebrtc does): the next feedback reports it and repeats the packets after it. Packets more than
 * {@value #WINDOW} sequence numbers behind the highest are dropped (counted). A feedback goes out at most
 * every {@code intervalNanos} (50 ms by default) when packets are waiting, or earlier once
 * {@code maxPacketsPerFeedback} are waiting or the previous feedback could not hold them all (it is
 * limited to {@value #MAX_FEEDBACK_LENGTH} bytes and to deltas that fit 16 bits).
 *
 * <p>Single-threaded: owned by the event loop of the transport. No allocation once warm (the writer's
 * symbol scratch grows once).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-3.1">draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1</a>
 */
public final class TwccFeedbackGenerator {
    /** Arrival times kept, in sequence numbers (power of two, well below 32768). */
    public static final int WINDOW = 4096;
    public static final int MAX_FEEDBACK_LENGTH = 1200;
    public static final long DEFAULT_INTERVAL_NANOS = 50_000_000L;
    public static final int DEFAULT_MAX_PACKETS_PER_FEEDBACK = 200;
    private static final int MASK = WINDOW - 1;
    private static final long NONE = Long.MIN_VALUE;

    private final int senderSsrc;
    private final long intervalNanos;
    private final int maxPacketsPerFeedback;
    private final DropCounter<FeedbackDrop> drops;
    private final TransportCcWriter writer = new TransportCcWriter();
    private final SequenceNumbers.Unwrapper unwrapper = new SequenceNumbers.Unwrapper();

    private final long[] extAt = new long[WINDOW];
    private final long[] arrivalUs = new long[WINDOW];
    private final int[] outSeqs = new int[WINDOW];
    private final long[] outArrivals = new long[WINDOW];
    private final long[] outExt = new long[WINDOW];

    private long highest = NONE;
    private long windowStart = NONE;
    private int pending;
    private boolean more;
    private int mediaSsrc;
    private int feedbackCount;
    private boolean sentOnce;
    private long lastFeedbackNanos;
    private long feedbacksSent;

    public TwccFeedbackGenerator(int senderSsrc, long intervalNanos, int maxPacketsPerFeedback,
                                 DropCounter<FeedbackDrop> drops) {
        this.senderSsrc = senderSsrc;
        this.intervalNanos = intervalNanos;
        this.maxPacketsPerFeedback = maxPacketsPerFeedback;
        this.drops = drops != null ? drops : new DropCounter<>(FeedbackDrop.class);
        java.util.Arrays.fill(extAt, NONE);
    }

    public TwccFeedbackGenerator(int senderSsrc) {
        this(senderSsrc, DEFAULT_INTERVAL_NANOS, DEFAULT_MAX_PACKETS_PER_FEEDBACK, null);
    }

    /**
     * Records the arrival of the packet carrying transport-wide sequence number {@code transportSeq}.
     *
     * @param mediaSsrc the packet's SSRC; the feedback's media source field carries the latest
     */
    public void onPacket(int transportSeq, long arrivalNanos, int mediaSsrc) {
        long ext = unwrapper.unwrap(transportSeq & 0xFFFF);
        if (highest != NONE && ext <= highest - WINDOW) {
            drops.count(FeedbackDrop.TWCC_TOO_OLD);
            return;
        }
        int slot = (int) ext & MASK;
        if (extAt[slot] == ext) {
            drops.count(FeedbackDrop.TWCC_DUPLICATE);
            return;
        }
        extAt[slot] = ext;
        arrivalUs[slot] = Math.floorDiv(arrivalNanos, 1000L);
        if (highest == NONE || ext > highest) {
            highest = ext;
        }
        if (windowStart == NONE || ext < windowStart) {
            windowStart = ext;
        }
        this.mediaSsrc = mediaSsrc;
        pending++;
    }

    /**
     * Writes a feedback packet if one is due.
     *
     * @return its length, or 0 if none is due (or {@code buf} has no room)
     */
    public int poll(long nowNanos, byte[] buf, int off) {
        if (pending == 0) {
            return 0;
        }
        if (sentOnce && nowNanos - lastFeedbackNanos < intervalNanos && pending < maxPacketsPerFeedback && !more) {
            return 0;
        }
        long start = Math.max(windowStart, highest - WINDOW + 1);
        int n = 0;
        for (long e = start; e <= highest; e++) {
            int slot = (int) e & MASK;
            if (extAt[slot] == e) {
                outSeqs[n] = (int) e & 0xFFFF;
                outArrivals[n] = arrivalUs[slot];
                outExt[n] = e;
                n++;
            }
        }
        if (n == 0) {
            pending = 0;
            more = false;
            return 0;
        }
        int maxLen = Math.min(MAX_FEEDBACK_LENGTH, buf.length - off);
        int len = writer.write(buf, off, maxLen, senderSsrc, mediaSsrc, feedbackCount, outSeqs, outArrivals, 0, n);
        if (len < 0) {
            return 0;
        }
        int k = writer.written();
        windowStart = outExt[k - 1] + 1;
        pending = n - k;
        more = pending > 0;
        feedbackCount = (feedbackCount + 1) & 0xFF;
        sentOnce = true;
        lastFeedbackNanos = nowNanos;
        feedbacksSent++;
        return len;
    }

    /** Packets received and not yet reported. */
    public int pending() {
        return pending;
    }

    /** The feedback packet count the next feedback will carry. */
    public int nextFeedbackCount() {
        return feedbackCount;
    }

    public long feedbacksSent() {
        return feedbacksSent;
    }

    public int senderSsrc() {
        return senderSsrc;
    }

    public DropCounter<FeedbackDrop> drops() {
        return drops;
    }

}
