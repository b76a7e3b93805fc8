package dev.arena.rtc.srtp;

import dev.arena.rtc.util.DropCounter;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * SRTP and SRTCP for one transport (RFC 3711; RFC 7714 for AEAD_AES_128_GCM), in place on byte arrays.
 * Keeps per SSRC the rollover counter (estimated as in RFC 3711 appendix A) and a replay window of
 * {@value StreamState#WINDOW} packets; tracks at most {@code maxSsrcs} SSRCs per table. Bad input never
 * throws: the methods return -1 and count an {@link SrtpDrop}. AES_CM_128_HMAC_SHA1_80 allocates nothing per
 * packet once warm (a new SSRC allocates its state once): AES-CM runs on a reusable AES/ECB cipher, HMAC-SHA1
 * on reusable MessageDigests. AEAD_AES_128_GCM runs by default on OpenSSL's libcrypto through FFM
 * ({@link AesGcmOpenSslCrypto}, allocation-free, native contexts freed by {@link #close()}); without libcrypto
 * or native access it falls back to JCE's AES/GCM, whose init per packet allocates about 1.1 KB
 * ({@code -Darena.srtp.gcm=jce} forces it; {@code ghash} selects an allocation-free but slower AES/ECB + Java
 * GHASH). SRTCP indices are not expected to wrap (2^31 packets per SSRC). One thread at a time; call
 * {@link #close()} when the transport ends (a Cleaner frees the native state of an unclosed session).
 *
 * <pre>
 * SRTP (RFC 3711 section 3.1)                     SRTCP (RFC 3711 section 3.4)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |  |V=2|P|  RC  | PT | length |
 * |                           timestamp                           |  |         SSRC of sender    |
 * |           synchronization source (SSRC) identifier            |  |   encrypted portion ...    |
 * |            contributing source (CSRC) identifiers, extension  |  |E|      SRTCP index         |
 * |                   payload (encrypted) ...                     |  |  auth tag (CM: after index;|
 * |                   authentication tag (10 or 16 bytes)         |  |  GCM: before index)        |
 * </pre>
 */
public final class SrtpSession implements AutoCloseable {
    /** Default cap of SSRCs per direction (and per RTP/RTCP). */
    public static final int DEFAULT_MAX_SSRCS = 1024;

    private final SrtpProfile profile;
    private final SrtpCrypto send;
    private final SrtpCrypto recv;
    private final SsrcTable sendRtp;
    private final SsrcTable sendRtcp;
    private final SsrcTable recvRtp;
    private final SsrcTable recvRtcp;
    private final DropCounter<SrtpDrop> drops = new DropCounter<>(SrtpDrop.class);
    private boolean replayProtection = true;
    private boolean closed;

    public SrtpSession(SrtpProfile p, byte[] sendKey, byte[] sendSalt, byte[] recvKey, byte[] recvSalt) {
        this(p, sendKey, sendSalt, recvKey, recvSalt, DEFAULT_MAX_SSRCS);
    }

    public SrtpSession(SrtpProfile p, byte[] sendKey, byte[] sendSalt, byte[] recvKey, byte[] recvSalt, int maxSsrcs) {
        this(p, SrtpCrypto.create(p, checked(sendKey, p.masterKeyLength), checked(sendSalt, p.masterSaltLength)),
                SrtpCrypto.create(p, checked(recvKey, p.masterKeyLength), checked(recvSalt, p.masterSaltLength)),
                maxSsrcs);
    }

    SrtpSession(SrtpProfile p, SrtpCrypto send, SrtpCrypto recv, int maxSsrcs) {
        this.profile = Objects.requireNonNull(p);
        this.send = send;
        this.recv = recv;
        this.sendRtp = new SsrcTable(maxSsrcs);
        this.sendRtcp = new SsrcTable(maxSsrcs);
        this.recvRtp = new SsrcTable(maxSsrcs);
        this.recvRtcp = new SsrcTable(maxSsrcs);
    }

    private static byte[] checked(byte[] v, int len) {
        Objects.requireNonNull(v);
        if (v.length != len) {
            throw new IllegalArgumentException("expected " + len + " bytes, got " + v.length);
        }
        return v;
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * The class that does the crypto of this session (e.g. "AesGcmOpenSslCrypto", "AesGcmCrypto" for the JCE
     * fallback), for logs and benchmarks.
     */
    public String cryptoName() {
        return send.name();
    }

    public DropCounter<SrtpDrop> drops() {
        return drops;
    }

    /**
     * Turns the receive replay check off (on by default). Only for benchmarks that unprotect one packet
     * repeatedly; ROC tracking stays on.
     */
    public void setReplayProtection(boolean on) {
        this.replayProtection = on;
    }

    /** Forgets an SSRC in every table (a stream that ended), freeing its slot under the cap. */
    public void removeSsrc(int ssrc) {
        sendRtp.remove(ssrc);
        sendRtcp.remove(ssrc);
        recvRtp.remove(ssrc);
        recvRtcp.remove(ssrc);
    }

    /**
     * Frees the native crypto state (OpenSSL contexts and buffers); idempotent. Afterwards every protect and
     * unprotect returns -1 and counts {@link SrtpDrop#CLOSED}. Call it from the thread that uses the session
     * (or once that thread no longer does): it must not run concurrently with a packet.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            send.close();
            recv.close();
        }
    }

    private boolean badArgs(byte[] buf, int off, int len) {
        if (closed) {
            drops.count(SrtpDrop.CLOSED);
            return true;
        }
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            drops.count(SrtpDrop.BAD_ARGUMENTS);
            return true;
        }
        return false;
    }

    /** RTP header length with CSRCs and extension, or -1 after counting the drop. */
    private int rtpHeader(byte[] buf, int off, int len) {
        if (len < 12) {
            drops.count(SrtpDrop.TOO_SHORT);
            return -1;
        }
        int b0 = buf[off] & 0xff;
        if ((b0 >>> 6) != 2) {
            drops.count(SrtpDrop.NOT_VERSION_2);
            return -1;
        }
        int h = 12 + 4 * (b0 & 0x0f);
        if ((b0 & 0x10) != 0) {
            if (len < h + 4) {
                drops.count(SrtpDrop.TOO_SHORT);
                return -1;
            }
            h += 4 + 4 * (((buf[off + h + 2] & 0xff) << 8) | (buf[off + h + 3] & 0xff));
        }
        if (len < h) {
            drops.count(SrtpDrop.TOO_SHORT);
            return -1;
        }
        return h;
    }

    private static int u16(byte[] b, int o) {
        return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
    }

    private static int i32(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    /**
     * Protects an RTP packet in place. {@code buf} needs {@code profile().rtpTagLength} spare bytes after
     * {@code off + len}. Returns the SRTP length, or -1 (counted). Never protect one (SSRC, index) twice: it
     * reuses the keystream. Retransmit the stored SRTP bytes or use RTX (the JCE and OpenSSL GCM refuse a
     * repeat of the last IV, counted as {@link SrtpDrop#CRYPTO_ERROR}).
     */
    public int protectRtp(byte[] buf, int off, int len) {
        if (badArgs(buf, off, len)) {
            return -1;
        }
        int hdr = rtpHeader(buf, off, len);
        if (hdr < 0) {
            return -1;
        }
        if (buf.length - off - len < send.rtpTagLength()) {
            drops.count(SrtpDrop.NO_ROOM_FOR_TAG);
            return -1;
        }
        int seq = u16(buf, off + 2);
        int ssrc = i32(buf, off + 8);
        StreamState st = sendRtp.get(ssrc);
        if (st == null && (st = sendRtp.add(ssrc, false)) == null) {
            drops.count(SrtpDrop.SSRC_LIMIT);
            return -1;
        }
        long index = StreamState.estimateIndex(st.highest, seq);
        if (index < 0) {
            index = seq; // a sequence number from before the first one sent: keep ROC 0
        }
        try {
            int n = send.protectRtp(buf, off, len, hdr, ssrc, index);
            if (index > st.highest) {
                st.highest = index;
            }
            return n;
        } catch (GeneralSecurityException | RuntimeException e) {
            drops.count(SrtpDrop.CRYPTO_ERROR);
            return -1;
        }
    }

    /** Authenticates and decrypts an SRTP packet in place. Returns the RTP length, or -1 (counted). */
    public int unprotectRtp(byte[] buf, int off, int len) {
        if (badArgs(buf, off, len)) {
            return -1;
        }
        int hdr = rtpHeader(buf, off, len);
        if (hdr < 0) {
            return -1;
        }
        if (len - hdr < recv.rtpTagLength()) {
            drops.count(SrtpDrop.TOO_SHORT);
            return -1;
        }
        int seq = u16(buf, off + 2);
        int ssrc = i32(buf, off + 8);
        StreamState st = recvRtp.get(ssrc);
        long index;
        if (st == null) {
            if (recvRtp.isFull()) {
                drops.count(SrtpDrop.SSRC_LIMIT);
                return -1;
            }
            index = seq;
        } else {
            index = StreamState.estimateIndex(st.highest, seq);
            if (index < 0) {
                drops.count(SrtpDrop.TOO_OLD);
                return -1;
            }
            if (replayProtection && !replayOk(st, index)) {
                return -1;
            }
        }
        return unprotect(false, buf, off, len, hdr, false, ssrc, index, st);
    }

    /**
     * Runs the receive transform on a packet that passed the framing and replay checks: SRTCP when
     * {@code rtcp} (E bit {@code encrypted}), else SRTP with an RTP header of {@code hdr} bytes. Returns the
     * plain length and records {@code index} in the SSRC's state {@code st} (created if null), or -1 after
     * counting a crypto error or an authentication failure.
     */
    private int unprotect(boolean rtcp, byte[] buf, int off, int len, int hdr, boolean encrypted, int ssrc,
            long index, StreamState st) {
        int plain;
        try {
            plain = rtcp
                    ? recv.unprotectRtcp(buf, off, len, ssrc, (int) index, encrypted)
                    : recv.unprotectRtp(buf, off, len, hdr, ssrc, index);
        } catch (GeneralSecurityException | RuntimeException e) {
            drops.count(SrtpDrop.CRYPTO_ERROR);
            return -1;
        }
        if (plain < 0) {
            drops.count(SrtpDrop.AUTH_FAILED);
            return -1;
        }
        if (st == null) {
            st = (rtcp ? recvRtcp : recvRtp).add(ssrc, true);
        }
        st.accept(index);
        return plain;
    }

    private boolean replayOk(StreamState st, long index) {
        int r = st.check(index);
        if (r == StreamState.OK) {
            return true;
        }
        drops.count(r == StreamState.REPLAYED ? SrtpDrop.REPLAYED : SrtpDrop.TOO_OLD);
        return false;
    }

    /**
     * Protects (encrypts, E = 1) an RTCP compound packet in place. {@code buf} needs 4 +
     * {@code profile().rtcpTagLength} spare bytes. Returns the SRTCP length, or -1 (counted).
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        if (badArgs(buf, off, len)) {
            return -1;
        }
        if (len < 8) {
            drops.count(SrtpDrop.TOO_SHORT);
            return -1;
        }
        if (((buf[off] & 0xff) >>> 6) != 2) {
            drops.count(SrtpDrop.NOT_VERSION_2);
            return -1;
        }
        if (buf.length - off - len < send.rtcpOverhead()) {
            drops.count(SrtpDrop.NO_ROOM_FOR_TAG);
            return -1;
        }
        int ssrc = i32(buf, off + 4);
        StreamState st = sendRtcp.get(ssrc);
        if (st == null && (st = sendRtcp.add(ssrc, false)) == null) {
            drops.count(SrtpDrop.SSRC_LIMIT);
            return -1;
        }
        int index = (int) ((st.highest + 1) & 0x7fffffffL);
        try {
            int n = send.protectRtcp(buf, off, len, ssrc, index);
            st.highest = index;
            return n;
        } catch (GeneralSecurityException | RuntimeException e) {
            drops.count(SrtpDrop.CRYPTO_ERROR);
            return -1;
        }
    }

    /** Authenticates and (if E = 1) decrypts an SRTCP packet in place. Returns the RTCP length, or -1. */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        if (badArgs(buf, off, len)) {
            return -1;
        }
        if (len < 8 + recv.rtcpOverhead()) {
            drops.count(SrtpDrop.TOO_SHORT);
            return -1;
        }
        if (((buf[off] & 0xff) >>> 6) != 2) {
            drops.count(SrtpDrop.NOT_VERSION_2);
            return -1;
        }
        int ssrc = i32(buf, off + 4);
        int word = i32(buf, off + len - recv.rtcpIndexFromEnd());
        boolean encrypted = word < 0;
        int index = word & 0x7fffffff;
        StreamState st = recvRtcp.get(ssrc);
        if (st == null) {
            if (recvRtcp.isFull()) {
                drops.count(SrtpDrop.SSRC_LIMIT);
                return -1;
            }
        } else if (replayProtection && !replayOk(st, index)) {
            return -1;
        }
        return unprotect(true, buf, off, len, 0, encrypted, ssrc, index, st);
    }
}
