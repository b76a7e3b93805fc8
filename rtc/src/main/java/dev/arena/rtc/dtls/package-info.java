/**
 * DTLS 1.2 for DTLS-SRTP (RFC 6347, RFC 5764, RFC 8842) on BouncyCastle's TLS API.
 *
 * <ul>
 *   <li>{@link dev.arena.rtc.dtls.DtlsCertificate}: the process's ECDSA P-256 self-signed certificate and its
 *       SDP fingerprint (RFC 8122).</li>
 *   <li>{@link dev.arena.rtc.dtls.DtlsRole}: client or server, from the remote {@code a=setup}.</li>
 *   <li>{@link dev.arena.rtc.dtls.DtlsSession}: one association; the blocking BouncyCastle handshake runs on a
 *       virtual thread behind a bounded queue that the I/O thread feeds without blocking; reports to a
 *       {@link dev.arena.rtc.dtls.DtlsListener} (SRTP profile and keying material, failure, close).</li>
 *   <li>{@link dev.arena.rtc.dtls.DtlsWarmup}: one in-memory handshake of both roles at node start-up, so that
 *       the first peer's handshake is not the JVM's cold one.</li>
 *   <li>{@link dev.arena.rtc.dtls.DtlsRecordFilter}: the stateless record prefilter of the I/O path, with
 *       {@link dev.arena.rtc.dtls.DtlsDrop} reasons.</li>
 * </ul>
 *
 * Crypto is BouncyCastle's lightweight provider ({@code BcTlsCrypto}); cipher suites ECDHE-ECDSA with AES-GCM
 * first; extended master secret (RFC 7627) is required.
 */
package dev.arena.rtc.dtls;
