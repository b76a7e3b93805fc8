package dev.arena.rtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP key derivation (RFC 3711 section 4.3.1 with key_derivation_rate 0, section 4.3.3 AES-CM PRF):
 * {@code x = (label << 48) XOR master_salt}, output = AES-CM keystream under the master key from IV
 * {@code x * 2^16}. A 96-bit GCM master salt (RFC 7714 section 11) is left-aligned in the 112-bit field.
 */
final class SrtpKdf {
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private SrtpKdf() {
    }

    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        int blocks = (length + 15) / 16;
        byte[] in = new byte[blocks * 16];
        for (int j = 0; j < blocks; j++) {
            System.arraycopy(iv, 0, in, j * 16, 14);
            in[j * 16 + 14] = (byte) (j >>> 8);
            in[j * 16 + 15] = (byte) j;
        }
        try {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            byte[] out = ecb.doFinal(in);
            return java.util.Arrays.copyOf(out, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB unavailable", e);
        }
    }
}
