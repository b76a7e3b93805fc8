package dev.arena.rtc.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacketKindTest {
    @Test
    void classifiesEveryFirstByteAsRfc7983Says() {
        for (int b = 0; b < 256; b++) {
            PacketKind expected = b <= 3 ? PacketKind.STUN
                    : b >= 20 && b <= 63 ? PacketKind.DTLS
                    : b >= 128 && b <= 191 ? PacketKind.RTP_RTCP
                    : PacketKind.UNKNOWN;
            assertEquals(expected, PacketKind.of((byte) b), "first byte " + b);
        }
    }

    @Test
    void boundaries() {
        assertEquals(PacketKind.STUN, PacketKind.of((byte) 3));
        assertEquals(PacketKind.UNKNOWN, PacketKind.of((byte) 4));
        assertEquals(PacketKind.UNKNOWN, PacketKind.of((byte) 19)); // ZRTP
        assertEquals(PacketKind.DTLS, PacketKind.of((byte) 20));
        assertEquals(PacketKind.DTLS, PacketKind.of((byte) 63));
        assertEquals(PacketKind.UNKNOWN, PacketKind.of((byte) 64)); // TURN channel
        assertEquals(PacketKind.UNKNOWN, PacketKind.of((byte) 127));
        assertEquals(PacketKind.RTP_RTCP, PacketKind.of((byte) 128));
        assertEquals(PacketKind.RTP_RTCP, PacketKind.of((byte) 191));
        assertEquals(PacketKind.UNKNOWN, PacketKind.of((byte) 192));
        assertEquals(PacketKind.UNKNOWN, PacketKind.of((byte) 255));
    }
}
