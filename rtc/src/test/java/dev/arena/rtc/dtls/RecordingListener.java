package dev.arena.rtc.dtls;

import dev.arena.rtc.srtp.SrtpProfile;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a {@link DtlsSession} reports, for tests. */
final class RecordingListener implements DtlsListener {
    record Connected(SrtpProfile profile, byte[] keyingMaterial) {
    }

    record Failed(String reason, Throwable cause) {
    }

    final CompletableFuture<Connected> connected = new CompletableFuture<>();
    final CompletableFuture<Failed> failed = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final BlockingQueue<byte[]> data = new LinkedBlockingQueue<>();

    @Override
    public void onConnected(SrtpProfile profile, byte[] keyingMaterial) {
        if (!connected.complete(new Connected(profile, keyingMaterial))) {
            throw new AssertionError("onConnected twice");
        }
    }

    @Override
    public void onFailed(String reason, Throwable cause) {
        if (!failed.complete(new Failed(reason, cause))) {
            throw new AssertionError("onFailed twice");
        }
    }

    @Override
    public void onClosed() {
        closed.complete(null);
    }

    @Override
    public void onApplicationData(byte[] buf, int off, int len) {
        data.add(Arrays.copyOfRange(buf, off, off + len));
    }

    Connected awaitConnected() throws Exception {
        return connected.get(30, TimeUnit.SECONDS);
    }

    Failed awaitFailed() throws Exception {
        return failed.get(30, TimeUnit.SECONDS);
    }

    void awaitClosed() throws Exception {
        closed.get(30, TimeUnit.SECONDS);
    }
}
