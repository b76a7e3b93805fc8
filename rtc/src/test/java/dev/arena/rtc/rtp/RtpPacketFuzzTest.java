package dev.arena.rtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes {@link RtpPacket#wrap} with random and mutated valid packets: it must never throw, and what it
 * accepts must be self-consistent and survive an id rewrite. Tries come from junit-platform.properties;
 * the long run is {@code mvn -pl rtc test -Dtest='RtpPacketFuzzTest,RtcpReaderFuzzTest' -Djqwik.tries.default=1000000}.
 */
class RtpPacketFuzzTest {
    private final RtpPacket p = new RtpPacket();

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 1500) byte[] data, @ForAll @IntRange(max = 8) int off) {
        byte[] buf = new byte[data.length + off];
        System.arraycopy(data, 0, buf, off, data.length);
        check(buf, off, data.length, data.length > 0 ? data[0] : 0);
    }

    @Property
    void randomBytesWithVersion2(@ForAll @Size(min = 12, max = 300) byte[] data) {
        data[0] = (byte) ((data[0] & 0x3F) | 0x80);
        check(data, 0, data.length, data[1]);
    }

    @Property
    void mutatedValidPacketsNeverThrow(@ForAll("validPackets") byte[] valid, @ForAll("mutations") int[] mutations,
                                       @ForAll @IntRange(max = 40) int cut) {
        byte[] b = valid.clone();
        for (int i = 0; i + 1 < mutations.length; i += 2) {
            b[Math.floorMod(mutations[i], b.length)] = (byte) mutations[i + 1];
        }
        int len = Math.max(0, b.length - cut);
        check(b, 0, len, mutations.length > 0 ? mutations[0] : 0);
    }

    @Property
    void validPacketsParse(@ForAll("validPackets") byte[] valid) {
        assertTrue(p.wrap(valid, 0, valid.length), () -> String.valueOf(p.drop()));
        check(valid, 0, valid.length, 3);
    }

    private void check(byte[] buf, int off, int len, int seed) {
        if (!p.wrap(buf, off, len)) {
            assertTrue(p.drop() != null);
            return;
        }
        assertEquals(len, p.headerLength() + p.payloadLength() + p.paddingLength());
        assertTrue(p.payloadLength() >= 0);
        int n = 0;
        p.resetExtensions();
        while (p.nextExtension()) {
            assertTrue(p.extensionValueOffset() + p.extensionValueLength() <= off + p.headerLength());
            assertTrue(++n <= Math.max(1, p.extensionDataLength()));
        }
        p.findExtension(seed & 0xFF);
        byte[] idMap = new byte[(seed & 0x0F) + 1];
        for (int i = 0; i < idMap.length; i++) {
            idMap[i] = (byte) (seed * 31 + i * 7);
        }
        p.rewriteExtensionIds(idMap);
        p.removeExtension(seed & 0x0F);
        assertTrue(p.wrap(buf, off, len), "rewriting keeps a valid packet valid");
        p.setSequenceNumber(seed);
        p.setPayloadType(seed);
        p.setMarker((seed & 1) != 0);
        p.setTimestamp(seed);
        p.setSsrc(seed);
        byte[] out = new byte[len + 2];
        int rtxLen = RtxPacket.wrap(p, out, 0, 1, 2, 3);
        assertEquals(p.headerLength() + 2 + p.payloadLength(), rtxLen);
        RtpPacket r = new RtpPacket();
        assertTrue(r.wrap(out, 0, rtxLen), () -> String.valueOf(r.drop()));
        assertEquals(p.payloadLength(), RtxPacket.unwrap(r, new byte[len], 0, 4, 5) - p.headerLength());
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().between(-1000, 1000).array(int[].class).ofMaxSize(8);
    }

    @Provide
    Arbitrary<byte[]> validPackets() {
        Arbitrary<Integer> csrcs = Arbitraries.integers().between(0, 15);
        Arbitrary<Integer> extForm = Arbitraries.integers().between(0, 2);
        Arbitrary<byte[]> ids = Arbitraries.bytes().array(byte[].class).ofMaxSize(6);
        Arbitrary<Integer> payload = Arbitraries.integers().between(0, 1200);
        Arbitrary<Integer> padding = Arbitraries.integers().between(0, 255);
        return Combinators.combine(csrcs, extForm, ids, payload, padding).as((cc, form, extIds, pl, pad) -> {
            byte[] b = new byte[12 + 60 + 4 + extIds.length * 20 + 3 + pl + pad];
            RtpPacketWriter w = new RtpPacketWriter().start(b, 0, b.length, pl & 0x7F, pl * 7, pl * 1000L, pl * 31);
            for (int i = 0; i < cc; i++) {
                w.csrc(i);
            }
            if (form > 0) {
                boolean two = form == 2;
                w.beginExtensions(two);
                for (byte idb : extIds) {
                    int id = two ? 1 + (idb & 0xFF) % 255 : 1 + (idb & 0xFF) % 14;
                    int vlen = two ? (idb & 0x0F) : 1 + (idb & 0x0F);
                    w.extension(id, b, 0, vlen);
                }
            }
            w.payload(new byte[pl], 0, pl);
            int len = w.finish(pad);
            byte[] out = new byte[len];
            System.arraycopy(b, 0, out, 0, len);
            return out;
        });
    }
}
