package dev.arena.bots.peer;

import dev.arena.bots.media.MediaKind;
import dev.arena.rtc.codec.Vp8;
import dev.arena.rtc.feedback.FeedbackDrop;
import dev.arena.rtc.feedback.KeyframeRequestThrottle;
import dev.arena.rtc.feedback.NackGenerator;
import dev.arena.rtc.feedback.ReceiveStatistics;
import dev.arena.rtc.rtp.SequenceNumbers;
import dev.arena.rtc.util.DropCounter;

/**
 * One remote media SSRC as a browser receives it: unique packets (a bitmap window drops duplicates), the extended
 * highest sequence number, loss after retransmission, RFC 3550 jitter and report blocks ({@link ReceiveStatistics}),
 * NACKs for gaps ({@link NackGenerator}, when negotiated) and keyframe requests (VP8: none seen yet, or a gap that
 * NACKs could not repair; {@link KeyframeRequestThrottle}). RTX packets arrive here unwrapped to their original
 * sequence number.
 *
 * <p>Single-threaded: the bot's loop. No allocation per packet.
 */
final class ReceiveStream {
    /** Sequence numbers remembered for duplicate detection (a power of two). */
    private static final int WINDOW = 1024;

    final int ssrc;
    final MediaKind kind;
    private final int clockRate;
    private final ReceiveStatistics statistics;
    private final NackGenerator nacks;
    private final DropCounter<FeedbackDrop> drops = new DropCounter<>(FeedbackDrop.class);
    private final KeyframeRequestThrottle keyframes;
    private final SequenceNumbers.Unwrapper unwrapper = new SequenceNumbers.Unwrapper();
    private final long[] seen = new long[WINDOW / 64];
    private long highest = -1;
    private long lowest = -1;
    private boolean keyframeSeen;
    private boolean keyframeNeeded;
    private long unrepairableSeen;

    long packets;
    long bytes;
    long rtxRepaired;
    long duplicates;

    ReceiveStream(int ssrc, MediaKind kind, boolean nack, boolean pli) {
        this.ssrc = ssrc;
        this.kind = kind;
        this.clockRate = kind == MediaKind.AUDIO ? 48000 : 90000;
        this.statistics = new ReceiveStatistics(clockRate, drops);
        this.nacks = nack ? new NackGenerator(NackGenerator.DEFAULT_MAX_MISSING, NackGenerator.DEFAULT_MAX_RETRIES,
                NackGenerator.DEFAULT_RETRY_INTERVAL_NANOS, NackGenerator.DEFAULT_MAX_AGE_NANOS, drops) : null;
        this.keyframes = pli && kind == MediaKind.VIDEO ? new KeyframeRequestThrottle() : null;
    }

    /**
     * One packet of this stream (an RTX packet with its original sequence number).
     *
     * @return false if it was a duplicate (or too old to tell), and counted nothing
     */
    boolean onPacket(int seq, long rtpTimestamp, int length, byte[] payload, int payloadOffset, int payloadLength,
                     boolean retransmission, long now) {
        long ext = unwrapper.unwrap(seq);
        if (!markSeen(ext)) {
            duplicates++;
            return false;
        }
        packets++;
        bytes += length;
        if (retransmission) {
            rtxRepaired++;
        }
        statistics.onPacket(seq, rtpTimestamp, now);
        if (nacks != null) {
            nacks.onPacket(seq, now);
        }
        if (keyframes != null && Vp8.isKeyframeStart(payload, payloadOffset, payloadLength)) {
            keyframeSeen = true;
            keyframeNeeded = false;
            keyframes.onKeyframe();
        }
        return true;
    }

    /** Sets the bit of {@code ext}; false if it was set already or lies before the window. */
    private boolean markSeen(long ext) {
        if (highest < 0) {
            highest = ext;
            lowest = ext;
            setBit(ext);
            return true;
        }
        if (ext > highest) {
            long advance = ext - highest;
            if (advance >= WINDOW) {
                java.util.Arrays.fill(seen, 0L);
            } else {
                for (long e = highest + 1; e < ext; e++) {
                    clearBit(e);
                }
            }
            highest = ext;
            setBit(ext);
            return true;
        }
        if (ext <= highest - WINDOW) {
            return false;
        }
        int i = (int) (ext & (WINDOW - 1));
        if ((seen[i >>> 6] & (1L << i)) != 0) {
            return false;
        }
        seen[i >>> 6] |= 1L << i;
        lowest = Math.min(lowest, ext);
        return true;
    }

    private void setBit(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        seen[i >>> 6] |= 1L << i;
    }

    private void clearBit(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        seen[i >>> 6] &= ~(1L << i);
    }

    /** Highest extended sequence number - first + 1, 0 before any packet. */
    long expected() {
        return highest < 0 ? 0 : highest - lowest + 1;
    }

    /** Expected minus received: loss after retransmission. */
    long lost() {
        return Math.max(0, expected() - packets);
    }

    long jitterMicros() {
        return statistics.jitter() * 1_000_000L / clockRate;
    }

    void onSenderReport(long ntp, long now) {
        statistics.onSenderReport(ntp, now);
    }

    int writeReportBlock(byte[] buf, int off, long now) {
        return statistics.writeReportBlock(buf, off, ssrc, now);
    }

    /** Writes a NACK for the packets due for a (re)request; 0 when none. */
    int pollNack(long now, byte[] buf, int off, int senderSsrc) {
        return nacks == null ? 0 : nacks.poll(now, buf, off, senderSsrc, ssrc);
    }

    /**
     * Whether to send a PLI now: no keyframe seen yet, or the NACK generator gave up on a packet since (a frame
     * cannot be decoded); throttled to one per 500 ms until a keyframe arrives.
     */
    boolean keyframeRequestDue(long now) {
        if (keyframes == null || packets == 0) {
            return false;
        }
        long unrepairable = drops.get(FeedbackDrop.NACK_GAVE_UP) + drops.get(FeedbackDrop.NACK_EXPIRED)
                + drops.get(FeedbackDrop.NACK_LIST_OVERFLOW) + drops.get(FeedbackDrop.NACK_SEQUENCE_JUMP);
        if (unrepairable != unrepairableSeen) {
            unrepairableSeen = unrepairable;
            keyframeNeeded = true;
        }
        if (!keyframeSeen || keyframeNeeded) {
            return keyframes.pending() ? keyframes.poll(now) : keyframes.tryRequest(now);
        }
        return false;
    }
}
