package clickseg.server.segment;

import clickseg.server.Server;
import clickseg.server.ServerConfig;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real server (real model, real disk store) on a free port, and a JSON client for it. The same start
 * as clickseg.server.TestServer, which is package-private to its package.
 */
final class RunningServer implements AutoCloseable {
    private final Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningServer(Server server) {
        this.server = server;
    }

    static RunningServer start(Path dataDir) throws Server.StartupException {
        Map<String, String> environment = new HashMap<>();
        String cache = System.getenv("CLICKSEG_CACHE");
        if (cache != null) {
            environment.put("CLICKSEG_CACHE", cache);
        }
        ServerConfig config = ServerConfig.parse(List.of("--port", "0", "--data", dataDir.toString())
                .toArray(String[]::new), environment, Runtime.getRuntime().availableProcessors());
        return new RunningServer(Server.start(config));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Uploads the image bytes and returns the image id. */
    String upload(byte[] image, String contentType) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = post("/api/images", image, contentType);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("upload failed: " + response.statusCode() + " " + text(response));
        }
        return json(response).get("id").getAsString();
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static JsonObject json(HttpResponse<byte[]> response) {
        return JsonParser.parseString(text(response)).getAsJsonObject();
    }

    @Override
    public void close() {
        server.close();
    }
}
