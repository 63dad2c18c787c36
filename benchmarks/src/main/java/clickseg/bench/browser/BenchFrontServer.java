package clickseg.bench.browser;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one origin the benchmark's browser talks to. It answers every response with the
 * cross-origin isolation headers onnxruntime-web needs for threads (SharedArrayBuffer), serves the
 * harness ({@code /bench/}), onnxruntime-web's dist files ({@code /ort/}) and named files (model,
 * weights, embedding, photos), and passes everything else — the web client's page and workers,
 * the upload and embedding API — through to the real clickseg server unchanged. It counts the body
 * bytes it sends, so a cold start's download is measured at the wire rather than estimated.
 */
final class BenchFrontServer implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "date", "server");

    private final HttpServer http;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI backend;
    private final Path ortDist;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>(); // path -> body
    private final AtomicLong bytesSent = new AtomicLong();
    private final Map<String, AtomicLong> bytesByPath = new ConcurrentHashMap<>();

    private BenchFrontServer(URI backend, Path ortDist) throws IOException {
        this.backend = backend;
        this.ortDist = ortDist;
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        http.createContext("/", this::handle);
        http.setExecutor(executor);
    }

    static BenchFrontServer start(URI backend, Path ortDist) throws IOException {
        BenchFrontServer server = new BenchFrontServer(backend, ortDist);
        server.http.start();
        return server;
    }

    String origin() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Serves {@code body} at {@code path} (e.g. "/models/sam.onnx"). */
    void put(String path, byte[] body) {
        files.put(path, body);
    }

    void putFile(String path, Path file) throws IOException {
        files.put(path, Files.readAllBytes(file));
    }

    /** Starts a new download count (call before a cold start). */
    void resetCounts() {
        bytesSent.set(0);
        bytesByPath.clear();
    }

    long bytesSent() {
        return bytesSent.get();
    }

    /** Bytes per path (query left off) since the last reset, largest first in a sorted copy. */
    Map<String, Long> bytesByPath() {
        Map<String, Long> copy = new TreeMap<>();
        bytesByPath.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Headers out = exchange.getResponseHeaders();
            out.set("Cross-Origin-Opener-Policy", "same-origin");
            out.set("Cross-Origin-Embedder-Policy", "require-corp");
            out.set("Cross-Origin-Resource-Policy", "same-origin");
            byte[] body;
            int status = 200;
            if (path.startsWith("/bench/")) {
                body = classpathFile("bench-web/" + path.substring("/bench/".length()));
            } else if (path.startsWith("/ort/")) {
                String name = path.substring("/ort/".length());
                body = OrtWebPackage.SERVED_FILES.contains(name) ? Files.readAllBytes(ortDist.resolve(name)) : null;
            } else if (files.containsKey(path)) {
                body = files.get(path);
            } else {
                proxy(exchange, path);
                return;
            }
            if (body == null) {
                System.err.println("bench server: 404 " + path);
                status = 404;
                body = ("no " + path).getBytes();
            } else {
                out.set("Content-Type", contentType(path));
                out.set("Cache-Control", "no-cache");
            }
            send(exchange, path, status, body);
        } catch (IOException | RuntimeException e) {
            System.err.println("bench server: " + exchange.getRequestURI() + ": " + e);
        }
    }

    private void proxy(HttpExchange exchange, String path) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        URI target = backend.resolve(exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
        byte[] requestBody;
        try (InputStream in = exchange.getRequestBody()) {
            requestBody = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(exchange.getRequestMethod(), requestBody.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        for (String header : new String[] {"Content-Type", "Accept", "If-None-Match", "Range"}) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        if (response.statusCode() == 404) {
            System.err.println("bench server: clickseg server answered 404 for " + path);
        }
        send(exchange, path, response.statusCode(), response.body());
    }

    private void send(HttpExchange exchange, String path, int status, byte[] body) throws IOException {
        boolean empty = body.length == 0 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
            bytesSent.addAndGet(body.length);
            bytesByPath.computeIfAbsent(path, k -> new AtomicLong()).addAndGet(body.length);
        }
    }

    private static byte[] classpathFile(String name) throws IOException {
        if (name.contains("..")) {
            return null;
        }
        try (InputStream in = BenchFrontServer.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (path.endsWith(".js") || path.endsWith(".mjs")) {
            return "text/javascript; charset=utf-8";
        } else if (path.endsWith(".wasm")) {
            return "application/wasm";
        } else if (path.endsWith(".jpg") || path.endsWith(".jpeg") || path.endsWith(".JPG")) {
            return "image/jpeg";
        } else if (path.endsWith(".bmp")) {
            return "image/bmp";
        }
        return "application/octet-stream";
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
