package clickseg.server;

/** {@code java -jar server/target/clickseg-server.jar [options]}; see {@link ServerConfig#USAGE}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(ServerConfig.USAGE);
            return;
        }
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println("clickseg-server " + clickseg.server.ops.Version.current());
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(args, System.getenv(), Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            System.err.println("clickseg: " + e.getMessage());
            System.err.print(ServerConfig.USAGE);
            System.exit(2);
            return;
        }
        try {
            Server server = Server.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        } catch (Server.StartupException e) {
            System.err.println("clickseg: " + e.getMessage());
            System.exit(1);
        }
    }
}
