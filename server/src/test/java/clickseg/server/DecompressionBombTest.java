package clickseg.server;

import clickseg.server.image.DecompressionBombs;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decompression bombs against a server with a 1 GB heap (issue: 8 concurrent 7071 x 7071 1-bit PNGs of 6 KB
 * each brought OutOfMemoryErrors, empty 500s and valid uploads answered 400).
 */
class DecompressionBombTest {

    @Test
    void forty_concurrent_png_bombs_get_only_200_413_or_503_and_the_server_stays_healthy(@TempDir Path data)
            throws Exception {
        byte[] bomb = DecompressionBombs.png7071();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (ForkedServer server = ForkedServer.start("1g", data)) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(server.uri("/api/images"))
                        .header("Content-Type", "image/png").timeout(Duration.ofMinutes(3))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                statuses.merge(response.statusCode(), 1, Integer::sum);
                assertTrue(Set.of(200, 413, 503).contains(response.statusCode()),
                        response.statusCode() + " " + response.body());
                assertTrue(response.body().startsWith("{"), "a JSON answer, never an empty one: " + response.body());
            }
            System.out.println("40 PNG bombs: " + statuses + ", server peak RSS " + server.peakRssMib() + " MiB");
            assertTrue(statuses.getOrDefault(200, 0) > 0, "the bomb is a valid image: some copies are encoded");
            assertTrue(server.alive());
            assertFalse(server.log().stream().anyMatch(line -> line.contains("OutOfMemoryError")), "no OOM in the log");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.uri("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> valid = http.send(HttpRequest.newBuilder(server.uri("/api/images"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.encode(TestImages.gradient(320, 240), "png")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, valid.statusCode(), "a valid upload afterwards is encoded: " + valid.body());
        }
    }
}
