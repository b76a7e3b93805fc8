package dev.arena.rtc.dtls;

/**
 * Why a datagram on the DTLS path was thrown away before it reached BouncyCastle: the record
 * prefilter ({@link DtlsRecordFilter}) rejects datagrams that cannot be DTLS records (RFC 6347
 * section 4.1, RFC 7983), and {@link DtlsSession#receive} drops what it cannot queue.
 */
public enum DtlsDrop {
    /** Shorter than one 13-byte DTLS record header. */
    TOO_SHORT,
    /** Content type outside 20..25 (change_cipher_spec .. tls12_cid). */
    BAD_CONTENT_TYPE,
    /** Record version neither DTLS 1.2 (0xfefd) nor DTLS 1.0 (0xfeff). */
    BAD_VERSION,
    /** A record length that runs past the datagram, exceeds 2^14 + 2048, or leaves trailing bytes. */
    BAD_LENGTH,
    /** Longer than {@link DtlsSession#MAX_DATAGRAM}. */
    TOO_LONG,
    /** The session's inbound queue is full (the handshake thread is not keeping up, or a flood). */
    QUEUE_FULL,
    /** The session is closed or failed. */
    SESSION_ENDED
}
