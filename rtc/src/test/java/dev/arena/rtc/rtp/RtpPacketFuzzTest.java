package dev.arena.rtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.testing.Fuzz;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link RtpPacket#wrap} with random and mutated valid packets: it must never throw, and what it
 * accepts must be self-consistent and survive an id rewrite. Driven by {@link Fuzz}: a failure names the
 * seed, iteration and input hex; the offset, cut and check seed are derived from the input, so replaying
 * it is passing {@code HexFormat.of().parseHex(hex)} to the test's target method. Long run:
 * {@code mvn -pl rtc test -Dtest=RtpPacketFuzzTest -Darena.fuzz.iterations=1000000}.
 */
class RtpPacketFuzzTest {
    /** Generator choices {@code [csrcs, ext form, payload hi, payload lo, padding, ext ids (0..6)...]}. */
    private static final int CHOICE_LENGTH = 11;
    private static final List<byte[]> CHOICES = choiceSeeds();
    private static final List<byte[]> VALID = CHOICES.stream().map(RtpPacketFuzzTest::validPacket).toList();

    private final RtpPacket p = new RtpPacket();

    @Test
    void randomBytesNeverThrow() {
        List<byte[]> seeds = new ArrayList<>(VALID);
        seeds.addAll(Fuzz.randomSeeds(13, 100, 700, 1500));
        Fuzz.bytes(seeds, 1500, this::atOffset);
    }

    /** Any bytes, at offset 0..8 of the buffer. */
    private void atOffset(byte[] data) {
        int off = Fuzz.knob(data, 0, 9);
        byte[] buf = new byte[data.length + off];
        System.arraycopy(data, 0, buf, off, data.length);
        check(buf, off, data.length, data.length > 0 ? data[0] : 0);
    }

    @Test
    void randomBytesWithVersion2() {
        List<byte[]> seeds = new ArrayList<>(VALID.stream().filter(v -> v.length <= 300).toList());
        seeds.addAll(Fuzz.randomSeeds(12, 40, 300));
        Fuzz.bytes(seeds, 300, this::withVersion2);
    }

    /** 12..300 bytes (short inputs are zero-padded) with version 2. */
    private void withVersion2(byte[] input) {
        byte[] data = Arrays.copyOf(input, Math.clamp(input.length, 12, 300));
        data[0] = (byte) ((data[0] & 0x3F) | 0x80);
        check(data, 0, data.length, data[1]);
    }

    @Test
    void mutatedValidPacketsNeverThrow() {
        Fuzz.bytes(VALID, 2048, this::mutated);
    }

    /** A mutated valid packet, its last 0..40 bytes left outside {@code len}. */
    private void mutated(byte[] b) {
        int cut = Fuzz.knob(b, 1, 41);
        int seed = Fuzz.knob(b, 2, 2001) - 1000;
        check(b, 0, Math.max(0, b.length - cut), seed);
    }

    @Test
    void validPacketsParse() {
        for (byte[] c : CHOICES) {
            try {
                validParses(c);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("generator choices " + HexFormat.of().formatHex(c), e);
            }
        }
        Fuzz.bytes(CHOICES, CHOICE_LENGTH, this::validParses);
    }

    private void validParses(byte[] choices) {
        byte[] valid = validPacket(choices);
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


    /** The edge combinations of the generator's choices, and some random ones. */
    private static List<byte[]> choiceSeeds() {
        List<byte[]> out = new ArrayList<>();
        for (int cc : new int[] {0, 1, 15}) {
            for (int form = 0; form <= 2; form++) {
                for (int ids : new int[] {0, 1, 6}) {
                    if (form == 0 && ids > 0) {
                        continue;
                    }
                    for (int pl : new int[] {0, 1, 160, 1200}) {
                        for (int pad : new int[] {0, 1, 255}) {
                            byte[] c = new byte[5 + ids];
                            c[0] = (byte) cc;
                            c[1] = (byte) form;
                            c[2] = (byte) (pl >> 8);
                            c[3] = (byte) pl;
                            c[4] = (byte) pad;
                            for (int i = 0; i < ids; i++) {
                                c[5 + i] = (byte) (cc * 7 + pl + pad + i * 0x2B);
                            }
                            out.add(c);
                        }
                    }
                }
            }
        }
        Random random = new Random(Fuzz.seed());
        for (int i = 0; i < 32; i++) {
            byte[] c = new byte[CHOICE_LENGTH];
            random.nextBytes(c);
            out.add(c);
        }
        return out;
    }

    /**
     * A valid packet from generator choices (missing bytes read as 0): 0..15 CSRCs, no / one-byte /
     * two-byte extensions with up to 6 elements, 0..1200 payload bytes, 0..255 padding bytes.
     */
    private static byte[] validPacket(byte[] choices) {
        int cc = choice(choices, 0) & 0x0F;
        int form = choice(choices, 1) % 3;
        int pl = ((choice(choices, 2) << 8) | choice(choices, 3)) % 1201;
        int pad = choice(choices, 4);
        byte[] extIds = Arrays.copyOfRange(choices, Math.min(5, choices.length), Math.min(CHOICE_LENGTH, choices.length));
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
        return Arrays.copyOf(b, len);
    }

    private static int choice(byte[] choices, int i) {
        return i < choices.length ? choices[i] & 0xFF : 0;
    }
}
