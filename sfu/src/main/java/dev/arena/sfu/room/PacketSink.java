package dev.arena.sfu.room;

import dev.arena.rtc.transport.RtcTransport;
import java.util.Objects;

/**
 * Where a participant's packets go: its {@link RtcTransport} in production, a recorder in tests. The buffer must
 * have {@link RtcTransport#SPARE_BYTES} free after {@code len} (protection is in place).
 */
public interface PacketSink extends AutoCloseable {
    boolean sendRtp(byte[] buf, int off, int len);

    boolean sendRtcp(byte[] buf, int off, int len);

    @Override
    void close();

    /** Sends nothing (a participant whose transport is not attached yet). */
    PacketSink NONE = new PacketSink() {
        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            return false;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            return false;
        }

        @Override
        public void close() {}
    };

    static PacketSink of(RtcTransport transport) {
        Objects.requireNonNull(transport);
        return new PacketSink() {
            @Override
            public boolean sendRtp(byte[] buf, int off, int len) {
                return transport.sendRtp(buf, off, len);
            }

            @Override
            public boolean sendRtcp(byte[] buf, int off, int len) {
                return transport.sendRtcp(buf, off, len);
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }
}
