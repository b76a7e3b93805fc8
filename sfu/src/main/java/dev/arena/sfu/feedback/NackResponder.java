package dev.arena.sfu.feedback;

import dev.arena.rtc.rtcp.Nack;
import dev.arena.rtc.rtp.RtpPacket;
import dev.arena.rtc.rtp.RtxPacket;
import dev.arena.rtc.rtp.SequenceNumbers;
import dev.arena.rtc.util.DropCounter;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;

/**
 * Answers a subscriber's generic NACK (RFC 4585 section 6.2.1) from a track's {@link PacketHistory}: each
 * requested packet that is still there goes to the {@link RetransmitSink} once, either as is or wrapped
 * in the RTX payload format (RFC 4588 section 4) when an RTX SSRC and payload type are set. A sequence
 * number sent less than {@code suppressNanos} ago is not sent again (a NACK repeated before the
 * retransmission could arrive).
 *
 * <p>The NACK names the subscriber's (rewritten) sequence numbers; the caller maps them to the track's
 * with {@code outToIn} (returning -1 when there is no such packet). An optional {@link Rewriter} turns the
 * track's stored packet into the subscriber's (SSRC, sequence number, timestamp, payload type, extension
 * ids) before RTX wrapping, so that the RTX OSN is the sequence number the subscriber asked for.
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

    /** Rewrites the stored track packet in place into what the subscriber expects for {@code outSeq}. */
    @FunctionalInterface
    public interface Rewriter {
        void rewrite(RtpPacket packet, int outSeq);
    }

    private final PacketHistory history;
    private final RetransmitSink sink;
    private final long suppressNanos;
    private final DropCounter<FeedbackDrop> drops;
    private final byte[] scratch;
    private final byte[] rtxScratch;
    private final RtpPacket view = new RtpPacket();
    private final int[] sentSeq;
    private final long[] sentAt;
    private final int sentMask;
    private final IntConsumer onLost = this::onLost;

    private Rewriter rewriter;
    private boolean rtx;
    private int rtxSsrc;
    private int rtxPayloadType;
    private int rtxSeq;

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
        this.rtxScratch = new byte[history.maxPacketSize() + 2];
        int n = history.capacity();
        this.sentSeq = new int[n];
        this.sentAt = new long[n];
        this.sentMask = n - 1;
        java.util.Arrays.fill(sentSeq, -1);
    }

    public NackResponder(PacketHistory history, RetransmitSink sink) {
        this(history, sink, DEFAULT_SUPPRESS_NANOS, null);
    }

    /** Sends retransmissions as RTX (RFC 4588) on {@code ssrc}/{@code payloadType}, numbering from {@code firstSeq}. */
    public NackResponder enableRtx(int ssrc, int payloadType, int firstSeq) {
        this.rtx = true;
        this.rtxSsrc = ssrc;
        this.rtxPayloadType = payloadType & 0x7F;
        this.rtxSeq = firstSeq & 0xFFFF;
        return this;
    }

    public NackResponder disableRtx() {
        this.rtx = false;
        return this;
    }

    /** Sets the per-subscriber rewriting applied before sending (null: send the stored packet as is). */
    public NackResponder rewriter(Rewriter rewriter) {
        this.rewriter = rewriter;
        return this;
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
        return resend(outSeq & 0xFFFF, inSeq, nowNanos);
    }

    private void onLost(int outSeq) {
        requested++;
        resend(outSeq, outToIn.applyAsInt(outSeq), now);
    }

    private boolean resend(int outSeq, int inSeq, long nowNanos) {
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
        if (rewriter != null || rtx) {
            if (!view.wrap(scratch, 0, len)) {
                missing++;
                drops.count(FeedbackDrop.NACK_MISSING);
                return false;
            }
            if (rewriter != null) {
                rewriter.rewrite(view, outSeq);
            }
        }
        sentSeq[slot] = inSeq;
        sentAt[slot] = nowNanos;
        sent++;
        if (rtx) {
            int rtxLen = RtxPacket.wrap(view, rtxScratch, 0, rtxSsrc, rtxPayloadType, rtxSeq);
            rtxSeq = SequenceNumbers.add(rtxSeq, 1);
            sink.retransmit(rtxScratch, 0, rtxLen);
        } else {
            sink.retransmit(scratch, 0, len);
        }
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

    /** The next RTX sequence number. */
    public int nextRtxSequence() {
        return rtxSeq;
    }

    public DropCounter<FeedbackDrop> drops() {
        return drops;
    }
}
