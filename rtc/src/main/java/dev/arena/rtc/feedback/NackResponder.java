package dev.arena.rtc.feedback;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.util.DropCounter;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;

/**
 * Answers a subscriber's generic NACK (RFC 4585 section 6.2.1) from a track's {@link PacketHistory}: each
 * requested packet that is still there goes to the {@link RetransmitSink} once, as the publisher sent it: the sink
 * (the room's {@code Forwarder.retransmit}) rewrites it for the subscriber and wraps it as RTX (RFC 4588) when the
 * subscriber negotiated RTX. A sequence number sent less than {@code suppressNanos} ago is not sent again (a NACK
 * repeated before the retransmission could arrive).
 *
 * <p>The NACK names the subscriber's (rewritten) sequence numbers; the caller maps them to the track's
 * with {@code outToIn} (returning -1 when there is no such packet).
 *
 * <p>Single-threaded: owned by the event loop of the subscriber. No allocation per NACK: the packet is
 * copied into one preallocated scratch buffer that the sink must consume before returning.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1">RFC 4585 section 6.2.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4588#section-4">RFC 4588 section 4</a>
 */
public final class NackResponder {
    /** Default: do not resend the same sequence number within 100 ms. */
    public static final long DEFAULT_SUPPRESS_NANOS = 100_000_000L;

    /** Receives each retransmission; {@code buf} is reused after the call returns. */
    @FunctionalInterface
    public interface RetransmitSink {
        void retransmit(byte[] buf, int off, int len);
    }

    private final PacketHistory history;
    private final RetransmitSink sink;
    private final long suppressNanos;
    private final DropCounter<FeedbackDrop> drops;
    private final byte[] scratch;
    private final int[] sentSeq;
    private final long[] sentAt;
    private final int sentMask;
    private final IntConsumer onLost = this::onLost;

    private IntUnaryOperator outToIn;
    private long now;

    private long requested;
    private long sent;
    private long missing;
    private long suppressed;

    public NackResponder(PacketHistory history, RetransmitSink sink, long suppressNanos, DropCounter<FeedbackDrop> drops) {
        this.history = history;
        this.sink = sink;
        this.suppressNanos = suppressNanos;
        this.drops = drops != null ? drops : new DropCounter<>(FeedbackDrop.class);
        this.scratch = new byte[history.maxPacketSize()];
        int n = history.capacity();
        this.sentSeq = new int[n];
        this.sentAt = new long[n];
        this.sentMask = n - 1;
        java.util.Arrays.fill(sentSeq, -1);
    }

    public NackResponder(PacketHistory history, RetransmitSink sink) {
        this(history, sink, DEFAULT_SUPPRESS_NANOS, null);
    }

    /**
     * Retransmits what {@code nack} asks for.
     *
     * @param outToIn maps a subscriber sequence number to the track's, or -1 if unknown
     * @return the number of packets sent for this NACK
     */
    public int onNack(Nack nack, IntUnaryOperator outToIn, long nowNanos) {
        long before = sent;
        this.outToIn = outToIn;
        this.now = nowNanos;
        nack.forEachLost(onLost);
        this.outToIn = null;
        return (int) (sent - before);
    }

    /** Retransmits one packet, named by the subscriber's sequence number (already mapped by {@code outToIn}). */
    public boolean onLost(int outSeq, int inSeq, long nowNanos) {
        requested++;
        return resend(inSeq, nowNanos);
    }

    private void onLost(int outSeq) {
        requested++;
        resend(outToIn.applyAsInt(outSeq), now);
    }

    private boolean resend(int inSeq, long nowNanos) {
        if (inSeq < 0) {
            missing++;
            drops.count(FeedbackDrop.NACK_UNMAPPED);
            return false;
        }
        inSeq &= 0xFFFF;
        int slot = inSeq & sentMask;
        if (sentSeq[slot] == inSeq && nowNanos - sentAt[slot] < suppressNanos) {
            suppressed++;
            drops.count(FeedbackDrop.NACK_SUPPRESSED);
            return false;
        }
        int len = history.copyOut(inSeq, scratch, 0, nowNanos);
        if (len < 0) {
            missing++;
            drops.count(FeedbackDrop.NACK_MISSING);
            return false;
        }
        sentSeq[slot] = inSeq;
        sentAt[slot] = nowNanos;
        sent++;
        sink.retransmit(scratch, 0, len);
        return true;
    }

    /** Sequence numbers asked for (duplicates counted again). */
    public long requested() {
        return requested;
    }

    public long sent() {
        return sent;
    }

    /** Asked for but not in the history (or not mappable). */
    public long missing() {
        return missing;
    }

    /** Asked for again within the suppression interval. */
    public long suppressed() {
        return suppressed;
    }

    public DropCounter<FeedbackDrop> drops() {
        return drops;
    }
}
