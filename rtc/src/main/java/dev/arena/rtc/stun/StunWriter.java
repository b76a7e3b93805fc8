package dev.arena.rtc.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes one STUN message (RFC 8489 section 5) into a caller's {@code byte[]}: the header, then attributes
 * in call order, keeping the header's length current; {@link #messageIntegrity} and {@link #fingerprint}
 * come last, in that order. Reusable ({@link #start} again) and allocation-free except
 * {@link #xorMappedAddress(InetSocketAddress)} (which reads the address bytes). Not thread-safe.
 *
 * <pre>
 * StunWriter w = new StunWriter();
 * int n = w.start(buf, 0, StunMessage.BINDING_SUCCESS, request.buffer(), request.transactionIdOffset())
 *          .xorMappedAddress(from).messageIntegrity(key).fingerprint().length();
 * </pre>
 * Writing past the end of the buffer is a programming error and throws IndexOutOfBoundsException.
 */
public final class StunWriter {
    private final CRC32 crc = new CRC32();
    private byte[] buf;
    private int off;
    private int pos;

    /** Starts a message of {@code type} with the transaction id copied from {@code txid[txOff..txOff+12)}. */
    public StunWriter start(byte[] buf, int off, int type, byte[] txid, int txOff) {
        if (off < 0 || off + StunMessage.HEADER_LENGTH > buf.length) {
            throw new IndexOutOfBoundsException("no room for a STUN header");
        }
        this.buf = buf;
        this.off = off;
        this.pos = off + StunMessage.HEADER_LENGTH;
        writeU16(off, type & 0x3FFF);
        writeU16(off + 2, 0);
        writeInt(off + 4, StunMessage.MAGIC_COOKIE);
        System.arraycopy(txid, txOff, buf, off + 8, 12);
        return this;
    }

    /** Bytes written so far (the whole message once finished). */
    public int length() {
        return pos - off;
    }

    private int attribute(int type, int len) {
        int padded = (len + 3) & ~3;
        if (pos + 4 + padded > buf.length) {
            throw new IndexOutOfBoundsException("STUN message does not fit the buffer");
        }
        writeU16(pos, type);
        writeU16(pos + 2, len);
        int v = pos + 4;
        for (int i = len; i < padded; i++) {
            buf[v + i] = 0;
        }
        pos = v + padded;
        writeU16(off + 2, pos - off - StunMessage.HEADER_LENGTH);
        return v;
    }

    public StunWriter username(byte[] value, int vOff, int vLen) {
        int v = attribute(StunAttributeType.USERNAME, vLen);
        System.arraycopy(value, vOff, buf, v, vLen);
        return this;
    }

    public StunWriter username(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return username(b, 0, b.length);
    }

    public StunWriter software(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        int v = attribute(StunAttributeType.SOFTWARE, b.length);
        System.arraycopy(b, 0, buf, v, b.length);
        return this;
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 section 14.2), IPv4 or IPv6. */
    public StunWriter xorMappedAddress(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        return xorMappedAddress(a.getAddress(), address.getPort());
    }

    /** XOR-MAPPED-ADDRESS from raw address bytes (4 or 16). */
    public StunWriter xorMappedAddress(byte[] address, int port) {
        int family = address.length == 4 ? 1 : address.length == 16 ? 2 : 0;
        if (family == 0) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes");
        }
        int v = attribute(StunAttributeType.XOR_MAPPED_ADDRESS, 4 + address.length);
        buf[v] = 0;
        buf[v + 1] = (byte) family;
        writeU16(v + 2, port ^ (StunMessage.MAGIC_COOKIE >>> 16));
        for (int i = 0; i < address.length; i++) {
            buf[v + 4 + i] = (byte) (address[i] ^ buf[off + 4 + i]); // cookie then transaction id
        }
        return this;
    }

    public StunWriter priority(int priority) {
        int v = attribute(StunAttributeType.PRIORITY, 4);
        writeInt(v, priority);
        return this;
    }

    public StunWriter useCandidate() {
        attribute(StunAttributeType.USE_CANDIDATE, 0);
        return this;
    }

    public StunWriter iceControlling(long tieBreaker) {
        int v = attribute(StunAttributeType.ICE_CONTROLLING, 8);
        writeLong(v, tieBreaker);
        return this;
    }

    public StunWriter iceControlled(long tieBreaker) {
        int v = attribute(StunAttributeType.ICE_CONTROLLED, 8);
        writeLong(v, tieBreaker);
        return this;
    }

    /**
     * ERROR-CODE (RFC 8489 section 14.8).
     * <pre>
     * |           Reserved, should be 0         |Class|     Number    |
     * |      Reason Phrase (variable)                                ..
     * </pre>
     */
    public StunWriter errorCode(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int v = attribute(StunAttributeType.ERROR_CODE, 4 + r.length);
        buf[v] = 0;
        buf[v + 1] = 0;
        buf[v + 2] = (byte) ((code / 100) & 0x07);
        buf[v + 3] = (byte) (code % 100);
        System.arraycopy(r, 0, buf, v + 4, r.length);
        return this;
    }

    /** UNKNOWN-ATTRIBUTES (RFC 8489 section 14.9): the first {@code n} types of {@code types}. */
    public StunWriter unknownAttributes(int[] types, int n) {
        int v = attribute(StunAttributeType.UNKNOWN_ATTRIBUTES, 2 * n);
        for (int i = 0; i < n; i++) {
            writeU16(v + 2 * i, types[i]);
        }
        return this;
    }

    /** Any attribute with a raw value (for tests and extensions). */
    public StunWriter attribute(int type, byte[] value, int vOff, int vLen) {
        int v = attribute(type, vLen);
        System.arraycopy(value, vOff, buf, v, vLen);
        return this;
    }

    /**
     * MESSAGE-INTEGRITY (RFC 8489 section 14.5): HMAC-SHA1 with {@code mac} (already keyed) over the message
     * so far, the length field counting this attribute.
     */
    public StunWriter messageIntegrity(Mac mac) {
        int start = pos;
        int v = attribute(StunAttributeType.MESSAGE_INTEGRITY, 20);
        mac.update(buf, off, start - off);
        try {
            mac.doFinal(buf, v);
        } catch (ShortBufferException e) {
            throw new IndexOutOfBoundsException("no room for MESSAGE-INTEGRITY");
        }
        return this;
    }

    /** MESSAGE-INTEGRITY with this thread's Mac for {@code key}. */
    public StunWriter messageIntegrity(SecretKeySpec key) {
        return messageIntegrity(StunIntegrity.mac(key));
    }

    /** FINGERPRINT (RFC 8489 section 14.7): CRC-32 of the message so far XOR 0x5354554e. Must be last. */
    public StunWriter fingerprint() {
        int start = pos;
        int v = attribute(StunAttributeType.FINGERPRINT, 4);
        crc.reset();
        crc.update(buf, off, start - off);
        writeInt(v, (int) crc.getValue() ^ StunMessage.FINGERPRINT_XOR);
        return this;
    }

    private void writeU16(int p, int v) {
        buf[p] = (byte) (v >>> 8);
        buf[p + 1] = (byte) v;
    }

    private void writeInt(int p, int v) {
        buf[p] = (byte) (v >>> 24);
        buf[p + 1] = (byte) (v >>> 16);
        buf[p + 2] = (byte) (v >>> 8);
        buf[p + 3] = (byte) v;
    }

    private void writeLong(int p, long v) {
        writeInt(p, (int) (v >>> 32));
        writeInt(p + 4, (int) v);
    }
}
