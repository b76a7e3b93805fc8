package dev.arena.rtc.rtcp;

import dev.arena.rtc.util.DropCounter;

/**
 * Iterates the packets of an RTCP compound packet (RFC 3550 section 6.1) without allocation.
 * {@link #reset} checks the framing of the whole compound first (version 2, packet types 192..223,
 * length fields that add up exactly to the datagram); each packet is at least 4 bytes, so the walk
 * always ends. {@link #next()} then returns the type of each packet whose own structure is valid, with
 * the matching typed view already wrapped ({@link #nack()}, {@link #transportCc()}, ...); a packet whose
 * structure is malformed is skipped and counted. Reduced-size RTCP (RFC 5506 section 3) is accepted: the
 * compound need not start with an SR or RR.
 *
 * <pre>
 * RtcpReader r = new RtcpReader(drops);
 * if (r.reset(buf, off, len)) {
 *     for (RtcpType t = r.next(); t != RtcpType.END; t = r.next()) {
 *         switch (t) {
 *             case NACK -> r.nack().forEachLost(history::resend);
 *             case PLI -> ...
 *             default -> { }
 *         }
 *     }
 * }
 * </pre>
 *
 * One reader per thread.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.1">RFC 3550 section 6.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5506#section-3">RFC 5506 section 3</a>
 */
public final class RtcpReader {
    private final DropCounter<RtcpDrop> drops;
    private final SenderReport sr = new SenderReport();
    private final ReceiverReport rr = new ReceiverReport();
    private final Sdes sdes = new Sdes();
    private final Bye bye = new Bye();
    private final App app = new App();
    private final Nack nack = new Nack();
    private final TransportCc transportCc = new TransportCc();
    private final Pli pli = new Pli();
    private final Fir fir = new Fir();
    private final Remb remb = new Remb();
    private final FeedbackPacket.Generic feedback = new FeedbackPacket.Generic();
    private final Opaque opaque = new Opaque();

    private byte[] buf;
    private int pos;
    private int end;
    private int pktOff;
    private int pktLen;
    private RtcpDrop drop;
    private int skipped;

    /** A reader that counts drops in {@code drops} (may be null). */
    public RtcpReader(DropCounter<RtcpDrop> drops) {
        this.drops = drops;
    }

    public RtcpReader() {
        this(null);
    }

