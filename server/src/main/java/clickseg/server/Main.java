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
        // Read by logback.xml when the first logger is made, which is below: nothing has logged yet.
        System.setProperty("CLICKSEG_LOG_FORMAT", config.jsonLogs() ? "json" : "text");
        if (config.jsonLogs() && System.getenv("CLICKSEG_ACCESS_LOG") == null) {
            System.setProperty("CLICKSEG_ACCESS_LOG", "INFO");
        }
        try {
            Server server = Server.start(config);
            stopGracefullyOn(server, "TERM");
            stopGracefullyOn(server, "INT");
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        } catch (Server.StartupException e) {
            System.err.println("clickseg: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * SIGTERM and SIGINT drain the server before the JVM's shutdown hooks run: ONNX Runtime's own hook releases its
     * native environment at once, and an encoding still running on it then crashes the JVM (SIGSEGV in
     * libonnxruntime). So the signal finishes the running encodings first ({@link Server#close}), then exits.
     */
    private static void stopGracefullyOn(Server server, String signal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> {
                Thread stopper = new Thread(() -> {
                    server.close();
                    System.exit(0);
                }, "graceful-stop");
                stopper.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // this platform has no such signal: the shutdown hook still closes the server
        }
    }
}
