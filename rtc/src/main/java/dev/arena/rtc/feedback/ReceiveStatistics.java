package dev.arena.rtc.feedback;

import dev.arena.rtc.rtcp.ReportBlock;
import dev.arena.rtc.util.DropCounter;

/**
 * Reception statistics of one incoming RTP stream and its RTCP report block (RFC 3550 section 6.4.1):
 * sequence number tracking with cycles (appendix A.1, without the probation of new sources), expected and
 * lost packets and the fraction lost since the previous report (appendix A.3), interarrival jitter in
 * timestamp units (appendix A.8, the integer form with the estimate scaled by 16), and LSR/DLSR from the
 * last sender report (section 6.4.1).
 *
 * <p>Jitter is updated only by packets that advance the highest sequence number (not by reordered or
 * retransmitted ones, as libwebrtc does); arrival times are converted to timestamp units per packet pair,
 * so the nanosecond clock may start anywhere.
 *
 * <p>Single-threaded: owned by the event loop of the publisher's transport. No allocation.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 section 6.4.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.1">RFC 3550 appendix A.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.3">RFC 3550 appendix A.3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.8">RFC 3550 appendix A.8</a>
 */
public final class ReceiveStatistics {
    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    static final int RTP_SEQ_MOD = 1 << 16;
    /** Arrival gaps are clamped to one hour so that the conversion to timestamp units cannot overflow. */
    private static final long MAX_ARRIVAL_GAP_NANOS = 3_600_000_000_000L;

    private final int clockRate;
    private final DropCounter<FeedbackDrop> drops;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private boolean haveTransit;
    private long lastArrivalNanos;
    private long lastRtpTimestamp;
    /** Jitter estimate times 16 (RFC 3550 A.8). */
    private long jitterQ4;

    private boolean haveSr;
    private long lastSr;
    private long lastSrNanos;

    private int lastFractionLost;

    public ReceiveStatistics(int clockRate, DropCounter<FeedbackDrop> drops) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate " + clockRate);
        }
        this.clockRate = clockRate;
        this.drops = drops != null ? drops : new DropCounter<>(FeedbackDrop.class);
    }

    public ReceiveStatistics(int clockRate) {
        this(clockRate, null);
    }

    /**
     * Accounts one received packet.
     *
     * @param rtpTimestamp the packet's 32-bit RTP timestamp (0..2^32-1)
     * @return false if it was discarded as a bad sequence number (RFC 3550 A.1 large jump, counted)
     */
    public boolean onPacket(int seq, long rtpTimestamp, long arrivalNanos) {
        seq &= 0xFFFF;
        if (!started) {
            started = true;
            initSeq(seq);
            received = 1;
            updateJitter(rtpTimestamp, arrivalNanos);
            return true;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        boolean advanced = false;
        if (udelta == 0) {
            // duplicate: counted as received, as in A.1
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += RTP_SEQ_MOD;
            }
            maxSeq = seq;
            advanced = true;
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // two sequential packets after a large jump: the source restarted
                initSeq(seq);
                received = 0;
                haveTransit = false;
                advanced = true;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                drops.count(FeedbackDrop.STATS_BAD_SEQ);
                return false;
            }
        }
        // else: reordered within MAX_MISORDER
        received++;
        if (advanced) {
            updateJitter(rtpTimestamp, arrivalNanos);
        }
        return true;
    }

    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = RTP_SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        if (haveTransit) {
            // D(i,j) = (Rj - Ri) - (Sj - Si), in timestamp units (RFC 3550 6.4.1)
            long dn = Math.max(-MAX_ARRIVAL_GAP_NANOS, Math.min(MAX_ARRIVAL_GAP_NANOS, arrivalNanos - lastArrivalNanos));
            long arrivalTicks = Math.floorDiv(dn * clockRate, 1_000_000_000L);
            long d = arrivalTicks - (int) (rtpTimestamp - lastRtpTimestamp);
            if (d < 0) {
                d = -d;
            }
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        haveTransit = true;
        lastArrivalNanos = arrivalNanos;
        lastRtpTimestamp = rtpTimestamp;
    }

    /**
     * Notes a sender report from this stream's source: its 64-bit NTP timestamp gives LSR (the middle 32
     * bits) and the arrival time starts DLSR.
     */
    public void onSenderReport(long ntpTimestamp, long nowNanos) {
        haveSr = true;
        lastSr = (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
        lastSrNanos = nowNanos;
    }

    /**
     * Appends this stream's report block (RFC 3550 section 6.4.1) to the SR or RR whose header is at
     * {@code buf[off]} (see {@link ReportBlock#append}), and starts a new interval for the fraction lost.
     *
     * @return the SR/RR's new length, or -1 (nothing changed) if no packet was received yet, the packet
     *     already has 31 blocks or the block does not fit
     */
    public int writeReportBlock(byte[] buf, int off, int mediaSsrc, long nowNanos) {
        if (!started) {
            return -1;
        }
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction;
        if (expectedInterval == 0 || lostInterval <= 0) {
            fraction = 0;
        } else {
            fraction = (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        }
        int len = ReportBlock.append(buf, off, mediaSsrc, fraction, cumulativeLost(), extendedHighestSequence(),
                jitter(), haveSr ? lastSr : 0, haveSr ? delaySinceLastSr(nowNanos) : 0);
        if (len < 0) {
            return -1;
        }
        expectedPrior = expected;
        receivedPrior = received;
        lastFractionLost = fraction;
        return len;
    }

    private long delaySinceLastSr(long nowNanos) {
        long d = Math.max(0, nowNanos - lastSrNanos);
        // units of 1/65536 s; saturate at 2^32-1 (18 hours)
        if (d >= (0xFFFFFFFFL * 1_000_000_000L) >>> 16) {
            return 0xFFFFFFFFL;
        }
        return (d << 16) / 1_000_000_000L;
    }

    private long expected() {
        return cycles + maxSeq - baseSeq + 1;
    }

    /** Cycles and highest sequence number, as in the report block (low 32 bits). */
    public long extendedHighestSequence() {
        return (cycles + maxSeq) & 0xFFFFFFFFL;
    }

    /** Expected minus received, clamped to the signed 24 bits of the report block. */
    public int cumulativeLost() {
        long lost = started ? expected() - received : 0;
        return (int) Math.max(-0x800000, Math.min(0x7FFFFF, lost));
    }

    /** Interarrival jitter in timestamp units, as reported. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /** Packets received (duplicates included, as in RFC 3550 A.3). */
    public long received() {
        return received;
    }

    /** The fraction lost (0..255) of the last written report block. */
    public int lastFractionLost() {
        return lastFractionLost;
    }

    public int clockRate() {
        return clockRate;
    }

    public DropCounter<FeedbackDrop> drops() {
        return drops;
    }
}
