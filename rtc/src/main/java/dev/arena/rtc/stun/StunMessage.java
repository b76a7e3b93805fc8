package dev.arena.rtc.stun;

import dev.arena.rtc.util.DropCounter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * A reusable, zero-copy view of one STUN message (RFC 8489 section 5) over {@code byte[] buf, off, len}.
 * {@link #wrap} validates the header and every attribute, checks FINGERPRINT (RFC 8489 section 14.7) and
 * records where the attributes ICE needs are; getters read from the buffer. Bad input returns false and
 * counts a {@link StunDrop}; nothing here throws on untrusted bytes. Build messages with {@link StunWriter}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * then attributes, each padded to 4 bytes (RFC 8489 section 14):
 * |         Type                  |            Length             |
 * |                         Value (variable)                ....
 * </pre>
 *
 * Not thread-safe: use one view per thread.
 */
public final class StunMessage {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int FINGERPRINT_XOR = 0x5354554E;

    /** Message types (method + class, RFC 8489 section 5). */
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    public static final int CLASS_REQUEST = 0;
    public static final int CLASS_INDICATION = 1;
    public static final int CLASS_SUCCESS = 2;
    public static final int CLASS_ERROR = 3;

    /** At most this many unknown comprehension-required attribute types are remembered for a 420. */
    public static final int MAX_UNKNOWN = 16;
    /** RFC 8489 section 14.3: USERNAME is less than 509 bytes; ICE's "ufrag:ufrag" may be 513. */
    public static final int MAX_USERNAME = 513;

    private final DropCounter<StunDrop> drops;
    private final CRC32 crc = new CRC32();
    private final byte[] macOut = new byte[20];
    private final int[] unknown = new int[MAX_UNKNOWN];

    private byte[] buf;
    private int off;
    private int len;
    private int type;
    private StunDrop lastDrop;

    private int unknownCount;
    private int usernamePos; // value offset, -1 when absent
    private int usernameLen;
    private int integrityPos; // attribute header offset, -1 when absent
    private int fingerprintPos;
    private int xorMappedPos;
    private int xorMappedLen;
    private int errorCodePos;
    private int errorCodeLen;
    private int unknownAttrsPos;
    private int unknownAttrsLen;
    private int softwarePos;
    private int softwareLen;
    private int priority;
    private boolean hasPriority;
    private boolean useCandidate;
    private boolean hasControlling;
    private boolean hasControlled;
    private long tieBreaker;

    public StunMessage(DropCounter<StunDrop> drops) {
        this.drops = java.util.Objects.requireNonNull(drops);
    }

    public StunMessage() {
        this(new DropCounter<>(StunDrop.class));
    }

    /**
     * Starts building a message into {@code buf} (a new {@link StunWriter}; keep one per thread on hot paths).
     */
    public static StunWriter build(byte[] buf, int off, int type, byte[] txid, int txOff) {
        return new StunWriter().start(buf, off, type, txid, txOff);
    }

    /** Quick demux test: 20+ bytes, first two bits zero and the magic cookie (RFC 7983, RFC 8489 section 5). */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return len >= HEADER_LENGTH && (buf[off] & 0xC0) == 0 && readInt(buf, off + 4) == MAGIC_COOKIE;
    }

    /**
     * Parses one datagram. Returns false (and counts the reason) unless it is a well-formed STUN message
     * whose FINGERPRINT, if present, is last and correct. Attributes after MESSAGE-INTEGRITY other than
     * FINGERPRINT are ignored (RFC 8489 section 14.5).
     */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = 0;
        reset();
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return drop(StunDrop.TOO_SHORT);
        }
        if (len < HEADER_LENGTH) {
            return drop(StunDrop.TOO_SHORT);
        }
        if ((buf[off] & 0xC0) != 0 || readInt(buf, off + 4) != MAGIC_COOKIE) {
            return drop(StunDrop.NOT_STUN);
        }
        int msgLen = readU16(buf, off + 2);
        if ((msgLen & 3) != 0 || msgLen + HEADER_LENGTH != len) {
            return drop(StunDrop.BAD_LENGTH);
        }
        this.len = len;
        this.type = readU16(buf, off);
        int end = off + len;
        int pos = off + HEADER_LENGTH;
        while (pos < end) {
            if (fingerprintPos >= 0) {
                return drop(StunDrop.FINGERPRINT_NOT_LAST);
            }
            if (end - pos < 4) {
                return drop(StunDrop.BAD_ATTRIBUTE);
            }
            int t = readU16(buf, pos);
            int l = readU16(buf, pos + 2);
            int v = pos + 4;
            int padded = (l + 3) & ~3;
            if (padded > end - v) {
                return drop(StunDrop.BAD_ATTRIBUTE);
            }
            if (t == StunAttributeType.FINGERPRINT) {
                if (l != 4) {
                    return drop(StunDrop.BAD_ATTRIBUTE);
                }
                if (v + 4 != end) {
                    return drop(StunDrop.FINGERPRINT_NOT_LAST);
                }
                // FINGERPRINT is last, so the header's length already covers it: no patching needed.
                crc.reset();
                crc.update(buf, off, pos - off);
                if (((int) crc.getValue() ^ FINGERPRINT_XOR) != readInt(buf, v)) {
                    return drop(StunDrop.BAD_FINGERPRINT);
                }
                fingerprintPos = pos;
            } else if (integrityPos >= 0) {
                // RFC 8489 section 14.5: ignore everything after MESSAGE-INTEGRITY except FINGERPRINT.
            } else if (!attribute(t, l, v)) {
                return drop(StunDrop.BAD_ATTRIBUTE);
            } else if (t == StunAttributeType.MESSAGE_INTEGRITY) {
                integrityPos = pos;
            }
            pos = v + padded;
        }
        return true;
    }

    private boolean attribute(int t, int l, int v) {
        switch (t) {
            case StunAttributeType.USERNAME -> {
                if (l > MAX_USERNAME) {
                    return false;
                }
                if (usernamePos < 0) {
                    usernamePos = v;
                    usernameLen = l;
                }
            }
            case StunAttributeType.MESSAGE_INTEGRITY -> {
                return l == 20;
            }
            case StunAttributeType.XOR_MAPPED_ADDRESS, StunAttributeType.MAPPED_ADDRESS -> {
                int family = l >= 2 ? buf[v + 1] : 0;
                if (!((l == 8 && family == 1) || (l == 20 && family == 2))) {
                    return false;
                }
                if (t == StunAttributeType.XOR_MAPPED_ADDRESS && xorMappedPos < 0) {
                    xorMappedPos = v;
                    xorMappedLen = l;
                }
            }
            case StunAttributeType.PRIORITY -> {
                if (l != 4) {
                    return false;
                }
                if (!hasPriority) {
                    hasPriority = true;
                    priority = readInt(buf, v);
                }
            }
            case StunAttributeType.USE_CANDIDATE -> {
                if (l != 0) {
                    return false;
                }
                useCandidate = true;
            }
            case StunAttributeType.ICE_CONTROLLING, StunAttributeType.ICE_CONTROLLED -> {
                if (l != 8) {
                    return false;
                }
                if (!hasControlling && !hasControlled) {
                    tieBreaker = readLong(buf, v);
                    if (t == StunAttributeType.ICE_CONTROLLING) {
                        hasControlling = true;
                    } else {
                        hasControlled = true;
                    }
                }
            }
            case StunAttributeType.ERROR_CODE -> {
                if (l < 4 || l > 4 + 763) {
                    return false;
                }
                if (errorCodePos < 0) {
                    errorCodePos = v;
                    errorCodeLen = l;
                }
            }
            case StunAttributeType.UNKNOWN_ATTRIBUTES -> {
                if ((l & 1) != 0) {
                    return false;
                }
                if (unknownAttrsPos < 0) {
                    unknownAttrsPos = v;
                    unknownAttrsLen = l;
                }
            }
            case StunAttributeType.SOFTWARE -> {
                if (softwarePos < 0) {
                    softwarePos = v;
                    softwareLen = l;
                }
            }
            default -> {
                if (StunAttributeType.isComprehensionRequired(t) && !StunAttributeType.isKnownRequired(t)) {
                    addUnknown(t);
                }
            }
        }
        return true;
    }

    private void addUnknown(int t) {
        for (int i = 0; i < unknownCount; i++) {
            if (unknown[i] == t) {
                return;
            }
        }
        if (unknownCount < MAX_UNKNOWN) {
            unknown[unknownCount++] = t;
        }
    }

    private void reset() {
        type = -1;
        lastDrop = null;
        unknownCount = 0;
        usernamePos = -1;
        usernameLen = 0;
        integrityPos = -1;
        fingerprintPos = -1;
        xorMappedPos = -1;
        xorMappedLen = 0;
        errorCodePos = -1;
        errorCodeLen = 0;
        unknownAttrsPos = -1;
        unknownAttrsLen = 0;
        softwarePos = -1;
        softwareLen = 0;
        priority = 0;
        hasPriority = false;
        useCandidate = false;
        hasControlling = false;
        hasControlled = false;
        tieBreaker = 0;
    }

    private boolean drop(StunDrop reason) {
        lastDrop = reason;
        len = 0;
        drops.count(reason);
        return false;
    }

    /**
     * Checks MESSAGE-INTEGRITY (RFC 8489 section 14.5) with {@code mac} already keyed: HMAC-SHA1 over the
     * message up to the attribute, with the header length patched to end just after MESSAGE-INTEGRITY. Feeds
     * the Mac straight from the buffer, no copy. Counts MISSING_INTEGRITY or BAD_INTEGRITY on failure.
     */
    public boolean verifyIntegrity(Mac mac) {
        if (integrityPos < 0 || len == 0) {
            drops.count(StunDrop.MISSING_INTEGRITY);
            return false;
        }
        int patched = integrityPos + 24 - off - HEADER_LENGTH;
        mac.update(buf, off, 2);
        mac.update((byte) (patched >>> 8));
        mac.update((byte) patched);
        mac.update(buf, off + 4, integrityPos - off - 4);
        try {
            mac.doFinal(macOut, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // 20-byte buffer for a 20-byte MAC: cannot happen
        }
        int diff = 0;
        int v = integrityPos + 4;
        for (int i = 0; i < 20; i++) {
            diff |= macOut[i] ^ buf[v + i];
        }
        if (diff != 0) {
            drops.count(StunDrop.BAD_INTEGRITY);
            return false;
        }
        return true;
    }

    /** {@link #verifyIntegrity(Mac)} with this thread's Mac for {@code key} (see {@link StunIntegrity}). */
    public boolean verifyIntegrity(SecretKeySpec key) {
        return verifyIntegrity(StunIntegrity.mac(key));
    }

    // ---- header ----

    public boolean isValid() {
        return len != 0;
    }

    public StunDrop lastDrop() {
        return lastDrop;
    }

    public DropCounter<StunDrop> drops() {
        return drops;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    public int type() {
        return type;
    }

    /** RFC 8489 section 5: the 12-bit method (0x001 = Binding). */
    public int method() {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    /** One of CLASS_REQUEST, CLASS_INDICATION, CLASS_SUCCESS, CLASS_ERROR. */
    public int messageClass() {
        return ((type & 0x0010) >> 4) | ((type & 0x0100) >> 7);
    }

    /** Offset of the 12-byte transaction id in {@link #buffer()}. */
    public int transactionIdOffset() {
        return off + 8;
    }

    /** First 8 bytes of the transaction id (for map keys without allocation of arrays). */
    public long transactionIdHigh() {
        return readLong(buf, off + 8);
    }

    /** Last 4 bytes of the transaction id. */
    public int transactionIdLow() {
        return readInt(buf, off + 16);
    }

    public byte[] transactionId() {
        byte[] t = new byte[12];
        System.arraycopy(buf, off + 8, t, 0, 12);
        return t;
    }

    // ---- attributes ----

    public boolean hasUsername() {
        return usernamePos >= 0;
    }

    public int usernameOffset() {
        return usernamePos;
    }

    public int usernameLength() {
        return usernameLen;
    }

    public String username() {
        return usernamePos < 0 ? null : new String(buf, usernamePos, usernameLen, StandardCharsets.UTF_8);
    }

    /** Length of the USERNAME up to the first ':' (ICE: the receiver's ufrag), or -1 if there is no colon. */
    public int usernameColon() {
        for (int i = 0; i < usernameLen; i++) {
            if (buf[usernamePos + i] == ':') {
                return i;
            }
        }
        return -1;
    }

    /** True if USERNAME starts with {@code prefix} followed by ':'. */
    public boolean usernameStartsWith(byte[] prefix) {
        if (usernamePos < 0 || usernameLen <= prefix.length || buf[usernamePos + prefix.length] != ':') {
            return false;
        }
        return java.util.Arrays.equals(buf, usernamePos, usernamePos + prefix.length, prefix, 0, prefix.length);
    }

    public boolean hasIntegrity() {
        return integrityPos >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintPos >= 0;
    }

    public boolean hasPriority() {
        return hasPriority;
    }

    public int priority() {
        return priority;
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    public boolean iceControlling() {
        return hasControlling;
    }

    public boolean iceControlled() {
        return hasControlled;
    }

    /** The ICE-CONTROLLING or ICE-CONTROLLED tie-breaker (compare unsigned). */
    public long tieBreaker() {
        return tieBreaker;
    }

    public boolean hasXorMappedAddress() {
        return xorMappedPos >= 0;
    }

    /**
     * XOR-MAPPED-ADDRESS (RFC 8489 section 14.2), decoded. Allocates; null if absent.
     * <pre>
     * |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
     * |                X-Address (Variable)
     * </pre>
     */
    public InetSocketAddress xorMappedAddress() {
        if (xorMappedPos < 0) {
            return null;
        }
        int port = readU16(buf, xorMappedPos + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] a = new byte[xorMappedLen - 4];
        for (int i = 0; i < a.length; i++) {
            // the mask is the cookie followed by the transaction id, i.e. header bytes 4..19
            a[i] = (byte) (buf[xorMappedPos + 4 + i] ^ buf[off + 4 + i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a), port);
        } catch (UnknownHostException e) {
            return null; // length is 4 or 16, cannot happen
        }
    }

    public boolean hasErrorCode() {
        return errorCodePos >= 0;
    }

    /** ERROR-CODE as class * 100 + number (e.g. 401), or -1. */
    public int errorCode() {
        if (errorCodePos < 0) {
            return -1;
        }
        return (buf[errorCodePos + 2] & 0x07) * 100 + (buf[errorCodePos + 3] & 0xFF);
    }

    public String errorReason() {
        if (errorCodePos < 0) {
            return null;
        }
        return new String(buf, errorCodePos + 4, errorCodeLen - 4, StandardCharsets.UTF_8);
    }

    /** The types listed in an UNKNOWN-ATTRIBUTES attribute (from a 420 response). */
    public int[] unknownAttributesListed() {
        if (unknownAttrsPos < 0) {
            return new int[0];
        }
        int[] out = new int[unknownAttrsLen / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = readU16(buf, unknownAttrsPos + 2 * i);
        }
        return out;
    }

    /** Number of unknown comprehension-required attributes seen (at most {@link #MAX_UNKNOWN} are kept). */
    public int unknownRequiredCount() {
        return unknownCount;
    }

    public int unknownRequired(int i) {
        return unknown[i];
    }

    /** The unknown comprehension-required types, for the 420 answer. */
    public int[] unknownRequired() {
        return java.util.Arrays.copyOf(unknown, unknownCount);
    }

    public String software() {
        return softwarePos < 0 ? null : new String(buf, softwarePos, softwareLen, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        if (len == 0) {
            return "StunMessage[invalid " + lastDrop + "]";
        }
        return String.format("StunMessage[type=0x%04X len=%d user=%s prio=%s uc=%b ctl=%s int=%b fp=%b err=%d]",
                type, len, username(), hasPriority ? Integer.toUnsignedString(priority) : "-", useCandidate,
                hasControlling ? "controlling" : hasControlled ? "controlled" : "-", hasIntegrity(), hasFingerprint(),
                errorCode());
    }

    static int readU16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int readInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static long readLong(byte[] b, int p) {
        return ((long) readInt(b, p) << 32) | (readInt(b, p + 4) & 0xFFFFFFFFL);
    }
}
