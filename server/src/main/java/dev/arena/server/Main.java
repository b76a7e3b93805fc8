package dev.arena.server;

import dev.arena.server.auth.TokenCommand;
import dev.arena.server.config.Config;
import dev.arena.server.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a subcommand ({@code token}) or reads the settings ({@link Config}) and starts a {@link Node}. */
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
        Config config;
        try {
            config = Config.load(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("arena: " + e.getMessage());
            System.err.println("./arena --help lists the settings");
            System.exit(2);
            return;
        }
        if (config.helpRequested()) {
            System.out.print(Config.help());
            return;
        }
        Node node;
        try {
            node = Node.start(config);
        } catch (IllegalArgumentException e) {
            System.err.println("arena: " + e.getMessage()); // a setting that looked right but is not (a TLS key)
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("arena: " + e.getMessage()); // e.g. a port in use
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(node::close));
        log.info("Arena is up: open {}/ (media on UDP {}, announced as {}; WHIP at /whip/ROOM, WHEP at /whep/ROOM;"
                + " /metrics, /health, /ready)", node.httpUrl(), node.transports().localAddress(), node.announced());
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
}
