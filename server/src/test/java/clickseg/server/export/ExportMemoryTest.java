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
 * anything is parsed or decoded, and small exports still go through.
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
}
