package dev.arena.server;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.transport.TransportServer;
import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.auth.TokenCommand;
import dev.arena.server.auth.TokenVerifier;
import dev.arena.server.metrics.Health;
import dev.arena.server.metrics.NodeMetrics;
import dev.arena.server.metrics.OpsHttpHandler;
import dev.arena.server.rooms.Rooms;
import dev.arena.server.whip.WhipService;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an Arena node. Until rooms and signaling land (issue 3) the node serves the transport echo
 * demo: the browser sends its camera and microphone over WebRTC, Arena decrypts every packet and sends
 * it back on a track of its own.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && isCommand(args[0])) {
            int code = command(args, System.getenv(), System.out, System.err);
            System.out.flush();
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("arena: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        ApiKeys apiKeys;
        try {
            apiKeys = ApiKeys.fromEnvironmentOrGenerate(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("arena: " + e.getMessage());
            System.exit(2);
            return;
        }
        logApiKeys(apiKeys);
        InetAddress bind = InetAddress.getByName(options.bindAddress());
        TransportServer transports = TransportServer.start(new InetSocketAddress(bind, options.udpPort()));
        InetSocketAddress announced = new InetSocketAddress(InetAddress.getByName(options.announceAddress()),
                transports.localAddress().getPort());
        EchoService echo = new EchoService(transports, announced, DtlsCertificate.shared());
        Rooms rooms = new Rooms(transports, announced, DtlsCertificate.shared());
        WhipService whip = new WhipService(rooms, new TokenVerifier(apiKeys));
        Health health = new Health(transports);
        OpsHttpHandler ops = new OpsHttpHandler(OpsHttpHandler.registry(new NodeMetrics(transports, rooms)), health);
        HttpFrontend http = HttpFrontend.start(new InetSocketAddress(bind, options.httpPort()), echo, whip, ops,
                health);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            health.beginShutdown();
            http.close();
            rooms.close();
            transports.close();
        }));
        log.info("Arena is up: open http://{}:{}/ (media on UDP {}, announced as {}; WHIP at /whip/ROOM, WHEP at"
                + " /whep/ROOM; /metrics, /health, /ready)", options.announceAddress(), http.port(),
                transports.localAddress(), announced);
        Thread.currentThread().join();
    }

    /** True when {@code first} names a subcommand (today: {@code token}) rather than a node option. */
    static boolean isCommand(String first) {
        return first.equals("token");
    }

    /**
     * Runs the subcommand named by {@code args[0]} with the rest of {@code args} and returns its exit code
     * (2 for bad input, with the message on {@code err}).
     */
    static int command(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "token" -> TokenCommand.run(rest, env, out, err);
            default -> {
                err.println("arena: unknown command " + args[0]);
                yield 2;
            }
        };
    }

    private static void logApiKeys(ApiKeys keys) {
        if (keys.devMode()) {
            ApiKey k = keys.primary();
            log.warn("No API key configured ({} / {}): generated one for DEVELOPMENT only, valid until this node stops."
                    + " key={} secret={} Mint a token with: ./arena token --key {} --secret {} --room ROOM"
                    + " --identity ID --role host", ApiKeys.ENV_KEY, ApiKeys.ENV_SECRET, k.id(), k.secret(), k.id(),
                    k.secret());
        } else {
            log.info("API keys: {} (signing with {})", keys.all().stream().map(ApiKey::id).toList(), keys.primary().id());
        }
    }
}
