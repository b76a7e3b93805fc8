package dev.arena.rtc.rtcp;

/**
 * Receiver report, PT 201 (RFC 3550 section 6.4.2): the reporter's SSRC and RC report blocks; append
 * blocks with {@link ReportBlock#append}. Profile-specific extensions after the blocks are tolerated.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=RR=201   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     SSRC of packet sender                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                 report blocks (RC x 24 bytes)                 |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.2">RFC 3550 section 6.4.2</a>
 */
public final class ReceiverReport extends RtcpPacket {
    /** Header and reporter SSRC. */
    public static final int FIXED_LENGTH = 8;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_RR;
    }

    @Override
    protected RtcpDrop parse() {
        if (contentEnd - off < FIXED_LENGTH) {
            return RtcpDrop.TOO_SHORT;
        }
        if (FIXED_LENGTH + ReportBlock.LENGTH * count() > contentEnd - off) {
            return RtcpDrop.TRUNCATED;
        }
        return null;
    }

    public int senderSsrc() {
        return Be.i32(buf, off + 4);
    }

    public int reportCount() {
        return count();
    }

    /** Points {@code into} at report block {@code i} and returns it. */
    public ReportBlock reportBlock(int i, ReportBlock into) {
        if (i < 0 || i >= count()) {
            throw new IndexOutOfBoundsException(i);
        }
        return into.wrap(buf, off + FIXED_LENGTH + ReportBlock.LENGTH * i);
    }

    /**
     * Writes an RR without report blocks (8 bytes); append blocks with {@link ReportBlock#append}.
     *
     * @return 8, or -1 if it does not fit
     */
    public static int write(byte[] buf, int off, int senderSsrc) {
        if (!Be.fits(buf, off, FIXED_LENGTH)) {
            return -1;
        }
        writeHeader(buf, off, 0, PT_RR, FIXED_LENGTH);
        Be.put32(buf, off + 4, senderSsrc);
        return FIXED_LENGTH;
    }
}
