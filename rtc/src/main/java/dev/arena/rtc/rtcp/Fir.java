package dev.arena.rtc.rtcp;

/**
 * Full intra request, PT 206 FMT 4 (RFC 5104 section 4.3.1): the media source SSRC is 0 and each FCI
 * entry names the SSRC asked for a decoder refresh and a command sequence number.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=4  |    PT=206     |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             SSRC of media source (unused, 0)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              SSRC                             |  (one or more)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Seq nr.       |    Reserved                                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4.3.1">RFC 5104 section 4.3.1</a>
 */
public final class Fir extends FeedbackPacket {
    public static final int ENTRY_LENGTH = 8;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_PSFB && count == FMT_FIR;
    }

    @Override
    protected RtcpDrop parse() {
        int fci = contentEnd - off - FIXED_LENGTH;
        if (fci < 0) {
            return RtcpDrop.TOO_SHORT;
        }
        if (fci < ENTRY_LENGTH || fci % ENTRY_LENGTH != 0) {
            return RtcpDrop.BAD_FCI;
        }
        return null;
    }

    public int entryCount() {
        return fciLength() / ENTRY_LENGTH;
    }

    /** SSRC of the media sender asked for an intra frame, entry {@code i}. */
    public int entrySsrc(int i) {
        return Be.i32(buf, fciOffset() + ENTRY_LENGTH * i);
    }

    /** Command sequence number of entry {@code i} (0..255). */
    public int entrySequenceNumber(int i) {
        return Be.u8(buf, fciOffset() + ENTRY_LENGTH * i + 4);
    }

    /**
     * Writes a FIR with one entry.
     *
     * @return 20, or -1 if it does not fit
     */
    public static int write(byte[] buf, int off, int senderSsrc, int targetSsrc, int sequenceNumber) {
        int len = FIXED_LENGTH + ENTRY_LENGTH;
        if (!Be.fits(buf, off, len)) {
            return -1;
        }
        writeFeedbackHeader(buf, off, FMT_FIR, PT_PSFB, len, senderSsrc, 0);
        Be.put32(buf, off + 12, targetSsrc);
        Be.put32(buf, off + 16, (sequenceNumber & 0xFF) << 24);
        return len;
    }
}
