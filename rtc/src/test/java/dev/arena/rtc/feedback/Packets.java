package dev.arena.rtc.feedback;

import dev.arena.rtc.rtp.RtpPacketWriter;
import java.util.Arrays;

/** Test RTP packets whose payload identifies their sequence number. */
final class Packets {
    private Packets() {}

    static final int SSRC = 0x11223344;
    static final int PT = 96;

    /** A packet of {@code len} bytes (12-byte header + payload) with sequence number {@code seq}. */
    static byte[] rtp(int seq, int len) {
        byte[] payload = new byte[len - 12];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (seq * 31 + i);
        }
        byte[] buf = new byte[len];
        int n = new RtpPacketWriter().start(buf, 0, len, PT, seq, 1000L * seq, SSRC)
                .payload(payload, 0, payload.length).finish();
        if (n != len) {
            throw new IllegalStateException("wrote " + n);
        }
        return buf;
    }

    static byte[] slice(byte[] b, int off, int len) {
        return Arrays.copyOfRange(b, off, off + len);
    }
}