    /**
     * Starts reading the compound at {@code buf[off, off+len)} after checking its framing.
     *
     * @return false (with {@link #drop()} set and counted) if the framing is broken; {@link #next()}
     *     then returns {@link RtcpType#END}
     */
    public boolean reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.drop = null;
        this.skipped = 0;
        this.pos = 0;
        this.end = 0;
        this.pktOff = 0;
        this.pktLen = 0;
        if (buf == null || off < 0 || len < 0 || len > buf.length - off) {
            return fail(RtcpDrop.BAD_BUFFER);
        }
        if (len == 0) {
            return fail(RtcpDrop.EMPTY);
        }
        int p = off;
        int e = off + len;
        while (p < e) {
            if (e - p < RtcpPacket.HEADER_LENGTH) {
                return fail(RtcpDrop.TOO_SHORT);
            }
            if ((buf[p] & 0xC0) != 0x80) {
                return fail(RtcpDrop.BAD_VERSION);
            }
            int pt = buf[p + 1] & 0xFF;
            if (pt < 192 || pt > 223) {
                return fail(RtcpDrop.NOT_RTCP);
            }
            int l = 4 * (Be.u16(buf, p + 2) + 1);
            if (l > e - p) {
                return fail(RtcpDrop.BAD_LENGTH);
            }
            p += l;
        }
        this.pos = off;
        this.end = e;
        return true;
    }

    private boolean fail(RtcpDrop reason) {
        drop = reason;
        if (drops != null) {
            drops.count(reason);
        }
        return false;
    }

    /**
     * Advances to the next well-formed packet of the compound.
     *
     * @return its type, or {@link RtcpType#END} when there are no more
     */
    public RtcpType next() {
        while (pos < end) {
            int p = pos;
            int l = 4 * (Be.u16(buf, p + 2) + 1);
            pos = p + l;
            pktOff = p;
            pktLen = l;
            int pt = buf[p + 1] & 0xFF;
            int fmt = buf[p] & 0x1F;
            RtcpType type;
            RtcpPacket view;
            switch (pt) {
                case RtcpPacket.PT_SR -> { type = RtcpType.SR; view = sr; }
                case RtcpPacket.PT_RR -> { type = RtcpType.RR; view = rr; }
                case RtcpPacket.PT_SDES -> { type = RtcpType.SDES; view = sdes; }
                case RtcpPacket.PT_BYE -> { type = RtcpType.BYE; view = bye; }
                case RtcpPacket.PT_APP -> { type = RtcpType.APP; view = app; }
                case RtcpPacket.PT_RTPFB -> {
                    if (fmt == RtcpPacket.FMT_NACK) {
                        type = RtcpType.NACK;
                        view = nack;
                    } else if (fmt == RtcpPacket.FMT_TRANSPORT_CC) {
                        type = RtcpType.TRANSPORT_CC;
                        view = transportCc;
                    } else {
                        type = RtcpType.RTPFB;
                        view = feedback;
                    }
                }
                case RtcpPacket.PT_PSFB -> {
                    if (fmt == RtcpPacket.FMT_PLI) {
                        type = RtcpType.PLI;
                        view = pli;
                    } else if (fmt == RtcpPacket.FMT_FIR) {
                        type = RtcpType.FIR;
                        view = fir;
                    } else if (fmt == RtcpPacket.FMT_AFB && Remb.isRemb(buf, p, l)) {
                        type = RtcpType.REMB;
                        view = remb;
                    } else {
                        type = RtcpType.PSFB;
                        view = feedback;
                    }
                }
                case RtcpPacket.PT_XR -> { type = RtcpType.XR; view = opaque; }
                default -> { type = RtcpType.UNKNOWN; view = opaque; }
            }
            if (view.wrap(buf, p, l)) {
                return type;
            }
            skipped++;
            fail(view.drop());
        }
        return RtcpType.END;
    }

    /** Offset of the current packet. */
    public int offset() {
        return pktOff;
    }

    /** Length of the current packet (padding included). */
    public int length() {
        return pktLen;
    }

    /** Packet type byte of the current packet. */
    public int packetType() {
        return buf[pktOff + 1] & 0xFF;
    }

    /** Count/FMT field of the current packet. */
    public int count() {
        return buf[pktOff] & 0x1F;
    }

    /** The last reason a compound or a packet in it was refused (null if none since {@link #reset}). */
    public RtcpDrop drop() {
        return drop;
    }

    /** Packets skipped as malformed since {@link #reset}. */
    public int skipped() {
        return skipped;
    }

    public SenderReport senderReport() {
        return sr;
    }

    public ReceiverReport receiverReport() {
        return rr;
    }

    public Sdes sdes() {
        return sdes;
    }

    public Bye bye() {
        return bye;
    }

    public App app() {
        return app;
    }

    public Nack nack() {
        return nack;
    }

    public TransportCc transportCc() {
        return transportCc;
    }

    public Pli pli() {
        return pli;
    }

    public Fir fir() {
        return fir;
    }

    public Remb remb() {
        return remb;
    }

    /** The current RTPFB/PSFB packet of a type without its own view. */
    public FeedbackPacket feedback() {
        return feedback;
    }

    /** Header-only view used for XR and unknown types. */
    private static final class Opaque extends RtcpPacket {
        @Override
        protected boolean accepts(int pt, int count) {
            return true;
        }

        @Override
        protected RtcpDrop parse() {
            return null;
        }
    }
}
