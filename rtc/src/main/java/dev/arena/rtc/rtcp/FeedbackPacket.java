package dev.arena.rtc.rtcp;

/**
 * Common part of the RTCP feedback messages (RFC 4585 section 6.1): FMT in the count field, PT 205
 * (transport layer) or 206 (payload-specific), then the packet sender's and the media source's SSRC,
 * then the feedback control information (FCI).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   FMT   |       PT      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :            Feedback Control Information (FCI)                 :
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.1">RFC 4585 section 6.1</a>
 */
public abstract class FeedbackPacket extends RtcpPacket {
    /** Header and the two SSRCs. */
    public static final int FIXED_LENGTH = 12;

    /** The FMT field (same bits as {@link #count()}). */
    public final int fmt() {
        return count();
    }

    public final int senderSsrc() {
        return Be.i32(buf, off + 4);
    }

    public final int mediaSsrc() {
        return Be.i32(buf, off + 8);
    }

    /** Absolute offset of the FCI. */
    public final int fciOffset() {
        return off + FIXED_LENGTH;
    }

    /** FCI length without padding. */
    public final int fciLength() {
        return contentEnd - off - FIXED_LENGTH;
    }

    static void writeFeedbackHeader(byte[] buf, int off, int fmt, int pt, int totalLength, int senderSsrc, int mediaSsrc) {
        writeHeader(buf, off, fmt, pt, totalLength);
        Be.put32(buf, off + 4, senderSsrc);
        Be.put32(buf, off + 8, mediaSsrc);
    }

    /** A feedback message of a type without its own view: only the common part is checked. */
    public static final class Generic extends FeedbackPacket {
        @Override
        protected boolean accepts(int pt, int count) {
            return pt == PT_RTPFB || pt == PT_PSFB;
        }

        @Override
        protected RtcpDrop parse() {
            return contentEnd - off < FIXED_LENGTH ? RtcpDrop.TOO_SHORT : null;
        }
    }
}
