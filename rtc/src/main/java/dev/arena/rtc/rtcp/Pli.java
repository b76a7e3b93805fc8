package dev.arena.rtc.rtcp;

/**
 * Picture loss indication, PT 206 FMT 1 (RFC 4585 section 6.3.1): the common feedback header only
 * (length field 2, no FCI).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |    PT=206     |          length=2             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.3.1">RFC 4585 section 6.3.1</a>
 */
public final class Pli extends FeedbackPacket {
    public static final int LENGTH = 12;

    @Override
    protected boolean accepts(int pt, int count) {
        return pt == PT_PSFB && count == FMT_PLI;
    }

    @Override
    protected RtcpDrop parse() {
        return contentEnd - off < FIXED_LENGTH ? RtcpDrop.TOO_SHORT : null;
    }

    /**
     * Writes a PLI asking {@code mediaSsrc}'s sender for a keyframe.
     *
     * @return 12, or -1 if it does not fit
     */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc) {
        if (!Be.fits(buf, off, LENGTH)) {
            return -1;
        }
        writeFeedbackHeader(buf, off, FMT_PLI, PT_PSFB, LENGTH, senderSsrc, mediaSsrc);
        return LENGTH;
    }
}
