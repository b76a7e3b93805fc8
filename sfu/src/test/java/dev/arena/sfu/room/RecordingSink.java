package dev.arena.sfu.room;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link PacketSink} that keeps a copy of everything sent (tests). */
final class RecordingSink implements PacketSink {
    final List<byte[]> rtp = new ArrayList<>();
    final List<byte[]> rtcp = new ArrayList<>();
    boolean closed;

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        rtp.add(Arrays.copyOfRange(buf, off, off + len));
        return true;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        rtcp.add(Arrays.copyOfRange(buf, off, off + len));
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
