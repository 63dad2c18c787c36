package clickseg.server.export;

import clickseg.server.TestServer;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports take their heap from the server's memory budget before they use it: on a server given 32 MiB,
 * a body whose parse would cost hundreds of megabytes and a 49-megapixel image are refused with 413 before
 * anything is parsed or decoded, and small exports still go through. Their CPU time is charged to the
 * client's budget that segment and everything requests share.
 */
class ExportMemoryTest {
    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data, Map.of(), "--decode-memory", Long.toString(32L << 20));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertTooLarge(HttpResponse<byte[]> response) {
        String text = TestServer.text(response);
        assertEquals(413, response.statusCode(), text);
        JsonObject json = TestServer.json(response);
        assertEquals("payload_too_large", json.get("error").getAsString());
        assertTrue(json.get("message").getAsString().contains("memory"), text);
    }

    @Test
    void a_body_of_millions_of_small_numbers_is_refused_before_it_is_parsed() throws Exception {
        String body = "{\"images\": [{\"fileName\": \"a\", \"width\": 2000, \"height\": 2000, \"objects\": [{\"rle\": "
                + "{\"size\": [2000, 2000], \"counts\": [" + "0,".repeat(4_000_000) + "4000000]}}]}]}";
        assertTooLarge(server.postJson("/api/export/coco", body));
        assertEquals(200, server.get("/health").statusCode());
    }

    @Test
    void a_49_megapixel_image_needs_more_than_the_budget_and_a_small_one_fits() throws Exception {
        String big = "{\"images\": [{\"fileName\": \"a\", \"width\": 7000, \"height\": 7000, \"objects\": [{\"rle\": "
                + "{\"size\": [7000, 7000], \"counts\": [100, 200, 48999700]}}]}]}";
        assertTooLarge(server.postJson("/api/export/yolo", big));
        String small = "{\"images\": [{\"fileName\": \"a\", \"width\": 700, \"height\": 700, \"objects\": [{\"rle\": "
                + "{\"size\": [700, 700], \"counts\": [100, 200, 489700]}}]}]}";
        HttpResponse<byte[]> response = server.postJson("/api/export/yolo", small);
        assertEquals(200, response.statusCode(), TestServer.text(response));
    }

    @Test
    void past_its_cpu_seconds_a_client_gets_429_with_retry_after_for_exports_and_segments(@TempDir Path other)
            throws Exception {
        try (TestServer limited = TestServer.start(other, Map.of(), "--decoder-seconds-per-minute", "1")) {
            int side = 3000;
            // a 1000 × 1000 square in the middle of 3000 × 3000: column-major runs
            int start = 1000 * side + 1000;
            StringBuilder counts = new StringBuilder().append(start);
            for (int x = 0; x < 1000; x++) {
                counts.append(",1000,").append(x < 999 ? side - 1000 : side * side - start - 1000 * 1000 - 999 * (side - 1000));
            }
            StringBuilder images = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                images.append(i == 0 ? "" : ",").append("{\"fileName\": \"a").append(i).append("\", \"width\": ")
                        .append(side).append(", \"height\": ").append(side).append(", \"objects\": [{\"rle\": "
                        + "{\"size\": [").append(side).append(", ").append(side).append("], \"counts\": [")
                        .append(counts).append("]}}]}");
            }
            String body = "{\"images\": [" + images + "], \"tolerance\": 0}";
            HttpResponse<byte[]> response;
            int requests = 0;
            do { // each export of 100 nine-megapixel images takes about a second of CPU; the budget is one
                response = limited.postJson("/api/export/coco", body);
                requests++;
            } while (response.statusCode() == 200 && requests < 20);
            assertEquals(429, response.statusCode(), TestServer.text(response));
            assertEquals("rate_limited", TestServer.json(response).get("error").getAsString());
            assertTrue(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()) >= 1);
            HttpResponse<byte[]> segment = limited.postJson("/api/images/" + "0".repeat(64) + "/segment",
                    "{\"points\": [[10, 10]], \"labels\": [1]}");
            assertEquals(429, segment.statusCode(), "segment shares the budget: " + TestServer.text(segment));
        }
    }
}
