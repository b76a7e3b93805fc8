package dev.arena.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DtlsRoleTest {
    @Test
    void mapsRemoteSetupToOurRole() {
        assertEquals(DtlsRole.SERVER, DtlsRole.fromRemoteSetup("active"));
        assertEquals(DtlsRole.CLIENT, DtlsRole.fromRemoteSetup("passive"));
        assertEquals(DtlsRole.SERVER, DtlsRole.fromRemoteSetup("actpass"), "we answer passive");
        assertEquals(DtlsRole.CLIENT, DtlsRole.fromRemoteSetup("actpass", DtlsRole.CLIENT));
        assertEquals(DtlsRole.SERVER, DtlsRole.fromRemoteSetup(" ACTIVE "));
        assertEquals(DtlsRole.SERVER, DtlsRole.fromRemoteSetup(null), "absent means active (RFC 4145)");
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.fromRemoteSetup("holdconn"));
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.fromRemoteSetup("sideways"));
    }

    @Test
    void announcesOurRole() {
        assertEquals("active", DtlsRole.CLIENT.setupAttribute());
        assertEquals("passive", DtlsRole.SERVER.setupAttribute());
        for (DtlsRole r : DtlsRole.values()) {
            // what we announce, read back by the peer, gives the peer the other role
            DtlsRole peer = DtlsRole.fromRemoteSetup(r.setupAttribute());
            assertEquals(r == DtlsRole.CLIENT ? DtlsRole.SERVER : DtlsRole.CLIENT, peer);
        }
    }
}
