package clickseg.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Someone else's website: a tiny JDK HTTP server on its own free port of 127.0.0.1 (so its origin
 * differs from the clickseg server's) serving fixed pages and scripts. Every answer carries a strict
 * Content-Security-Policy, {@code script-src 'self'} plus whatever the page names, so an embedding
 * that needed inline script or eval on the host would show up as a console error.
 */
final class HostSite implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final String allowedServer;

    /** @param allowedServer the origin the pages may load scripts and frames from (the clickseg server) */
    HostSite(String allowedServer) throws IOException {
        this.allowedServer = allowedServer;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** http://127.0.0.1:PORT, without a trailing slash (what location.origin says). */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code text} at {@code path} (the content type follows the extension: .html or .js). */
    HostSite put(String path, String text) {
        files.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = files.get(path);
        if (body == null) {
            body = "not found".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(404, body.length);
        } else {
            exchange.getResponseHeaders().set("Content-Type", path.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; script-src 'self' "
                    + allowedServer + "; frame-src 'self' " + allowedServer + " http://127.0.0.1:*; style-src 'self'");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
