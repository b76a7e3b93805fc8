package dev.arena.rtc.rtp;

/**
 * RTP retransmission payload format (RFC 4588 section 4): an RTX packet carries the original packet's
 * header fields (timestamp, marker, CSRCs, extensions) under the RTX stream's SSRC, payload type and
 * sequence number, and its payload starts with the original sequence number (OSN).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP Header                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Padding of the original is not carried over (the result has no P bit). Allocation-free.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4588#section-4">RFC 4588 section 4</a>
 */
public final class RtxPacket {
    private RtxPacket() {}

    /** Length of the RTX packet that {@link #wrap} writes for this original. */
    public static int rtxLength(RtpPacket original) {
        return original.headerLength() + 2 + original.payloadLength();
    }

    /**
     * Writes the RTX packet for {@code original} at {@code out[outOff]}.
     *
     * @return the RTX packet's length, or -1 if it does not fit in {@code out}
     */
    public static int wrap(RtpPacket original, byte[] out, int outOff, int rtxSsrc, int rtxPayloadType, int rtxSeq) {
        int hdr = original.headerLength();
        int payloadLen = original.payloadLength();
        int total = hdr + 2 + payloadLen;
        if (outOff < 0 || total > out.length - outOff) {
            return -1;
        }
        byte[] src = original.buffer();
        int srcOff = original.offset();
        int osn = original.sequenceNumber();
        // payload first, so that out may be the original's own buffer at the same offset (in-place
        // conversion when the buffer has 2 spare bytes after the packet)
        System.arraycopy(src, original.payloadOffset(), out, outOff + hdr + 2, payloadLen);
        System.arraycopy(src, srcOff, out, outOff, hdr);
        RtpPacket.putShort(out, outOff + hdr, osn);
        out[outOff] &= (byte) ~0x20; // no padding
        out[outOff + 1] = (byte) ((out[outOff + 1] & 0x80) | (rtxPayloadType & 0x7F));
        RtpPacket.putShort(out, outOff + 2, rtxSeq);
        RtpPacket.putInt(out, outOff + 8, rtxSsrc);
        return total;
    }

    /** The original sequence number carried by an RTX packet, or -1 if its payload is shorter than 2. */
    public static int originalSequenceNumber(RtpPacket rtx) {
        if (rtx.payloadLength() < 2) {
            return -1;
        }
        return RtpPacket.u16(rtx.buffer(), rtx.payloadOffset());
    }

    /**
     * Restores the original packet from {@code rtx} into {@code out[outOff]}: sequence number from the
     * OSN, the given SSRC and payload type, the rest of the header as carried.
     *
     * @return the original's length, or -1 if the RTX payload has no OSN or {@code out} is too small
     */
    public static int unwrap(RtpPacket rtx, byte[] out, int outOff, int originalSsrc, int originalPayloadType) {
        int osn = originalSequenceNumber(rtx);
        if (osn < 0) {
            return -1;
        }
        int hdr = rtx.headerLength();
        int payloadLen = rtx.payloadLength() - 2;
        int total = hdr + payloadLen;
        if (outOff < 0 || total > out.length - outOff) {
            return -1;
        }
        byte[] src = rtx.buffer();
        System.arraycopy(src, rtx.offset(), out, outOff, hdr);
        System.arraycopy(src, rtx.payloadOffset() + 2, out, outOff + hdr, payloadLen);
        restoreHeader(out, outOff, osn, originalSsrc, originalPayloadType);
        return total;
    }

    /**
     * Restores the original packet in place (the payload moves 2 bytes towards the header). The view is
     * stale afterwards: re-wrap {@code rtx.buffer()} at {@code rtx.offset()} with the returned length.
     *
     * @return the original's length, or -1 if the RTX payload has no OSN
     */
    public static int unwrapInPlace(RtpPacket rtx, int originalSsrc, int originalPayloadType) {
        int osn = originalSequenceNumber(rtx);
        if (osn < 0) {
            return -1;
        }
        byte[] b = rtx.buffer();
        int payloadLen = rtx.payloadLength() - 2;
        System.arraycopy(b, rtx.payloadOffset() + 2, b, rtx.payloadOffset(), payloadLen);
        restoreHeader(b, rtx.offset(), osn, originalSsrc, originalPayloadType);
        return rtx.headerLength() + payloadLen;
    }

    private static void restoreHeader(byte[] b, int off, int osn, int ssrc, int pt) {
        b[off] &= (byte) ~0x20;
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (pt & 0x7F));
        RtpPacket.putShort(b, off + 2, osn);
        RtpPacket.putInt(b, off + 8, ssrc);
    }
}
