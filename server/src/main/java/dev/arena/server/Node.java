package dev.arena.server;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.dtls.DtlsWarmup;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.auth.DevApiKeyFile;
import dev.arena.server.auth.TokenIssuer;
import dev.arena.server.auth.TokenVerifier;
import dev.arena.server.api.ApiService;
import dev.arena.server.api.JsonHttp;
import dev.arena.server.demo.DemoService;
import dev.arena.server.config.Config;
import dev.arena.server.http.WebServer;
import dev.arena.server.metrics.Health;
import dev.arena.server.metrics.NodeMetrics;
import dev.arena.server.metrics.OpsRoute;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.signaling.RoomService;
import dev.arena.server.signaling.SignalingService;
import dev.arena.server.stage.InProcessStageStore;
import dev.arena.server.stage.StageStore;
import dev.arena.server.whip.WhipService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Arena node, composed from its {@link Config}: the UDP media port ({@link TransportServer}), the rooms, the
 * transport echo, WHIP/WHEP, the operations endpoints and the {@link WebServer} that serves them with the static web
 * app. {@link #start} brings it up (port 0 in a config: any free port, for tests), {@link #close} takes it down.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** The largest SDP offer a route takes. */
    static final int MAX_OFFER_BYTES = 64 * 1024;

    private final Config config;
    private final ApiKeys apiKeys;
    private final TransportServer transports;
    private final InetSocketAddress announced;
    private final EchoService echo;
    private final Rooms rooms;
    private final WhipService whip;
    private final StageStore stage;
    private final RoomService roomService;
    private final SignalingService signaling;
    private final ApiService api;
    private final Health health;
    private final WebServer web;

    private Node(Config config, ApiKeys apiKeys, TransportServer transports) {
        this.config = config;
        this.apiKeys = apiKeys;
        this.transports = transports;
        this.announced = new InetSocketAddress(config.announce(), transports.localAddress().getPort());
        DtlsCertificate certificate = DtlsCertificate.shared();
        TokenVerifier verifier = new TokenVerifier(apiKeys);
        this.echo = new EchoService(transports, announced, certificate);
        this.rooms = new Rooms(transports, announced, certificate);
        this.stage = new InProcessStageStore();
        this.roomService = new RoomService(stage, rooms, config.roomLimits(), config.resumeWindow());
        this.whip = new WhipService(rooms, roomService, verifier);
        this.signaling = new SignalingService(roomService, verifier);
        this.api = new ApiService(roomService, verifier);
        DemoService demo = new DemoService(config.demo(), roomService, config.roomLimits(),
                TokenIssuer.forKeys(apiKeys));
        this.health = new Health(transports);
        OpsRoute ops = new OpsRoute(OpsRoute.registry(new NodeMetrics(transports, rooms, stage)), health);

        web = new WebServer(new InetSocketAddress(config.bind(), config.httpPort()), config.tls().orElse(null),
                config.trustProxy());
        web.route("/api/echo", echo::handleHttp, MAX_OFFER_BYTES, false);
        web.route("/whip/", whip, WhipService.MAX_BODY_BYTES, true);
        web.route("/whep/", whip, WhipService.MAX_BODY_BYTES, true);
        for (String path : OpsRoute.PATHS) {
            web.route(path, ops, 4 * 1024, false);
        }
        web.webSocket("/ws", signaling);
        web.route("/api/v1/", api, JsonHttp.MAX_BODY_BYTES, true);
        web.route("/demo/", demo, 4 * 1024, true);
        if (!web.hasStaticFile("index.html")) {
            web.redirect("/", "/echo.html"); // until the web app is bundled in
        }
    }

    /** Starts a node: its API keys, the UDP media port, then HTTP. */
    public static Node start(Config config) throws IOException {
        ApiKeys keys = config.apiKeys().isPresent() ? config.apiKeys().get() : developmentKeys(config.dataDir());
        // the first DTLS handshake and SRTP session of a JVM cost ~1.3 s of CPU (docs/performance.md, "DTLS cold
        // start"): pay it now, in the background, not in the first peer's connection where it spoils bandwidth probing
        DtlsWarmup.start().whenComplete((took, failure) -> {
            if (failure != null) {
                log.warn("DTLS warm-up failed (the first peer pays the cold start): {}", failure.toString());
            } else {
                log.info("DTLS and SRTP warmed up in {} ms", took.toMillis());
            }
        });
        TransportServer transports = TransportServer.start(new InetSocketAddress(config.bind(), config.udpPort()),
                config.mediaLoops());
        try {
            Node node = new Node(config, keys, transports);
            node.web.start();
            node.health.httpStarted();
            logApiKeys(keys, config.dataDir());
            return node;
        } catch (IOException | RuntimeException e) {
            transports.close();
            throw e;
        }
    }

    private static ApiKeys developmentKeys(Path dataDir) {
        try {
            return DevApiKeyFile.loadOrCreate(dataDir);
        } catch (IOException e) {
            log.warn("Cannot keep the development API key in {} ({}): using one for this run only", dataDir,
                    e.getMessage());
            return ApiKeys.generate();
        }
    }

    private static void logApiKeys(ApiKeys keys, Path dataDir) {
        if (keys.devMode()) {
            ApiKey k = keys.primary();
            log.warn("No API key configured (api-key / {}): using a DEVELOPMENT key, kept in {}. key={} secret={}"
                    + " Mint a token with: ./arena token --room ROOM --identity ID --role host (it reads that file;"
                    + " elsewhere add --key {} --secret {})",
                    ApiKeys.ENV_KEY, dataDir.resolve(DevApiKeyFile.FILE_NAME), k.id(), k.secret(), k.id(), k.secret());
        } else {
            log.info("API keys: {} (signing with {})", keys.all().stream().map(ApiKey::id).toList(), keys.primary().id());
        }
    }

    public Config config() {
        return config;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    public TransportServer transports() {
        return transports;
    }

    /** The address and UDP port put in ICE candidates. */
    public InetSocketAddress announced() {
        return announced;
    }

    public EchoService echo() {
        return echo;
    }

    public Rooms rooms() {
        return rooms;
    }

    public WhipService whip() {
        return whip;
    }

    /** The rooms' state (participants, roles, hands, tracks). */
    public StageStore stage() {
        return stage;
    }

    public RoomService roomService() {
        return roomService;
    }

    public SignalingService signaling() {
        return signaling;
    }

    public ApiService api() {
        return api;
    }

    public Health health() {
        return health;
    }

    public WebServer web() {
        return web;
    }

    public int httpPort() {
        return web.port();
    }

    /** The base URL of the HTTP side as reached on the bind address, e.g. {@code http://127.0.0.1:8080}. */
    public String httpUrl() {
        String host = config.bind().isAnyLocalAddress() ? config.announce().getHostAddress()
                : config.bind().getHostAddress();
        return web.scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + web.port();
    }

    /** Stops being ready at once, then closes HTTP (WebSockets get 1001), the rooms and the UDP port. */
    @Override
    public void close() {
        health.beginShutdown();
        web.close();
        roomService.close();
        rooms.close();
        transports.close();
    }
}
