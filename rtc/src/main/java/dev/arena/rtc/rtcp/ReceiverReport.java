package dev.arena.rtc.rtcp;

/**
 * Receiver report, PT 201 (RFC 3550 section 6.4.2): the reporter's SSRC and RC report blocks; append
 * blocks with {@link ReportBlock#append}. The report blocks are read through {@link ReportPacket}.
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
public final class ReceiverReport extends ReportPacket {
    /** Header and reporter SSRC. */
    public static final int FIXED_LENGTH = 8;

    public ReceiverReport() {
        super(PT_RR, FIXED_LENGTH);
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
        writeReportHeader(buf, off, PT_RR, FIXED_LENGTH, senderSsrc);
        return FIXED_LENGTH;
    }
}
