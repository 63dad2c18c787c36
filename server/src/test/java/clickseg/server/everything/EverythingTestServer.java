package clickseg.server.everything;

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
import java.util.Map;

/** The real server (real model, real store) on a free port, and the few HTTP calls the everything tests make. */
final class EverythingTestServer implements AutoCloseable {
    private final Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    private EverythingTestServer(Server server) {
        this.server = server;
    }

    static EverythingTestServer start(Path dataDir) throws Server.StartupException {
        Map<String, String> env = new HashMap<>();
        String cache = System.getenv("CLICKSEG_CACHE");
        if (cache != null) {
            env.put("CLICKSEG_CACHE", cache);
        }
        ServerConfig config = ServerConfig.parse(new String[] {"--port", "0", "--data", dataDir.toString()}, env,
                Runtime.getRuntime().availableProcessors());
        return new EverythingTestServer(Server.start(config));
    }

    /** Uploads image bytes; returns the image id. */
    String upload(byte[] bytes, String contentType) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri("/api/images")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("upload failed: " + r.statusCode() + " " + text(r));
        }
        return json(r).get("id").getAsString();
    }

    HttpResponse<byte[]> postJson(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static JsonObject json(HttpResponse<byte[]> response) {
        return JsonParser.parseString(text(response)).getAsJsonObject();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Override
    public void close() {
        server.close();
    }
}
