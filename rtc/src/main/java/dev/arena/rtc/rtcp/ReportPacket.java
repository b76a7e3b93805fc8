package dev.arena.rtc.rtcp;

/**
 * Common part of the sender and receiver reports (RFC 3550 sections 6.4.1 and 6.4.2): the header with RC in
 * the count field, the reporter's SSRC, a fixed part (the sender info of an SR, nothing for an RR), then RC
 * report blocks of {@value ReportBlock#LENGTH} bytes. Profile-specific extensions after the blocks are
 * tolerated.
 */
public abstract sealed class ReportPacket extends RtcpPacket permits SenderReport, ReceiverReport {
    private final int packetType;
    private final int blocksAt;

    /** @param blocksAt the offset of the first report block from the start of the packet */
    ReportPacket(int packetType, int blocksAt) {
        this.packetType = packetType;
        this.blocksAt = blocksAt;
    }

    @Override
    protected final boolean accepts(int pt, int count) {
        return pt == packetType;
    }

    @Override
    protected final RtcpDrop parse() {
        if (contentEnd - off < blocksAt) {
            return RtcpDrop.TOO_SHORT;
        }
        if (blocksAt + ReportBlock.LENGTH * count() > contentEnd - off) {
            return RtcpDrop.TRUNCATED;
        }
        return null;
    }

    /** The SSRC of the packet's sender (the reporter). */
    public final int senderSsrc() {
        return Be.i32(buf, off + 4);
    }

    /** Number of report blocks (RC). */
    public final int reportCount() {
        return count();
    }

    /** Points {@code into} at report block {@code i} and returns it. */
    public final ReportBlock reportBlock(int i, ReportBlock into) {
        if (i < 0 || i >= count()) {
            throw new IndexOutOfBoundsException(i);
        }
        return into.wrap(buf, off + blocksAt + ReportBlock.LENGTH * i);
    }

    /** Writes the header (RC = 0) and the sender SSRC of a report of {@code length} bytes, already checked to fit. */
    static void writeReportHeader(byte[] buf, int off, int packetType, int length, int senderSsrc) {
        writeHeader(buf, off, 0, packetType, length);
        Be.put32(buf, off + 4, senderSsrc);
    }
}
