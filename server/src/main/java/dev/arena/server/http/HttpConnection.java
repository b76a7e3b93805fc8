package dev.arena.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection, one request at a time: the channel reads only when this handler asks (auto-read off), and
 * what a read brings of a pipelined next request waits in {@code pending} while a route runs, so responses keep
 * their order and a client cannot make the node buffer more than one read ahead. A route's body is collected up to its limit; more is refused with 413 as soon as it is known (from
 * Content-Length, or while reading) and the rest of the body is read and thrown away, so the client gets its answer
 * instead of a reset. The answer is made on a virtual thread and written back on the event loop.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);
    /** Body bytes thrown away (after a 413, or sent to a path that takes none) before the connection is cut. */
    private static final long MAX_DISCARD_BYTES = 8 << 20;

    private final WebServer server;
    private final boolean tls;

    // the request being read (event loop only)
    private io.netty.handler.codec.http.HttpRequest head;
    private WebServer.Route route;
    private ByteArrayOutputStream body;
    private boolean answered;
    private long discarded;
    private boolean busy;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();

    HttpConnection(WebServer server, boolean tls) {
        this.server = server;
        this.tls = tls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (busy) {
            pending.add(msg); // a pipelined request: taken up once the current one is answered
            return;
        }
        try {
            if (msg instanceof io.netty.handler.codec.http.HttpRequest req) {
                onHead(ctx, req);
            }
            if (msg instanceof HttpContent content && head != null) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            int status = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException ? 431 : 400;
            String what = cause instanceof TooLongFrameException ? "too long: " : "malformed: ";
            head = null;
            write(ctx, HttpResponse.text(status, "bad request, " + what + cause.getMessage()), false, false)
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        head = req;
        answered = false;
        discarded = 0;
        body = null;
        String path = path(req.uri());
        route = path == null || server.redirectFor(path) != null || server.webSocketFor(path) != null ? null
                : server.routeFor(path);
        if (route != null) {
            long length = HttpUtil.getContentLength(req, -1L);
            if (length > route.maxBodyBytes()) {
                io.netty.channel.ChannelFuture refused = refuseTooLarge(ctx);
                if (HttpUtil.is100ContinueExpected(req)) {
                    // the client waits for our word before it sends the body: none will come
                    head = null;
                    refused.addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            } else {
                body = new ByteArrayOutputStream((int) Math.max(0, Math.min(length, 64 * 1024)));
                if (HttpUtil.is100ContinueExpected(req)) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                            Unpooled.EMPTY_BUFFER));
                }
            }
        }
        if (!(req instanceof HttpContent)) {
            ctx.read();
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        int n = content.content().readableBytes();
        if (body != null && !answered) {
            if (body.size() + n > route.maxBodyBytes()) {
                body = null;
                refuseTooLarge(ctx);
                discarded += n;
            } else {
                byte[] part = new byte[n];
                content.content().readBytes(part);
                body.write(part, 0, n);
            }
        } else {
            discarded += n;
        }
        if (discarded > MAX_DISCARD_BYTES) {
            ctx.channel().close();
            return;
        }
        if (!(content instanceof LastHttpContent)) {
            ctx.read();
            return;
        }
        io.netty.handler.codec.http.HttpRequest req = head;
        head = null;
        if (answered) {
            ctx.channel().close(); // after a 413: see refuseTooLarge
            return;
        }
        String path = path(req.uri());
        WebSocketHandler ws = path == null ? null : server.webSocketFor(path);
        if (ws != null && isUpgrade(req.headers())) {
            upgrade(ctx, req, path, ws);
            return;
        }
        dispatch(ctx, req, path, ws != null, body == null ? new byte[0] : body.toByteArray());
    }

    /**
     * Answers 413 at once, with {@code Connection: close}: a client may stop sending the body when it sees the
     * answer, and what it sends next could not be told apart from the rest of the body. The connection is closed once
     * the body has come (or at the discard limit), not before, so that the client is not reset while it sends.
     */
    private io.netty.channel.ChannelFuture refuseTooLarge(ChannelHandlerContext ctx) {
        answered = true;
        HttpResponse r = HttpResponse.text(413, "the request body is larger than " + route.maxBodyBytes() + " bytes");
        return write(ctx, route.cors() ? Cors.decorate(r, head.headers().get("Origin")) : r, false, false);
    }

    /** Answers on a virtual thread, writes on the event loop, then reads the next request. */
    private void dispatch(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest req, String path,
                          boolean webSocketPath, byte[] bytes) {
        busy = true;
        WebServer.Route r = route;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean isHead = req.method().name().equals("HEAD");
        ClientInfo client = ClientInfo.of(req.headers(), tls, (InetSocketAddress) ctx.channel().remoteAddress(),
                (InetSocketAddress) ctx.channel().localAddress(), server.trustProxy());
        try {
            server.requests().execute(() -> {
                HttpResponse response = answer(req, path, r, webSocketPath, bytes, client);
                try {
                    ctx.executor().execute(() -> {
                        busy = false;
                        write(ctx, response, isHead, keepAlive).addListener(f -> next(ctx, keepAlive));
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the server is stopping: its event loops are gone, and the connection with them
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ctx.close(); // the server is stopping: no thread will answer this request
        }
    }

    private HttpResponse answer(io.netty.handler.codec.http.HttpRequest req, String path, WebServer.Route r,
                                boolean webSocketPath, byte[] bytes, ClientInfo client) {
        String method = req.method().name().toUpperCase(Locale.ROOT);
        HttpHeaders headers = req.headers();
        try {
            if (path == null) {
                return HttpResponse.text(400, "bad request target: " + req.uri());
            }
            boolean read = method.equals("GET") || method.equals("HEAD");
            String location = server.redirectFor(path);
            if (location != null) {
                return read ? HttpResponse.text(302, "see " + location).withHeader("Location", location)
                        : HttpResponse.text(405, "use GET").withHeader("Allow", "GET, HEAD");
            }
            if (webSocketPath) {
                return HttpResponse.text(426, "this is a WebSocket endpoint: connect with a WebSocket client")
                        .withHeader("Upgrade", "websocket");
            }
            if (r != null) {
                String origin = headers.get("Origin");
                if (r.cors() && method.equals("OPTIONS")) {
                    return Cors.preflight(origin);
                }
                HttpResponse response = r.route().handle(new HttpRequest(method, path, query(req.uri()),
                        headers::get, bytes, client.scheme(), client.host(), client.remote()));
                return r.cors() ? Cors.decorate(response, origin) : response;
            }
            HttpResponse file = read ? server.files().get(path, headers.get("If-None-Match")) : null;
            if (file != null) {
                return file;
            }
            return HttpResponse.text(404, "not found: " + path);
        } catch (Exception e) {
            log.warn("{} {} failed", method, path, e);
            return HttpResponse.text(500, "internal error");
        }
    }

    private void upgrade(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest req, String path,
                         WebSocketHandler handler) {
        String url = (tls ? "wss://" : "ws://") + req.headers().get(HttpHeaderNames.HOST, "localhost") + path;
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(WebServer.MAX_WEBSOCKET_MESSAGE_BYTES)
                .allowExtensions(false)
                .closeOnProtocolViolation(false) // NettyWebSocketSession closes, gently
                .withUTF8Validator(false) // whole messages are checked in NettyWebSocketSession
                .build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, config)
                .newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ClientInfo client = ClientInfo.of(req.headers(), tls, (InetSocketAddress) ctx.channel().remoteAddress(),
                (InetSocketAddress) ctx.channel().localAddress(), server.trustProxy());
        NettyWebSocketSession session = server.newSession(ctx.channel(), handler, client.remote());
        // From here the connection carries frames: no HTTP idle timeout (the session pings), no flow control handler.
        ctx.pipeline().remove("idle");
        ctx.pipeline().replace(this, "ws", session);
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(req.protocolVersion(), req.method(), req.uri(),
                Unpooled.EMPTY_BUFFER, req.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        handshaker.handshake(ctx.channel(), full).addListener(f -> {
            if (f.isSuccess()) {
                session.open();
            } else {
                ctx.channel().close();
            }
        });
    }

    private void next(ChannelHandlerContext ctx, boolean keepAlive) {
        if (!keepAlive || !ctx.channel().isActive()) {
            ctx.channel().close();
            return;
        }
        if (pending.isEmpty()) {
            ctx.read();
        }
        while (!pending.isEmpty() && !busy && ctx.channel().isActive()) {
            channelRead(ctx, pending.poll());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !busy) {
            ctx.channel().close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.channel().close();
    }

    private io.netty.channel.ChannelFuture write(ChannelHandlerContext ctx, HttpResponse r, boolean isHead,
                                                boolean keepAlive) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                isHead ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            out.headers().set(h.getKey(), h.getValue());
        }
        if (r.status() != 204 && r.status() != 304) {
            out.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        }
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return ctx.writeAndFlush(out);
    }

    private static boolean isUpgrade(HttpHeaders h) {
        return h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && h.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** The decoded path of a request target in origin form, or null when it is not one or does not decode. */
    private static String path(String uri) {
        if (!uri.startsWith("/")) {
            return null;
        }
        try {
            return new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String query(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q + 1);
    }
}
