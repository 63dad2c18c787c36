package clickseg.server.web;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;

/**
 * What keeps slow or greedy clients from taking the server's threads:
 * <ul>
 *   <li>a fixed pool of {@link #THREADS} request threads;</li>
 *   <li>at most {@code maxActivePosts} requests with a body (POST, PUT, DELETE) are handled at once; the rest
 *       wait, holding no thread, up to {@link #MAX_WAIT} and then get 503, so at least
 *       {@code THREADS - maxActivePosts} threads are always left for GETs (/health, images, embeddings, pages);</li>
 *   <li>a request body must arrive at {@code minBodyRate} bytes per second on average or the request ends with
 *       408 (a body trickling one byte every few seconds no longer holds its thread for minutes);</li>
 *   <li>a connection idle for {@link #IDLE_TIMEOUT} is closed (headers that stop arriving included);</li>
 *   <li>{@link ConnectionsPerAddress}: one client address holds at most {@code maxConnectionsPerAddress}.</li>
 * </ul>
 */
public final class TrafficLimits {
    /** Request threads (Jetty's selector and acceptor threads come out of the same pool). */
    public static final int THREADS = 200;
    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);

    private final String host;
    private final int port;
    private final int maxActivePosts;
    private final long minBodyRate;
    private final ConnectionsPerAddress connections;

    public TrafficLimits(String host, int port, int maxActivePosts, long minBodyRate, int maxConnectionsPerAddress) {
        if (maxActivePosts >= THREADS - 16) {
            throw new IllegalArgumentException("--max-active-posts must leave threads for GETs: at most " + (THREADS - 17));
        }
        this.host = host;
        this.port = port;
        this.maxActivePosts = maxActivePosts;
        this.minBodyRate = minBodyRate;
        this.connections = new ConnectionsPerAddress(maxConnectionsPerAddress);
    }

    public void apply(JettyConfig jetty) {
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 8, 60_000);
        threads.setName("http");
        jetty.threadPool = threads;
        jetty.modifyHttpConfiguration(http -> {
            http.setMinRequestDataRate(minBodyRate);
            http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        });
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            connector.addEventListener(connections);
            return connector;
        });
        // Javalin nests its servlet context inside a handler already set on the server.
        jetty.modifyServer(server -> {
            QoSHandler bodies = new QoSHandler();
            bodies.includeMethod("POST", "PUT", "DELETE", "PATCH");
            bodies.setMaxRequestCount(maxActivePosts);
            bodies.setMaxSuspend(MAX_WAIT);
            bodies.setMaxSuspendedRequestCount(THREADS * 8);
            bodies.setRejectStatusCode(503);
            server.setHandler(bodies);
        });
    }

    public ConnectionsPerAddress connections() {
        return connections;
    }
}
