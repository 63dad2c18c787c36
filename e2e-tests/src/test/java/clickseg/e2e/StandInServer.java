package clickseg.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * STAND-IN until the real clickseg server is merged: the lead replaces its use in
 * {@link ClicksegServer} with the Javalin app on a free port. It speaks the agreed API —
 * POST /api/images (multipart field "image") → {id,width,height,model,embedding};
 * GET /api/images/{id}; GET /api/images/{id}/embedding; errors as {error,message} — and serves
 * the web client's classpath folder /public at /. Its "embedding" is 1 MiB of filler: the
 * DEVELOPMENT ONLY decoder backend ignores it.
 */
final class StandInServer implements AutoCloseable {
    static final int MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
    private static final int EMBEDDING_BYTES = 1 << 20;

    private final HttpServer http;
    private final Map<String, byte[]> images = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    StandInServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.createContext("/api/images", this::images);
        http.createContext("/", this::staticFile);
        http.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private void images(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if ("POST".equals(method) && path.equals("/api/images")) {
                upload(exchange);
                return;
            }
            String[] parts = path.substring("/api/images/".length()).split("/");
            byte[] image = parts.length > 0 ? images.get(parts[0]) : null;
            if (!"GET".equals(method) || image == null) {
                error(exchange, 404, "not_found", "No such image.");
            } else if (parts.length == 1) {
                send(exchange, 200, "image/png", image, true);
            } else if (parts.length == 2 && parts[1].equals("embedding")) {
                byte[] filler = new byte[EMBEDDING_BYTES];
                Arrays.fill(filler, (byte) parts[0].hashCode());
                send(exchange, 200, "application/octet-stream", filler, true);
            } else {
                error(exchange, 404, "not_found", "No such resource.");
            }
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_UPLOAD_BYTES + 1);
        if (body.length > MAX_UPLOAD_BYTES) {
            error(exchange, 413, "too_large", "The image is larger than 20 MB.");
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] file = MultipartField.extract(body, contentType, "image");
        if (file == null) {
            error(exchange, 400, "missing_image", "The upload has no field named image.");
            return;
        }
        BufferedImage decoded = file.length == 0 ? null : ImageIO.read(new ByteArrayInputStream(file));
        if (decoded == null) {
            error(exchange, 415, "not_an_image", "The file is not an image the server can read "
                    + "(PNG, JPEG, WebP, GIF or BMP).");
            return;
        }
        String id = "img" + nextId.getAndIncrement();
        images.put(id, file);
        String json = "{\"id\":\"" + id + "\",\"width\":" + decoded.getWidth() + ",\"height\":" + decoded.getHeight()
                + ",\"model\":\"development-stand-in\",\"embedding\":\"/api/images/" + id + "/embedding?dtype=f16\"}";
        send(exchange, 201, "application/json", json.getBytes(StandardCharsets.UTF_8), false);
    }

    private void staticFile(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/")) {
                path += "index.html";
            }
            if (path.contains("..")) {
                error(exchange, 400, "bad_path", "Bad path.");
                return;
            }
            try (InputStream in = StandInServer.class.getResourceAsStream("/public" + path)) {
                if (in == null) {
                    error(exchange, 404, "not_found", "No such file.");
                    return;
                }
                send(exchange, 200, contentTypeOf(path), in.readAllBytes(), false);
            }
        }
    }

    private static String contentTypeOf(String path) {
        if (path.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (path.endsWith(".js")) {
            return "text/javascript";
        } else if (path.endsWith(".css")) {
            return "text/css";
        } else if (path.endsWith(".wasm")) {
            return "application/wasm";
        }
        return "application/octet-stream";
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String json = "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}";
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8), false);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, boolean immutable)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (immutable) {
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=31536000, immutable");
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
