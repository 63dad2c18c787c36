package clickseg.server;

import clickseg.server.remote.AddressPolicy;
import clickseg.server.remote.PublicAddresses;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The real server (real model, real disk store) on a free port, and an HTTP client for it: the one
 * fixture every server test package starts.
 */
public final class TestServer implements AutoCloseable {
    final Server server;
    final Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestServer(Server server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Starts on port 0 with {@code dataDir}; extra flags and CLICKSEG_* variables as given. */
    public static TestServer start(Path dataDir, Map<String, String> env, String... flags) throws Server.StartupException {
        return start(dataDir, PublicAddresses.ONLY, env, flags);
    }

    /** As {@link #start(Path, Map, String...)}, with remote image fetching allowed to reach {@code remoteAddresses}. */
    public static TestServer start(Path dataDir, AddressPolicy remoteAddresses, Map<String, String> env, String... flags)
            throws Server.StartupException {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--data", dataDir.toString()));
        args.addAll(List.of(flags));
        Map<String, String> environment = new HashMap<>(env);
        String cache = System.getenv("CLICKSEG_CACHE");
        if (cache != null && !environment.containsKey("CLICKSEG_CACHE")) {
            environment.put("CLICKSEG_CACHE", cache);
        }
        ServerConfig config = ServerConfig.parse(args.toArray(String[]::new), environment,
                Runtime.getRuntime().availableProcessors());
        Map<String, String> everything = new HashMap<>(System.getenv()); // CLICKSEG_EVERYTHING_* as given, else the process's
        everything.putAll(environment);
        return new TestServer(Server.start(config, remoteAddresses, everything), dataDir);
    }

    /** Starts on port 0 with {@code dataDir} and the default configuration. */
    public static TestServer start(Path dataDir) throws Server.StartupException {
        return start(dataDir, Map.of());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> postRaw(byte[] body, String contentType) throws IOException, InterruptedException {
        return http.send(rawRequest(body, contentType), HttpResponse.BodyHandlers.ofByteArray());
    }

    CompletableFuture<HttpResponse<byte[]>> postRawAsync(byte[] body, String contentType) {
        return http.sendAsync(rawRequest(body, contentType), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest rawRequest(byte[] body, String contentType) {
        return HttpRequest.newBuilder(uri("/api/images")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    HttpResponse<byte[]> postMultipart(String field, String filename, byte[] body) throws IOException, InterruptedException {
        String boundary = "clickseg-" + UUID.randomUUID();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(body);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri("/api/images"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> post(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Uploads the image bytes and returns the image id. */
    public String upload(byte[] image, String contentType) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = post("/api/images", image, contentType);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("upload failed: " + response.statusCode() + " " + text(response));
        }
        return json(response).get("id").getAsString();
    }

    public static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    public static JsonObject json(HttpResponse<byte[]> response) {
        return JsonParser.parseString(new String(response.body(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    JsonObject health() throws IOException, InterruptedException {
        return json(get("/health"));
    }

    long encodingsCompleted() throws IOException, InterruptedException {
        return health().getAsJsonObject("encoder").get("completed").getAsLong();
    }

    /** Every file under the data folder: what "nothing stored" is checked against. */
    List<Path> storedFiles() throws IOException {
        if (!Files.exists(dataDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
