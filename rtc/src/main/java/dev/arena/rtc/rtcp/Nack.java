package dev.arena.rtc.rtcp;

import dev.arena.rtc.rtp.SequenceNumbers;
import java.util.function.IntConsumer;

/**
 * Generic NACK, PT 205 FMT 1 (RFC 4585 section 6.2.1): each FCI entry names a lost packet (PID) and a
 * bitmask of the 16 following (BLP: bit i set means PID+i+1 is lost too). {@link #forEachLost} walks the
 * lost sequence numbers with a callback instead of building a list.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |    PT=205     |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |  (one or more)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1">RFC 4585 section 6.2.1</a>
 */
public final class Nack extends FeedbackPacket {
    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_RTPFB && count == FMT_NACK;
    }

    @Override
    protected RtcpDrop parse() {
        int fci = contentEnd - off - FIXED_LENGTH;
        if (fci < 0) {
            return RtcpDrop.TOO_SHORT;
        }
        if (fci < 4 || (fci & 3) != 0) {
            return RtcpDrop.BAD_FCI;
        }
        return null;
    }

    /** Number of PID/BLP entries. */
    public int entryCount() {
        return fciLength() / 4;
    }

    public int pid(int i) {
        return Be.u16(buf, fciOffset() + 4 * i);
    }

    public int blp(int i) {
        return Be.u16(buf, fciOffset() + 4 * i + 2);
    }

    /** Calls {@code lost} with every lost sequence number, in packet order. */
    public void forEachLost(IntConsumer lost) {
        for (int i = 0, n = entryCount(); i < n; i++) {
            int pid = pid(i);
            int blp = blp(i);
            lost.accept(pid);
            for (int b = 0; b < 16; b++) {
                if ((blp & (1 << b)) != 0) {
                    lost.accept((pid + b + 1) & 0xFFFF);
                }
            }
        }
    }

    /** Number of lost sequence numbers named (duplicates across entries counted again). */
    public int lostCount() {
        int c = 0;
        for (int i = 0, n = entryCount(); i < n; i++) {
            c += 1 + Integer.bitCount(blp(i));
        }
        return c;
    }

    /** Upper bound of the length {@link #write} needs for {@code n} sequence numbers. */
    public static int maxLength(int n) {
        return FIXED_LENGTH + 4 * Math.max(1, n);
    }

    /**
     * Writes a generic NACK for the lost sequence numbers {@code seqs[from, from+n)}, packing each into the
     * entry of a PID up to 16 before it. Sorted input (in sequence-number order, wraparound aware) gives
     * the fewest entries; any order is correct.
     *
     * @return the length, or -1 if n is 0 or it does not fit
     */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, int[] seqs, int from, int n) {
        if (n <= 0 || !Be.fits(buf, off, FIXED_LENGTH + 4)) {
            return -1;
        }
        int p = off + FIXED_LENGTH;
        int pid = -1;
        int blp = 0;
        for (int i = from; i < from + n; i++) {
            int s = seqs[i] & 0xFFFF;
            int d = pid < 0 ? -1 : SequenceNumbers.diff(s, pid);
            if (d == 0) {
                continue;
            }
            if (d >= 1 && d <= 16) {
                blp |= 1 << (d - 1);
                continue;
            }
            if (pid >= 0) {
                if (!Be.fits(buf, p, 8)) {
                    return -1;
                }
                Be.put16(buf, p, pid);
                Be.put16(buf, p + 2, blp);
                p += 4;
            }
            pid = s;
            blp = 0;
        }
        if (!Be.fits(buf, p, 4)) {
            return -1;
        }
        Be.put16(buf, p, pid);
        Be.put16(buf, p + 2, blp);
        p += 4;
        int len = p - off;
        writeFeedbackHeader(buf, off, FMT_NACK, PT_RTPFB, len, senderSsrc, mediaSsrc);
        return len;
    }
}
