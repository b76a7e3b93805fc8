package dev.arena.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP and WebSocket server on Netty, HTTPS/WSS when given a certificate. Requests are read on a small
 * event loop group of its own (never the media loops); routes and static files are answered on virtual threads,
 * so a route may block. Register everything, then {@link #start()}:
 *
 * <pre>{@code
 * WebServer web = new WebServer(new InetSocketAddress("127.0.0.1", 8080), null, false)
 *         .route("/whip/", whip, 64 * 1024, true)
 *         .webSocket("/ws", signaling)
 *         .start();
 * }</pre>
 *
 * A request goes to, in order: an exact {@link #redirect}, the {@link #webSocket} endpoint of its path, the route
 * with the longest matching prefix, a static file of the classpath folder {@code arena-web/} ({@code /} is
 * {@code index.html}), else 404.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /** Largest WebSocket text message (after joining its fragments); larger closes the socket with 1009. */
    public static final int MAX_WEBSOCKET_MESSAGE_BYTES = 1 << 20;
    /** The classpath folder of the static files. */
    public static final String STATIC_FOLDER = "arena-web/";
    static final Duration PING_INTERVAL = Duration.ofSeconds(15);
    static final Duration PING_TIMEOUT = Duration.ofSeconds(45);
    /** Bytes queued for a WebSocket client that does not read, beyond which it is closed. */
    static final int MAX_PENDING_WRITE_BYTES = 4 << 20;
    /** An HTTP connection with nothing in flight for this long is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);
    private static final int EVENT_LOOP_THREADS = 2;

    /** PEM files: the certificate (chain, leaf first) and its private key (PKCS#8, or PKCS#1/SEC1 with BouncyCastle). */
    public record Tls(Path certificateChain, Path privateKey) {
        public Tls {
            Objects.requireNonNull(certificateChain);
            Objects.requireNonNull(privateKey);
        }
    }

    /** A route under a path prefix: {@code /whip/} holds everything below it, {@code /metrics} itself and below. */
    record Route(String prefix, HttpRoute route, int maxBodyBytes, boolean cors) {
        boolean matches(String path) {
            return prefix.endsWith("/") ? path.startsWith(prefix)
                    : path.equals(prefix) || path.startsWith(prefix + "/");
        }
    }

    private final InetSocketAddress address;
    private final SslContext ssl;
    private final boolean trustProxy;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Map<String, WebSocketHandler> webSockets = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final StaticFiles files = new StaticFiles(STATIC_FOLDER, WebServer.class.getClassLoader());
    private final Set<NettyWebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    private final ExecutorService requests = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("arena-http-", 0).factory());
    private Duration pingInterval = PING_INTERVAL;
    private Duration pingTimeout = PING_TIMEOUT;
    private EventLoopGroup group;
    private Channel serverChannel;

    /**
     * @param address    where to listen (port 0: any free port)
     * @param tls        certificate and key for HTTPS/WSS, or null for plain HTTP
     * @param trustProxy honour {@code Forwarded} / {@code X-Forwarded-*} from the client (only behind a proxy that
     *                   sets them)
     * @throws IllegalArgumentException when the certificate or key cannot be loaded
     */
    public WebServer(InetSocketAddress address, Tls tls, boolean trustProxy) {
        this.address = Objects.requireNonNull(address);
        this.trustProxy = trustProxy;
        this.ssl = tls == null ? null : sslContext(tls);
    }

    private static SslContext sslContext(Tls tls) {
        try {
            return SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile()).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("tls-cert/tls-key: cannot load the TLS certificate "
                    + tls.certificateChain() + " and key " + tls.privateKey() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Answers requests under {@code pathPrefix} with {@code route}. A body over {@code maxBodyBytes} is refused with
     * 413 before the route sees it. With {@code cors}, OPTIONS preflights are answered here and every response
     * allows the requesting origin.
     */
    public WebServer route(String pathPrefix, HttpRoute route, int maxBodyBytes, boolean cors) {
        if (!pathPrefix.startsWith("/") || maxBodyBytes < 0) {
            throw new IllegalArgumentException("a route prefix starts with '/' and a body limit is >= 0: "
                    + pathPrefix + " " + maxBodyBytes);
        }
        routes.add(new Route(pathPrefix, Objects.requireNonNull(route), maxBodyBytes, cors));
        return this;
    }

    /** A WebSocket endpoint at exactly {@code path}. */
    public WebServer webSocket(String path, WebSocketHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a WebSocket path starts with '/': " + path);
        }
        webSockets.put(path, Objects.requireNonNull(handler));
        return this;
    }

    /** GET/HEAD of exactly {@code path} answers 302 to {@code location}. */
    public WebServer redirect(String path, String location) {
        redirects.put(path, Objects.requireNonNull(location));
        return this;
    }

    /** True when the static folder holds {@code file} (e.g. {@code index.html}). */
    public boolean hasStaticFile(String file) {
        return files.exists(file);
    }

    /** Ping WebSocket clients every {@code interval}, close those not heard from for {@code timeout} (tests). */
    WebServer pings(Duration interval, Duration timeout) {
        this.pingInterval = interval;
        this.pingTimeout = timeout;
        return this;
    }

    /** Binds and starts serving. */
    public synchronized WebServer start() throws IOException {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, new DefaultThreadFactory("arena-http", true), io);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // read only when the connection can take the next message: see HttpConnection
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec(4096, 16 * 1024, 16 * 1024));
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(),
                                TimeUnit.SECONDS));
                        ch.pipeline().addLast("app", new HttpConnection(WebServer.this, ssl != null));
                    }
                });
        ChannelFuture bound = b.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw new IOException("cannot listen for HTTP on " + address + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        serverChannel = bound.channel();
        log.info("HTTP{} on {} ({}{})", ssl != null ? "S" : "", serverChannel.localAddress(), epoll ? "epoll" : "nio",
                trustProxy ? ", trusting forwarded headers" : "");
        return this;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return localAddress().getPort();
    }

    /** "https" when serving TLS, else "http". */
    public String scheme() {
        return ssl != null ? "https" : "http";
    }

    /** Closes every WebSocket (1001), stops listening and ends every connection. */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        for (NettyWebSocketSession s : sessions) {
            s.close(1001, "the node is shutting down");
        }
        for (NettyWebSocketSession s : sessions) {
            s.awaitClosed(Duration.ofSeconds(2)); // let the close frames out before the loops stop
        }
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        requests.shutdownNow();
        group = null;
    }

    // --- for HttpConnection

    boolean trustProxy() {
        return trustProxy;
    }

    StaticFiles files() {
        return files;
    }

    ExecutorService requests() {
        return requests;
    }

    String redirectFor(String path) {
        return redirects.get(path);
    }

    WebSocketHandler webSocketFor(String path) {
        return webSockets.get(path);
    }

    Route routeFor(String path) {
        return routes.stream().filter(r -> r.matches(path))
                .max(Comparator.comparingInt(r -> r.prefix().length())).orElse(null);
    }

    NettyWebSocketSession newSession(Channel channel, WebSocketHandler handler, InetSocketAddress remote) {
        NettyWebSocketSession s = new NettyWebSocketSession(channel, handler, remote, MAX_WEBSOCKET_MESSAGE_BYTES,
                pingInterval, pingTimeout, MAX_PENDING_WRITE_BYTES);
        sessions.add(s);
        channel.closeFuture().addListener(f -> sessions.remove(s));
        return s;
    }
}
