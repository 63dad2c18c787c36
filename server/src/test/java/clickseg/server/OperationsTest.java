package clickseg.server;

import clickseg.server.image.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator runs the server with: metrics, request ids, the deployment flags, graceful shutdown. */
class OperationsTest {

    @Test
    void metrics_count_requests_by_route_template_and_status_and_every_answer_carries_a_request_id(@TempDir Path data)
            throws Exception {
        try (TestServer server = TestServer.start(data)) {
            HttpResponse<byte[]> health = server.get("/health");
            String generated = health.headers().firstValue("X-Request-Id").orElseThrow();
            assertTrue(generated.length() >= 8, generated);
            assertEquals("proxy-42", server.get("/health", "X-Request-Id", "proxy-42").headers()
                    .firstValue("X-Request-Id").orElseThrow(), "a sane id from a proxy is kept");
            assertNotEquals("bad id\u0007", server.get("/health", "X-Request-Id", "bad id").headers()
                    .firstValue("X-Request-Id").orElseThrow());
            server.get("/api/images/" + "0".repeat(64));
            String metrics = TestServer.text(server.get("/metrics"));
            assertTrue(metrics.contains("clickseg_http_requests_seconds_count{method=\"GET\",route=\"/health\",status=\"200\"} 3"),
                    metrics);
            assertTrue(metrics.contains("route=\"/api/images/{id}\",status=\"404\""), "templates, not raw paths");
            assertTrue(metrics.contains("clickseg_encode_queue_depth"), metrics);
            assertTrue(metrics.contains("clickseg_store_bytes"), metrics);
            assertTrue(metrics.contains("clickseg_decoder_cpu_seconds_total 0.0"), "no mask decoded yet: " + metrics);

            String id = server.upload(TestImages.encode(TestImages.gradient(160, 120), "png"), "image/png");
            assertEquals(200, server.postJson("/api/images/" + id + "/segment",
                    "{\"points\": [[80, 60]], \"labels\": [1]}").statusCode());
            String after = TestServer.text(server.get("/metrics"));
            double decoderSeconds = Double.parseDouble(after.lines()
                    .filter(line -> line.startsWith("clickseg_decoder_cpu_seconds_total ")).findFirst().orElseThrow()
                    .split(" ")[1]);
            assertTrue(decoderSeconds > 0, "a click's decoder time is counted: " + decoderSeconds);
            assertTrue(TestServer.text(health).contains("\"role\":\"all\""));
        }
    }

    @Test
    void json_logs_are_one_object_per_line_and_the_lines_of_a_request_carry_its_id(@TempDir Path data)
            throws Exception {
        try (ForkedServer server = ForkedServer.start("1g", data, "--log-format", "json")) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(server.uri("/api/images/" + "0".repeat(64)))
                    .header("X-Request-Id", "trace-42").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            com.google.gson.JsonObject access = null;
            while (access == null && System.nanoTime() < deadline) {
                for (String line : server.log()) {
                    if (line.contains("trace-42")) {
                        access = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
                    }
                }
                Thread.sleep(50);
            }
            assertTrue(access != null, "an access line for the request: " + server.log());
            assertEquals("clickseg.access", access.get("loggerName").getAsString());
            assertEquals("trace-42", access.getAsJsonObject("mdc").get("requestId").getAsString());
            String fields = access.get("kvpList").toString();
            assertTrue(fields.contains("{\"status\":\"404\"}") && fields.contains("{\"method\":\"GET\"}")
                    && fields.contains("/api/images/"), fields);

            List<String> lines = server.log();
            int parsed = 0;
            for (String line : lines) {
                if (line.startsWith("WARNING: Using incubator modules")) {
                    continue; // the JVM's own notice, before any logger exists
                }
                com.google.gson.JsonObject object = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
                assertTrue(object.has("level") && object.has("loggerName") && object.has("formattedMessage")
                        && object.has("timestamp"), line);
                parsed++;
            }
            assertTrue(parsed >= 5, "start-up and request lines, every one JSON: " + lines);
        }
    }

    @Test
    void the_replica_flags_are_checked_with_messages_that_name_them() {
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(new String[] {"--log-format", "xml"}, Map.of(), 2));
        assertTrue(format.getMessage().contains("--log-format"), format.getMessage());
        assertTrue(ServerConfig.parse(new String[0], Map.of("CLICKSEG_LOG_FORMAT", "json"), 2).jsonLogs());
        ServerConfig defaults = ServerConfig.parse(new String[0], Map.of(), 2);
        assertEquals(ServerConfig.Role.ALL, defaults.role());
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(new String[] {"--role", "api"}, Map.of(), 2));
        assertTrue(alone.getMessage().contains("--store") && alone.getMessage().contains("--share-db"), alone.getMessage());
        IllegalArgumentException role = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(new String[] {"--role", "gpu"}, Map.of(), 2));
        assertTrue(role.getMessage().contains("--role"), role.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(new String[] {"--store", "/srv/bucket"}, Map.of(), 2));
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(new String[] {"--share-db", "jdbc:mysql://db/x"}, Map.of(), 2));
        ServerConfig replica = ServerConfig.parse(new String[] {"--role=encoder", "--store", "s3://b/p",
                "--s3-endpoint", "http://127.0.0.1:9000", "--share-db", "jdbc:postgresql://db/clickseg"}, Map.of(), 2);
        assertEquals(ServerConfig.Role.ENCODER, replica.role());
        assertEquals("http://127.0.0.1:9000", replica.s3Endpoint().toString());
    }

    @Test
    void a_terminated_server_finishes_the_running_encoding_and_refuses_new_uploads_meanwhile(@TempDir Path data)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (ForkedServer server = ForkedServer.start("1g", data, "--encode-workers", "1", "--ort-threads", "1")) {
            // Three images for one worker: the queue keeps the server busy for seconds after the stop signal.
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] image = TestImages.encode(TestImages.gradient(1200 + i, 900), "png");
                inFlight.add(http.sendAsync(HttpRequest.newBuilder(server.uri("/api/images"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!http.send(HttpRequest.newBuilder(server.uri("/health")).build(), HttpResponse.BodyHandlers.ofString())
                    .body().contains("\"waiting\":2")) {
                assertTrue(System.nanoTime() < deadline, "the encodings never queued: " + server.log());
                Thread.sleep(20); // watching another process
            }
            server.terminate();
            try {
                awaitDraining(http, server, deadline);
            } catch (java.io.IOException e) {
                throw new AssertionError("stopped at once; the server said:\n" + String.join("\n", server.log()), e);
            }
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(server.uri("/api/images"))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(
                            TestImages.encode(TestImages.gradient(64, 48), "png"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("shutting_down"), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            for (CompletableFuture<HttpResponse<String>> upload : inFlight) {
                HttpResponse<String> finished;
                try {
                    finished = upload.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("an upload started before the stop got no answer; the server said:\n"
                            + String.join("\n", server.log()), e);
                }
                assertEquals(200, finished.statusCode(), "started before the stop, finished after it: " + finished.body());
            }
            assertTrue(server.awaitExit(60) >= 0, "the process exits once the encoding is done");
        }
    }

    private static void awaitDraining(HttpClient http, ForkedServer server, long deadline) throws Exception {
        while (!http.send(HttpRequest.newBuilder(server.uri("/health")).build(), HttpResponse.BodyHandlers.ofString())
                .body().contains("\"status\":\"draining\"")) {
            assertTrue(System.nanoTime() < deadline, "the server never started draining: " + server.log());
            Thread.sleep(20); // watching another process
        }
    }
}
