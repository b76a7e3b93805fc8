package dev.arena.rtc.feedback;

import dev.arena.rtc.rtp.SequenceNumbers;
import dev.arena.rtc.util.DropCounter;

/**
 * Recently sent RTP packets of one track, kept for retransmission on NACK (RFC 4585 section 6.2.1,
 * RFC 4588). One preallocated flat buffer of {@code capacity} slots of {@code maxPacketSize} bytes; slot =
 * {@code seq & (capacity - 1)}, so a packet is overwritten by the one {@code capacity} sequence numbers later.
 * A packet is returned only while its slot still holds it and it is younger than {@code maxAgeNanos}.
 *
 * <p>Video default ({@link #forVideo}): 1024 packets x 1500 bytes and 1 s, i.e. 1,536,000 bytes of slots plus
 * 16 KiB of bookkeeping, about 1.5 MiB per video track; 1024 slots hold at least 1 s up to 1024 packets/s
 * (about 9.8 Mbit/s of 1200-byte packets).
 *
 * <p>Single-threaded: owned by the event loop of its track. No allocation after construction.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1">RFC 4585 section 6.2.1</a>
 */
public final class PacketHistory {
    public static final int VIDEO_CAPACITY = 1024;
    public static final int VIDEO_MAX_PACKET_SIZE = 1500;
    public static final long VIDEO_MAX_AGE_NANOS = 1_000_000_000L;
    private static final int MIN_RTP_LENGTH = 12;

    private final int mask;
    private final int maxPacketSize;
    private final long maxAgeNanos;
    private final byte[] data;
    private final int[] lengths;
    /** Sequence number in each slot, -1 if empty. */
    private final int[] seqs;
    private final long[] storedAt;
    private final DropCounter<FeedbackDrop> drops;

    public PacketHistory(int capacity, int maxPacketSize, long maxAgeNanos, DropCounter<FeedbackDrop> drops) {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0 || capacity > 65536) {
            throw new IllegalArgumentException("capacity must be a power of two up to 65536: " + capacity);
        }
        if (maxPacketSize < MIN_RTP_LENGTH || maxAgeNanos <= 0) {
            throw new IllegalArgumentException("bad maxPacketSize or maxAgeNanos");
        }
        this.mask = capacity - 1;
        this.maxPacketSize = maxPacketSize;
        this.maxAgeNanos = maxAgeNanos;
        this.data = new byte[Math.multiplyExact(capacity, maxPacketSize)];
        this.lengths = new int[capacity];
        this.seqs = new int[capacity];
        this.storedAt = new long[capacity];
        java.util.Arrays.fill(seqs, -1);
        this.drops = drops != null ? drops : new DropCounter<>(FeedbackDrop.class);
    }

    public PacketHistory(int capacity, int maxPacketSize, long maxAgeNanos) {
        this(capacity, maxPacketSize, maxAgeNanos, null);
    }

    /** 1024 x 1500 bytes, 1 s (about 1.5 MiB). */
    public static PacketHistory forVideo(DropCounter<FeedbackDrop> drops) {
        return new PacketHistory(VIDEO_CAPACITY, VIDEO_MAX_PACKET_SIZE, VIDEO_MAX_AGE_NANOS, drops);
    }

    /**
     * Copies the plain (unprotected) RTP packet {@code buf[off, off+len)} with sequence number {@code seq}
     * into its slot.
     *
     * @return false (counted) if it does not fit a slot, or a newer packet already holds the slot
     */
    public boolean store(byte[] buf, int off, int len, int seq, long nowNanos) {
        if (len < MIN_RTP_LENGTH || len > maxPacketSize) {
            drops.count(FeedbackDrop.HISTORY_BAD_LENGTH);
            return false;
        }
        seq &= 0xFFFF;
        int slot = seq & mask;
        int old = seqs[slot];
        if (old >= 0 && old != seq && SequenceNumbers.isNewer(old, seq)
                && nowNanos - storedAt[slot] <= maxAgeNanos) {
            drops.count(FeedbackDrop.HISTORY_STALE);
            return false;
        }
        System.arraycopy(buf, off, data, slot * maxPacketSize, len);
        lengths[slot] = len;
        seqs[slot] = seq;
        storedAt[slot] = nowNanos;
        return true;
    }

    /**
     * Copies the packet with sequence number {@code seq} to {@code dst[dstOff]}.
     *
     * @return its length, or -1 if it is missing, overwritten, older than the maximum age, or does not fit
     */
    public int copyOut(int seq, byte[] dst, int dstOff, long nowNanos) {
        int slot = seq & mask;
        if (seqs[slot] != (seq & 0xFFFF) || nowNanos - storedAt[slot] > maxAgeNanos) {
            return -1;
        }
        int len = lengths[slot];
        if (dstOff < 0 || len > dst.length - dstOff) {
            return -1;
        }
        System.arraycopy(data, slot * maxPacketSize, dst, dstOff, len);
        return len;
    }

    /** Whether {@link #copyOut} would find {@code seq} now. */
    public boolean contains(int seq, long nowNanos) {
        int slot = seq & mask;
        return seqs[slot] == (seq & 0xFFFF) && nowNanos - storedAt[slot] <= maxAgeNanos;
    }

    public int capacity() {
        return mask + 1;
    }

    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** Bytes held by the slots and bookkeeping arrays. */
    public long memoryBytes() {
        return (long) data.length + (long) (mask + 1) * (4 + 4 + 8);
    }

    public DropCounter<FeedbackDrop> drops() {
        return drops;
    }

    /** Forgets every packet. */
    public void clear() {
        java.util.Arrays.fill(seqs, -1);
    }
}
