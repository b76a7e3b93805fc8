package dev.arena.server;

/** Command-line options of a node, with the defaults of a local development setup. */
record Options(String bindAddress, String announceAddress, int httpPort, int udpPort, boolean help) {
    static final String USAGE = """
            usage: ./arena [--bind ADDR] [--announce ADDR] [--http-port N] [--udp-port N]
              --bind ADDR       address to listen on for HTTP and media (default 127.0.0.1)
              --announce ADDR   address put in ICE candidates, as browsers reach it (default: the bind address,
                                or 127.0.0.1 when binding 0.0.0.0)
              --http-port N     HTTP port of the demo and API (default 8080)
              --udp-port N      the one UDP port every media transport shares (default 40000; 0 = any free port)
            environment:
              ARENA_API_KEY, ARENA_API_SECRET   the API key and secret that sign access tokens (secret: 32+ characters);
                                ARENA_API_KEYS=id:secret,... adds more keys (rotation). With none set, a development
                                pair is generated at start and printed in the log.
            commands:
              ./arena token ...  print an access token (./arena token --help)""";

    static Options parse(String[] args) {
        String bind = "127.0.0.1";
        String announce = null;
        int http = 8080;
        int udp = 40000;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> help = true;
                case "--bind" -> bind = value(args, ++i, a);
                case "--announce" -> announce = value(args, ++i, a);
                case "--http-port" -> http = port(value(args, ++i, a), a);
                case "--udp-port" -> udp = port(value(args, ++i, a), a);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (announce == null) {
            announce = bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
        }
        return new Options(bind, announce, http, udp, help);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static int port(String v, String name) {
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number 0..65535, got '" + v + "'");
        }
    }
}
