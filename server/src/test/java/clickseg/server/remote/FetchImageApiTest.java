package clickseg.server.remote;

import clickseg.server.Sha256;
import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /api/images/fetch on real servers with the real encoder, fetching from a real HTTP server on loopback.
 * Three servers: the default (fetching off), one with fetching on and the production address policy (which
 * must refuse the loopback image server), and one whose policy explicitly allows loopback so that a fetch can
 * succeed in a test. Uploads are limited to 256 KiB so the oversized case stays small.
 */
class FetchImageApiTest {
    private static final int MAX_UPLOAD = 256 << 10;
    private static final byte[] PNG = TestImages.encode(TestImages.gradient(120, 80), "png");

    @TempDir
    static Path offData;
    @TempDir
    static Path publicOnlyData;
    @TempDir
    static Path loopbackData;
    static TestServer off;
    static TestServer publicOnly;
    static TestServer loopbackAllowed;
    static HttpServer images;
    static String imagesBase;
    static final List<String> requested = new CopyOnWriteArrayList<>();
    static final CountDownLatch slowArrived = new CountDownLatch(RemoteImageRoute.CONCURRENT_FETCHES);
    static final CountDownLatch slowRelease = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        imagesBase = "http://127.0.0.1:" + images.getAddress().getPort();
        images.createContext("/", exchange -> {
            requested.add(exchange.getRequestURI().getPath());
            switch (exchange.getRequestURI().getPath()) {
                case "/photo.png" -> send(exchange, 200, PNG.length, PNG);
                case "/not-an-image.txt" -> send(exchange, 200, 5, "hello".getBytes());
                case "/huge.png" -> send(exchange, 200, 0, new byte[MAX_UPLOAD * 4]); // 0: chunked, no length declared
                case "/to-metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/iam/");
                case "/to-photo" -> redirect(exchange, "/photo.png");
                case "/slow.png" -> {
                    slowArrived.countDown();
                    awaitQuietly(slowRelease);
                    send(exchange, 404, -1, null);
                }
                default -> send(exchange, 404, -1, null);
            }
        });
        images.setExecutor(Executors.newCachedThreadPool()); // slow answers must not queue behind each other
        images.start();
        String limit = Integer.toString(MAX_UPLOAD);
        off = TestServer.start(offData, Map.of(), "--max-upload-bytes", limit);
        publicOnly = TestServer.start(publicOnlyData, Map.of("CLICKSEG_REMOTE_IMAGES", "true"), "--max-upload-bytes", limit);
        AddressPolicy loopbackToo = address -> address.isLoopbackAddress() ? null : PublicAddresses.ONLY.refusal(address);
        loopbackAllowed = TestServer.start(loopbackData, loopbackToo, Map.of(), "--remote-images", "--max-upload-bytes", limit);
    }

    @AfterAll
    static void stop() {
        off.close();
        publicOnly.close();
        loopbackAllowed.close();
        images.stop(0);
    }

    private static void send(HttpExchange exchange, int status, long length, byte[] body) throws IOException {
        try {
            exchange.sendResponseHeaders(status, length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the clickseg server hung up on an oversized body, as it should
        } finally {
            exchange.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 302, -1, null);
    }

    private static HttpResponse<byte[]> fetch(TestServer server, String url) throws Exception {
        return server.postJson("/api/images/fetch", "{\"url\": \"" + url + "\"}");
    }

    private static String error(HttpResponse<byte[]> response) {
        return TestServer.json(response).get("error").getAsString();
    }

    @Test
    void fetching_is_off_by_default_and_says_so() throws Exception {
        requested.clear();
        HttpResponse<byte[]> response = fetch(off, imagesBase + "/photo.png");
        assertEquals(403, response.statusCode());
        assertEquals("remote_images_disabled", error(response));
        assertEquals(List.of(), requested);
    }

    @Test
    void a_fetched_image_is_added_exactly_like_an_upload_of_its_bytes() throws Exception {
        HttpResponse<byte[]> response = fetch(loopbackAllowed, imagesBase + "/photo.png");
        assertEquals(200, response.statusCode(), TestServer.text(response));
        JsonObject body = TestServer.json(response);
        String id = body.get("id").getAsString();
        assertEquals(Sha256.hex(PNG), id);
        assertEquals(120, body.get("width").getAsInt());
        assertEquals(80, body.get("height").getAsInt());
        assertArrayEquals(PNG, loopbackAllowed.get("/api/images/" + id).body(), "the stored original is the fetched bytes");

        HttpResponse<byte[]> upload = loopbackAllowed.post("/api/images", PNG, "image/png");
        assertEquals(id, TestServer.json(upload).get("id").getAsString());
        assertTrue(TestServer.json(upload).get("cached").getAsBoolean(), "an upload of the same bytes finds it encoded");

        HttpResponse<byte[]> redirected = fetch(loopbackAllowed, imagesBase + "/to-photo");
        assertEquals(200, redirected.statusCode(), TestServer.text(redirected));
        assertEquals(id, TestServer.json(redirected).get("id").getAsString());
    }

    @Test
    void the_production_policy_refuses_the_loopback_image_server_without_contacting_it() throws Exception {
        requested.clear();
        for (String url : List.of(imagesBase + "/photo.png", "http://localhost:" + images.getAddress().getPort() + "/photo.png",
                "http://[::1]:" + images.getAddress().getPort() + "/photo.png", "http://169.254.169.254/latest/meta-data/",
                "http://10.1.2.3/a.png", "http://[::ffff:127.0.0.1]:" + images.getAddress().getPort() + "/photo.png")) {
            HttpResponse<byte[]> response = fetch(publicOnly, url);
            assertEquals(400, response.statusCode(), url);
            assertEquals("url_refused", error(response), url);
            String message = TestServer.json(response).get("message").getAsString();
            assertTrue(message.contains("only public addresses"), message);
        }
        assertEquals(List.of(), requested);
    }

    @Test
    void a_redirect_to_the_metadata_address_is_refused() throws Exception {
        HttpResponse<byte[]> response = fetch(loopbackAllowed, imagesBase + "/to-metadata");
        assertEquals(400, response.statusCode());
        assertEquals("url_refused", error(response));
        assertTrue(TestServer.text(response).contains("169.254.169.254"), TestServer.text(response));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/photo.png", "gopher://127.0.0.1:70/_GET", "jar:file:/tmp/x.jar!/a.png",
            "not a url at all", "//127.0.0.1/photo.png"})
    void other_schemes_and_malformed_urls_are_refused(String url) throws Exception {
        HttpResponse<byte[]> response = fetch(loopbackAllowed, url);
        assertEquals(400, response.statusCode(), url);
        assertEquals("url_refused", error(response), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"url\": ", "[\"http://a.example/x.png\"]", "{\"href\": \"http://a.example/x.png\"}", "{\"url\": 42}", "",
            "{\"url\": \"\"}"})
    void a_body_that_is_not_json_with_a_url_string_is_a_bad_request(String body) throws Exception {
        HttpResponse<byte[]> response = loopbackAllowed.postJson("/api/images/fetch", body);
        assertEquals(400, response.statusCode(), body);
        assertEquals("bad_request", error(response), body);
    }

    @Test
    void a_request_body_far_larger_than_a_url_needs_is_refused_with_413() throws Exception {
        String padded = "{\"url\": \"" + imagesBase + "/photo.png\", \"padding\": \"" + "x".repeat(100_000) + "\"}";
        HttpResponse<byte[]> response = loopbackAllowed.postJson("/api/images/fetch", padded);
        assertEquals(413, response.statusCode());
        assertEquals("payload_too_large", error(response));
    }

    @Test
    void an_image_over_the_upload_limit_is_refused_with_413_naming_the_limit() throws Exception {
        HttpResponse<byte[]> response = fetch(loopbackAllowed, imagesBase + "/huge.png");
        assertEquals(413, response.statusCode());
        assertEquals("payload_too_large", error(response));
        assertTrue(TestServer.text(response).contains(Integer.toString(MAX_UPLOAD)), TestServer.text(response));
    }

    @Test
    void fetched_bytes_that_are_not_an_image_are_refused_like_such_an_upload() throws Exception {
        HttpResponse<byte[]> response = fetch(loopbackAllowed, imagesBase + "/not-an-image.txt");
        assertEquals(415, response.statusCode());
        assertEquals("unsupported_media_type", error(response));
    }

    @Test
    void past_the_fetches_allowed_in_flight_one_more_is_told_to_retry_later() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest slow = HttpRequest.newBuilder(loopbackAllowed.uri("/api/images/fetch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + imagesBase + "/slow.png\"}")).build();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        try {
            for (int i = 0; i < RemoteImageRoute.CONCURRENT_FETCHES; i++) {
                inFlight.add(http.sendAsync(slow, HttpResponse.BodyHandlers.ofString()));
            }
            assertTrue(slowArrived.await(30, TimeUnit.SECONDS), "every allowed fetch reached the image server");
            HttpResponse<byte[]> refused = fetch(loopbackAllowed, imagesBase + "/photo.png");
            assertEquals(503, refused.statusCode(), TestServer.text(refused));
            assertEquals("busy", error(refused));
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        } finally {
            slowRelease.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> answer : inFlight) {
            assertEquals(502, answer.get(30, TimeUnit.SECONDS).statusCode(), "the slow image answered 404");
        }
    }

    @Test
    void an_unreachable_or_failing_remote_is_a_bad_gateway() throws Exception {
        HttpResponse<byte[]> response = fetch(loopbackAllowed, imagesBase + "/missing.png");
        assertEquals(502, response.statusCode());
        assertEquals("remote_fetch_failed", error(response));
        assertTrue(TestServer.text(response).contains("404"), TestServer.text(response));
    }
}
