package dev.arena.rtc.rtcp;

/**
 * Transport-wide congestion control feedback, PT 205 FMT 15
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1). Reports, for the transport-wide
 * sequence numbers base .. base+count-1, whether each arrived and when, as packet status chunks followed
 * by receive deltas. {@link #forEachPacket} walks them with a callback, without allocation.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |V=2|P|  FMT=15 |    PT=205     |           length              |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *      0 |                     SSRC of packet sender                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *      4 |                      SSRC of media source                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *      8 |      base sequence number     |      packet status count      |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     12 |                 reference time                | fb pkt. count |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     16 |          packet chunk         |         packet chunk          |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        .                                                               .
 *        |         packet chunk          |  recv delta   |  recv delta   |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        .                                                               .
 *        |           recv delta          |  recv delta   | zero padding  |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * run length chunk:    |0| S |       run length (13)       |
 * status vector chunk: |1|0|   14 one-bit symbols (0 lost, 1 small delta)     |
 *                      |1|1|   7 two-bit symbols                              |
 * symbols: 00 not received, 01 received with a small delta (1 byte, unsigned),
 *          10 received with a large or negative delta (2 bytes, signed), 11 reserved.
 * </pre>
 *
 * Deltas count 250 microsecond ticks; the reference time counts 64 ms. Arrival times reported by
 * {@link #forEachPacket} are {@code referenceTime() * 64000 + sum of deltas} microseconds, so they share
 * the time base of the feedback's sender (callers unwrap the 24-bit reference time across feedbacks).
 * Like libwebrtc, a feedback with a status count of 0 or a reserved symbol (11) for a reported packet is
 * rejected; trailing bytes after the deltas (zero padding) are ignored.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-3.1">draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1</a>
 */
public final class TransportCc extends FeedbackPacket {
    /** Header, SSRCs, base/count, reference time/fb count. */
    public static final int FIXED_LENGTH = 20;
    public static final int SYMBOL_NOT_RECEIVED = 0;
    public static final int SYMBOL_SMALL_DELTA = 1;
    public static final int SYMBOL_LARGE_DELTA = 2;
    /** One delta tick in microseconds. */
    public static final int DELTA_TICK_US = 250;
    /** One reference time unit in microseconds. */
    public static final int REFERENCE_TICK_US = 64_000;

    /** Receives one reported packet. */
    @FunctionalInterface
    public interface PacketVisitor {
        /**
         * @param seq            transport-wide sequence number (0..65535)
         * @param received       false if reported lost
         * @param arrivalMicros  arrival time in microseconds (see class doc); 0 if not received
         */
        void onPacket(int seq, boolean received, long arrivalMicros);
    }

    private int deltasOffset;
    private int receivedCount;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_RTPFB && count == FMT_TRANSPORT_CC;
    }

    @Override
    protected RtcpDrop parse() {
        if (contentEnd - off < FIXED_LENGTH) {
            return RtcpDrop.TOO_SHORT;
        }
        int remaining = packetStatusCount();
        if (remaining == 0) {
            return RtcpDrop.BAD_TWCC;
        }
        int p = off + FIXED_LENGTH;
        int deltaBytes = 0;
        int received = 0;
        while (remaining > 0) {
            if (p + 2 > contentEnd) {
                return RtcpDrop.BAD_TWCC;
            }
            int chunk = Be.u16(buf, p);
            p += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 3;
                int n = Math.min(chunk & 0x1FFF, remaining);
                if (symbol == 3 && n > 0) {
                    return RtcpDrop.BAD_TWCC;
                }
                deltaBytes += symbol * n;
                if (symbol != 0) {
                    received += n;
                }
                remaining -= n;
            } else if ((chunk & 0x4000) == 0) {
                int n = Math.min(14, remaining);
                int ones = Integer.bitCount((chunk & 0x3FFF) >>> (14 - n));
                deltaBytes += ones;
                received += ones;
                remaining -= n;
            } else {
                int n = Math.min(7, remaining);
                for (int i = 0; i < n; i++) {
                    int symbol = (chunk >>> (12 - 2 * i)) & 3;
                    if (symbol == 3) {
                        return RtcpDrop.BAD_TWCC;
                    }
                    deltaBytes += symbol;
                    if (symbol != 0) {
                        received++;
                    }
                }
                remaining -= n;
            }
        }
        if (deltaBytes > contentEnd - p) {
            return RtcpDrop.BAD_TWCC;
        }
        deltasOffset = p;
        receivedCount = received;
        return null;
    }

    public int baseSequenceNumber() {
        return Be.u16(buf, off + 12);
    }

    public int packetStatusCount() {
        return Be.u16(buf, off + 14);
    }

    /** The 24-bit reference time field, in units of 64 ms (0..2^24-1). */
    public int referenceTime() {
        return Be.u24(buf, off + 16);
    }

    /** The feedback packet count (0..255). */
    public int feedbackPacketCount() {
        return Be.u8(buf, off + 19);
    }

    /** Number of packets reported as received. */
    public int receivedCount() {
        return receivedCount;
    }

    /** Calls {@code visitor} for each of the {@link #packetStatusCount()} packets, in order. */
    public void forEachPacket(PacketVisitor visitor) {
        int remaining = packetStatusCount();
        int seq = baseSequenceNumber();
        int p = off + FIXED_LENGTH;
        int dp = deltasOffset;
        long time = (long) referenceTime() * REFERENCE_TICK_US;
        while (remaining > 0) {
            int chunk = Be.u16(buf, p);
            p += 2;
            int n;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 3;
                n = Math.min(chunk & 0x1FFF, remaining);
                for (int i = 0; i < n; i++) {
                    if (symbol == SYMBOL_NOT_RECEIVED) {
                        visitor.onPacket(seq, false, 0);
                    } else if (symbol == SYMBOL_SMALL_DELTA) {
                        time += (long) (buf[dp++] & 0xFF) * DELTA_TICK_US;
                        visitor.onPacket(seq, true, time);
                    } else {
                        time += (long) (short) Be.u16(buf, dp) * DELTA_TICK_US;
                        dp += 2;
                        visitor.onPacket(seq, true, time);
                    }
                    seq = (seq + 1) & 0xFFFF;
                }
            } else if ((chunk & 0x4000) == 0) {
                n = Math.min(14, remaining);
                for (int i = 0; i < n; i++) {
                    if ((chunk & (1 << (13 - i))) != 0) {
                        time += (long) (buf[dp++] & 0xFF) * DELTA_TICK_US;
                        visitor.onPacket(seq, true, time);
                    } else {
                        visitor.onPacket(seq, false, 0);
                    }
                    seq = (seq + 1) & 0xFFFF;
                }
            } else {
                n = Math.min(7, remaining);
                for (int i = 0; i < n; i++) {
                    int symbol = (chunk >>> (12 - 2 * i)) & 3;
                    if (symbol == SYMBOL_NOT_RECEIVED) {
                        visitor.onPacket(seq, false, 0);
                    } else if (symbol == SYMBOL_SMALL_DELTA) {
                        time += (long) (buf[dp++] & 0xFF) * DELTA_TICK_US;
                        visitor.onPacket(seq, true, time);
                    } else {
                        time += (long) (short) Be.u16(buf, dp) * DELTA_TICK_US;
                        dp += 2;
                        visitor.onPacket(seq, true, time);
                    }
                    seq = (seq + 1) & 0xFFFF;
                }
            }
            remaining -= n;
        }
    }
}
