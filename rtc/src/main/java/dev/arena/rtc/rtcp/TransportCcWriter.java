package dev.arena.rtc.rtcp;

/**
 * Builds transport-wide congestion control feedback ({@link TransportCc},
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1) from received (transport-wide
 * sequence number, arrival time) pairs. Chunks are chosen greedily: a run-length chunk for runs of 14 or
 * more equal symbols, otherwise a one-bit status vector (14 symbols) when no large delta is among them,
 * else a two-bit vector (7 symbols). Padding uses the RTCP P bit, as libwebrtc does.
 *
 * <p>Reusable; keeps one scratch array of packet status symbols (grows to at most 32 KiB, then no more
 * allocation). Not thread-safe.
 */
public final class TransportCcWriter {
    private static final int MAX_RUN = 0x1FFF;

    private byte[] symbols = new byte[256];
    private int written;

    /**
     * Writes one feedback packet for the received packets {@code seqs[from, from+count)} with their arrival
     * times {@code arrivalMicros[...]} (microseconds, any time base). Sequence numbers must be strictly
     * increasing (wraparound aware, so they span less than 32768); the gaps between them are reported as not
     * received. Stops early, reporting fewer packets, when the packet would exceed {@code maxLength} or a
     * delta does not fit 16 signed bits of 250 us ticks; {@link #written()} tells how many pairs went in.
     *
     * @return the packet length, or -1 if count is 0 or not even one packet fits
     * @throws IllegalArgumentException if the sequence numbers are not strictly increasing
     */
    public int write(byte[] buf, int off, int maxLength, int senderSsrc, int mediaSsrc, int feedbackPacketCount,
                     int[] seqs, long[] arrivalMicros, int from, int count) {
        written = 0;
        if (count <= 0 || maxLength < TransportCc.FIXED_LENGTH + 4) {
            return -1;
        }
        maxLength = Math.min(maxLength, Be.fits(buf, off, 0) ? buf.length - off : 0);
        int base = seqs[from] & 0xFFFF;
        long refUnits = Math.floorDiv(arrivalMicros[from], TransportCc.REFERENCE_TICK_US);
        long refUs = refUnits * TransportCc.REFERENCE_TICK_US;

        // symbols of the longest representable prefix
        int usable = 0;
        int prevIdx = -1;
        long prevTick = 0;
        for (int i = from; i < from + count; i++) {
            int idx = (short) (seqs[i] - base);
            if (idx <= prevIdx) {
                throw new IllegalArgumentException("sequence numbers must be strictly increasing: " + seqs[i]);
            }
            long tick = Math.floorDiv(arrivalMicros[i] - refUs, TransportCc.DELTA_TICK_US);
            long delta = tick - prevTick;
            int symbol;
            if (delta >= 0 && delta <= 255) {
                symbol = TransportCc.SYMBOL_SMALL_DELTA;
            } else if (delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE) {
                symbol = TransportCc.SYMBOL_LARGE_DELTA;
            } else {
                break;
            }
            ensureSymbols(idx + 1);
            for (int j = prevIdx + 1; j < idx; j++) {
                symbols[j] = TransportCc.SYMBOL_NOT_RECEIVED;
            }
            symbols[idx] = (byte) symbol;
            prevIdx = idx;
            prevTick = tick;
            usable++;
        }

        int k = usable;
        if (length(seqs, from, k, base) > maxLength) {
            int lo = 1;
            int hi = k - 1;
            if (length(seqs, from, 1, base) > maxLength) {
                return -1;
            }
            while (lo < hi) { // invariant: lo fits
                int mid = (lo + hi + 1) >>> 1;
                if (length(seqs, from, mid, base) <= maxLength) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            k = lo;
        }

        int statusCount = ((seqs[from + k - 1] - base) & 0xFFFF) + 1;
        int p = off + TransportCc.FIXED_LENGTH;
        p = encodeChunks(statusCount, buf, p);
        long prev = 0;
        for (int i = from; i < from + k; i++) {
            long tick = Math.floorDiv(arrivalMicros[i] - refUs, TransportCc.DELTA_TICK_US);
            int idx = (seqs[i] - base) & 0xFFFF;
            long delta = tick - prev;
            prev = tick;
            if (symbols[idx] == TransportCc.SYMBOL_SMALL_DELTA) {
                buf[p++] = (byte) delta;
            } else {
                Be.put16(buf, p, (int) delta);
                p += 2;
            }
        }
        int unpadded = p - off;
        int len = (unpadded + 3) & ~3;
        int pad = len - unpadded;
        FeedbackPacket.writeFeedbackHeader(buf, off, RtcpPacket.FMT_TRANSPORT_CC, RtcpPacket.PT_RTPFB, len,
                senderSsrc, mediaSsrc);
        if (pad > 0) {
            for (int i = 0; i < pad - 1; i++) {
                buf[p++] = 0;
            }
            buf[p] = (byte) pad;
            buf[off] |= 0x20;
        }
        Be.put16(buf, off + 12, base);
        Be.put16(buf, off + 14, statusCount);
        Be.put24(buf, off + 16, (int) refUnits);
        buf[off + 19] = (byte) feedbackPacketCount;
        written = k;
        return len;
    }

    /** How many (seq, arrival) pairs the last {@link #write} reported. */
    public int written() {
        return written;
    }

    private int length(int[] seqs, int from, int k, int base) {
        int statusCount = ((seqs[from + k - 1] - base) & 0xFFFF) + 1;
        int deltaBytes = 0;
        for (int i = from; i < from + k; i++) {
            deltaBytes += symbols[(seqs[i] - base) & 0xFFFF];
        }
        int unpadded = TransportCc.FIXED_LENGTH + encodeChunks(statusCount, null, 0) + deltaBytes;
        return (unpadded + 3) & ~3;
    }

    /**
     * Encodes symbols[0, n) as chunks at out[p]; returns the new position, or with out == null the number
     * of bytes the chunks take.
     */
    private int encodeChunks(int n, byte[] out, int p) {
        int bytes = 0;
        int i = 0;
        while (i < n) {
            int s = symbols[i];
            int r = 1;
            while (i + r < n && symbols[i + r] == s && r < MAX_RUN) {
                r++;
            }
            int chunk;
            if (r >= 14 || i + r == n) {
                chunk = (s << 13) | r;
                i += r;
            } else {
                int m = Math.min(14, n - i);
                boolean large = false;
                for (int j = i; j < i + m; j++) {
                    if (symbols[j] == TransportCc.SYMBOL_LARGE_DELTA) {
                        large = true;
                        break;
                    }
                }
                if (!large) {
                    chunk = 0x8000;
                    for (int j = 0; j < m; j++) {
                        chunk |= symbols[i + j] << (13 - j);
                    }
                    i += m;
                } else {
                    m = Math.min(7, n - i);
                    chunk = 0xC000;
                    for (int j = 0; j < m; j++) {
                        chunk |= symbols[i + j] << (12 - 2 * j);
                    }
                    i += m;
                }
            }
            if (out != null) {
                Be.put16(out, p, chunk);
                p += 2;
            }
            bytes += 2;
        }
        return out != null ? p : bytes;
    }

    private void ensureSymbols(int n) {
        if (n > symbols.length) {
            int size = symbols.length;
            while (size < n) {
                size *= 2;
            }
            byte[] bigger = new byte[Math.min(size, 32768)];
            System.arraycopy(symbols, 0, bigger, 0, symbols.length);
            symbols = bigger;
        }
    }
}
