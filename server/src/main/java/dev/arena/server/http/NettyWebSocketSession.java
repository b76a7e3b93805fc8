package dev.arena.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded connection: frames in on the event loop, whole text messages out to the {@link WebSocketHandler} on
 * the session's {@link SerialExecutor}. The frame decoder already refuses a frame over the limit (close 1009); this
 * class joins fragments under the same limit, refuses binary messages (1003), answers pings, pings the client and
 * closes it when it has not been heard from for the ping timeout.
 */
final class NettyWebSocketSession extends ChannelInboundHandlerAdapter implements WebSocketSession {
    private static final Logger log = LoggerFactory.getLogger(NettyWebSocketSession.class);
    /** Messages handed to the handler and not yet processed at which we stop reading from the socket. */
    private static final int PAUSE_READING_AT = 64;
    private static final int RESUME_READING_AT = 16;
    /** How long the connection stays after our close frame, for the client's close frame to come back. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Channel channel;
    private final WebSocketHandler handler;
    private final InetSocketAddress remote;
    private final int maxMessageBytes;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final long maxPendingWriteBytes;
    private final SerialExecutor callbacks;
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();
    // written on the event loop (or before the close frame is queued), read when the channel is gone
    private volatile int closeStatus = 1006;
    private volatile String closeReason = "connection lost";
    private CompositeByteBuf fragments;
    private long lastHeardNanos;
    private ScheduledFuture<?> pinger;

    NettyWebSocketSession(Channel channel, WebSocketHandler handler, InetSocketAddress remote, int maxMessageBytes,
                          Duration pingInterval, Duration pingTimeout, long maxPendingWriteBytes) {
        this.channel = channel;
        this.handler = handler;
        this.remote = remote;
        this.maxMessageBytes = maxMessageBytes;
        this.pingInterval = pingInterval;
        this.pingTimeout = pingTimeout;
        this.maxPendingWriteBytes = maxPendingWriteBytes;
        this.callbacks = new SerialExecutor("arena-ws-" + remote);
    }

    /** Called on the event loop once the handshake response is written. */
    void open() {
        lastHeardNanos = System.nanoTime();
        pinger = channel.eventLoop().scheduleAtFixedRate(this::ping, pingInterval.toNanos(), pingInterval.toNanos(),
                TimeUnit.NANOSECONDS);
        // unwritable = more than maxPendingWriteBytes queued: see send
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark((int) maxPendingWriteBytes / 2,
                (int) maxPendingWriteBytes));
        callbacks.execute(() -> handler.onOpen(this));
        channel.config().setAutoRead(true);
    }

    @Override
    public void send(String text) {
        if (!isOpen()) {
            log.debug("WebSocket {} is closed: message dropped", remote);
            return;
        }
        // A client that does not read must not make the node buffer without end.
        if (!channel.isWritable()) {
            close(1008, "the client does not read its messages");
            return;
        }
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    @Override
    public void close(int status, String reason) {
        if (!closeSent.compareAndSet(false, true)) {
            return;
        }
        closeStatus = status;
        closeReason = reason == null ? "" : reason;
        if (!channel.isActive()) {
            return;
        }
        // The client answers with its own close frame (then the connection ends, see closedByClient); until then it
        // may still be sending, and closing the socket on unread data would reset it before it reads our status.
        channel.writeAndFlush(new CloseWebSocketFrame(status, truncate(closeReason))).addListener(f ->
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Waits up to {@code timeout} for the connection to end (after {@link #close}: the close frame is out). */
    void awaitClosed(Duration timeout) {
        channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && !closeSent.get();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            lastHeardNanos = System.nanoTime();
            switch (frame) {
                case TextWebSocketFrame t -> text(t);
                case ContinuationWebSocketFrame c -> continuation(c);
                case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
                case PongWebSocketFrame p -> { }
                case CloseWebSocketFrame c -> closedByClient(c);
                case BinaryWebSocketFrame b -> close(1003, "binary messages are not supported: send text (JSON)");
                default -> close(1003, "unsupported frame");
            }
        } finally {
            frame.release();
        }
    }

    private void text(TextWebSocketFrame t) {
        if (fragments != null) {
            close(1002, "a new message began before the previous one ended");
            return;
        }
        if (t.isFinalFragment()) {
            deliver(t.content());
            return;
        }
        fragments = channel.alloc().compositeBuffer(1024);
        append(t.content());
    }

    private void continuation(ContinuationWebSocketFrame c) {
        if (fragments == null) {
            close(1002, "a continuation frame without a message");
            return;
        }
        if (!append(c.content()) || !c.isFinalFragment()) {
            return;
        }
        try {
            deliver(fragments);
        } finally {
            releaseFragments();
        }
    }

    /** False (and the socket closing with 1009) when the message grows over the limit. */
    private boolean append(ByteBuf part) {
        if (fragments.readableBytes() + part.readableBytes() > maxMessageBytes) {
            releaseFragments();
            close(1009, "message larger than " + maxMessageBytes + " bytes");
            return false;
        }
        fragments.addComponent(true, part.retain());
        return true;
    }

    private void deliver(ByteBuf utf8) {
        if (closeSent.get()) {
            return;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(utf8.nioBuffer()).toString();
        } catch (CharacterCodingException e) {
            close(1007, "text message is not valid UTF-8");
            return;
        }
        if (queued.incrementAndGet() >= PAUSE_READING_AT) {
            channel.config().setAutoRead(false);
        }
        callbacks.execute(() -> {
            try {
                handler.onText(this, text);
            } finally {
                if (queued.decrementAndGet() == RESUME_READING_AT) {
                    channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
                }
            }
        });
    }

    private void closedByClient(CloseWebSocketFrame c) {
        if (closeSent.compareAndSet(false, true)) {
            int status = c.statusCode();
            closeStatus = status < 0 ? 1005 : status;
            closeReason = c.reasonText() == null ? "" : c.reasonText();
            // echo the close (RFC 6455 5.5.1), then end the TCP connection: the server closes first
            CloseWebSocketFrame echo = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, "");
            channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    private void ping() {
        if (System.nanoTime() - lastHeardNanos > pingTimeout.toNanos()) {
            close(1001, "no answer to ping for " + pingTimeout.toSeconds() + " s");
            return;
        }
        channel.writeAndFlush(new PingWebSocketFrame());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException e) {
            // a frame over the limit (1009), a protocol error (1002): the decoder now throws away what comes
            close(e.closeStatus().code(), e.getMessage() == null ? e.closeStatus().reasonText() : e.getMessage());
            return;
        }
        log.debug("WebSocket {}: {}", remote, cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pinger != null) {
            pinger.cancel(false);
        }
        releaseFragments();
        if (closeReported.compareAndSet(false, true)) {
            int status = closeStatus;
            String reason = closeReason;
            callbacks.execute(() -> handler.onClose(this, status, reason));
        }
        ctx.fireChannelInactive();
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    /** A close reason must fit in 123 bytes of UTF-8 (RFC 6455 5.5: a control frame carries at most 125). */
    static String truncate(String reason) {
        String r = reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > 123) {
            r = r.substring(0, Character.isLowSurrogate(r.charAt(r.length() - 1)) ? r.length() - 2 : r.length() - 1);
        }
        return r;
    }
}
