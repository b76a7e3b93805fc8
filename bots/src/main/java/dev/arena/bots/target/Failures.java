package dev.arena.bots.target;

import dev.arena.bots.peer.PeerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Turns what can go wrong on the way to a server into a {@link TargetException} with a stable short reason. */
final class Failures {
    private static final int EXCERPT = 200;

    private Failures() {
    }

    /** {@code e} as a TargetException; {@code what} (may be null) says which step failed. */
    static TargetException of(Throwable e, String what) {
        Throwable t = unwrap(e);
        if (t instanceof TargetException te) {
            return te;
        }
        String where = what == null ? "" : what + ": ";
        String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String reason;
        if (t instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            return new TargetException("http_" + status, where + "WebSocket upgrade refused with HTTP " + status, t);
        } else if (t instanceof ConnectException) {
            reason = "connection_refused";
        } else if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            reason = "timeout";
        } else if (t instanceof PeerException) {
            reason = "bad_sdp";
        } else if (t instanceof javax.net.ssl.SSLException) {
            reason = "tls_error";
        } else if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
            reason = "unknown_host";
        } else if (t instanceof IOException) {
            reason = "io_error";
        } else if (t instanceof IllegalArgumentException) {
            reason = "bad_request";
        } else {
            reason = "internal";
        }
        return new TargetException(reason, where + detail, t);
    }

    /** For a {@code handle}/{@code thenApply} stage that must fail: a CompletionException around the reason. */
    static CompletionException wrap(Throwable e, String what) {
        return new CompletionException(of(e, what));
    }

    /** An HTTP response that is not 2xx. */
    static TargetException http(int status, String body, URI uri) {
        return new TargetException("http_" + status, uri + " answered " + status + ": " + excerpt(body));
    }

    /** {@code f} bounded by {@code timeout}; any failure becomes a TargetException saying {@code what}. */
    static <T> CompletableFuture<T> step(CompletableFuture<T> f, Duration timeout, String what) {
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable t = unwrap(e);
            if (t instanceof TimeoutException) {
                throw new CompletionException(new TargetException("timeout", what + ": no reply within " + timeout));
            }
            throw wrap(t, what);
        });
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The start of a response body on one line, for messages. */
    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return s.length() <= EXCERPT ? s : s.substring(0, EXCERPT) + "...";
    }
}
