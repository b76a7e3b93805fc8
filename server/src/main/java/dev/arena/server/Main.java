package dev.arena.server;

import dev.arena.rtc.dtls.DtlsCertificate;
import dev.arena.rtc.transport.TransportServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
        InetAddress bind = InetAddress.getByName(options.bindAddress());
        TransportServer transports = TransportServer.start(new InetSocketAddress(bind, options.udpPort()));
        InetSocketAddress announced = new InetSocketAddress(InetAddress.getByName(options.announceAddress()),
                transports.localAddress().getPort());
        EchoService echo = new EchoService(transports, announced, DtlsCertificate.shared());
        HttpFrontend http = HttpFrontend.start(new InetSocketAddress(bind, options.httpPort()), echo);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            http.close();
            transports.close();
        }));
        log.info("Arena is up: open http://{}:{}/ (media on UDP {}, announced as {})",
                options.announceAddress(), http.port(), transports.localAddress(), announced);
        Thread.currentThread().join();
    }
}
