package dev.arena.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.rtc.util.DropCounter;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class DtlsRecordFilterTest {

    static byte[] record(int type, int version, int length) {
        byte[] r = new byte[13 + length];
        r[0] = (byte) type;
        r[1] = (byte) (version >>> 8);
        r[2] = (byte) version;
        r[11] = (byte) (length >>> 8);
        r[12] = (byte) length;
        for (int i = 13; i < r.length; i++) {
            r[i] = (byte) i;
        }
        return r;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void acceptsEveryContentTypeAndBothVersions() {
        for (int type = 20; type <= 25; type++) {
            for (int version : new int[] {0xfefd, 0xfeff}) {
                byte[] r = record(type, version, 40);
                assertNull(DtlsRecordFilter.check(r, 0, r.length), "type " + type);
            }
        }
        byte[] empty = record(23, 0xfefd, 0);
        assertNull(DtlsRecordFilter.check(empty, 0, empty.length));
    }

    @Test
    void acceptsSeveralRecordsInOneDatagramAtAnOffset() {
        byte[] flight = concat(new byte[] {9, 9}, record(22, 0xfefd, 100), record(20, 0xfefd, 1),
                record(22, 0xfefd, 48), new byte[] {9});
        assertNull(DtlsRecordFilter.check(flight, 2, flight.length - 3));
    }

    @Test
    void rejectsWithTypedReasons() {
        byte[] ok = record(22, 0xfefd, 20);
        assertEquals(DtlsDrop.TOO_SHORT, DtlsRecordFilter.check(ok, 0, 12));
        assertEquals(DtlsDrop.TOO_SHORT, DtlsRecordFilter.check(new byte[0], 0, 0));
        assertEquals(DtlsDrop.BAD_LENGTH, DtlsRecordFilter.check(ok, 0, ok.length - 1), "truncated");
        byte[] trailing = concat(ok, new byte[] {22, (byte) 0xfe});
        assertEquals(DtlsDrop.BAD_LENGTH, DtlsRecordFilter.check(trailing, 0, trailing.length));
        byte[] twoThenShort = concat(ok, record(22, 0xfefd, 5));
        assertEquals(DtlsDrop.BAD_LENGTH, DtlsRecordFilter.check(twoThenShort, 0, twoThenShort.length - 1));
        byte[] second = concat(ok, record(64, 0xfefd, 5));
        assertEquals(DtlsDrop.BAD_CONTENT_TYPE, DtlsRecordFilter.check(second, 0, second.length));
        byte[] rtp = record(0x80, 0xfefd, 5);
        assertEquals(DtlsDrop.BAD_CONTENT_TYPE, DtlsRecordFilter.check(rtp, 0, rtp.length));
        byte[] low = record(19, 0xfefd, 5);
        assertEquals(DtlsDrop.BAD_CONTENT_TYPE, DtlsRecordFilter.check(low, 0, low.length));
        byte[] tls = record(22, 0x0303, 5);
        assertEquals(DtlsDrop.BAD_VERSION, DtlsRecordFilter.check(tls, 0, tls.length));
        byte[] huge = record(23, 0xfefd, DtlsRecordFilter.MAX_FRAGMENT_LENGTH + 1);
        assertEquals(DtlsDrop.BAD_LENGTH, DtlsRecordFilter.check(huge, 0, huge.length));
        byte[] max = record(23, 0xfefd, DtlsRecordFilter.MAX_FRAGMENT_LENGTH);
        assertNull(DtlsRecordFilter.check(max, 0, max.length));
    }

    @Test
    void connectionIdRecordEndsTheParse() {
        byte[] cid = concat(record(22, 0xfefd, 10), record(25, 0xfefd, 3), new byte[] {1, 2, 3});
        assertNull(DtlsRecordFilter.check(cid, 0, cid.length));
    }

    @Test
    void acceptCounts() {
        DropCounter<DtlsDrop> drops = new DropCounter<>(DtlsDrop.class);
        byte[] ok = record(22, 0xfefd, 20);
        assertTrue(DtlsRecordFilter.accept(ok, 0, ok.length, drops));
        assertFalse(DtlsRecordFilter.accept(ok, 0, 5, drops));
        assertEquals(1, drops.get(DtlsDrop.TOO_SHORT));
        assertEquals(1, drops.total());
    }

    @Test
    void callerBoundsBugsAreNotSilent() {
        assertThrows(IndexOutOfBoundsException.class, () -> DtlsRecordFilter.check(new byte[10], 5, 10));
    }
}
