package clickseg.server.everything;

import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPU as an attack surface (issue: one 64-byte unauthenticated POST held both cores for hours, changed
 * thresholds defeated the cache, and it worked cross-site as a text/plain POST).
 */
class CpuAdmissionTest {
    private static final String ISSUE_JOB = "{\"pointsPerSide\":64,\"cropLayers\":3,\"cropPointsDownscale\":1}";
    private static final String UNKNOWN = "/api/images/" + "0".repeat(64) + "/everything";

    @Test
    void the_issue_s_hours_long_everything_job_is_refused_with_400_naming_the_caps(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data)) {
            String id = server.upload(TestImages.encode(ShapePicture.image(), "png"), "image/png");
            HttpResponse<byte[]> response = server.postJson("/api/images/" + id + "/everything", ISSUE_JOB);
            assertEquals(400, response.statusCode(), TestServer.text(response));
            String message = TestServer.json(response).get("message").getAsString();
            assertTrue(message.contains("pointsPerSide <= 32") && message.contains("--large-everything-jobs"), message);
            HttpResponse<byte[]> batch = server.postJson("/api/everything",
                    "{\"images\": [\"" + id + "\"], \"pointsPerSide\": 32, \"cropLayers\": 1, \"cropPointsDownscale\": 1}");
            assertEquals(400, batch.statusCode(), "32 points on 4 crops too: 5,120 decodes");
        }
    }

    @Test
    void an_operator_can_allow_larger_jobs(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data, Map.of(), "--large-everything-jobs")) {
            HttpResponse<byte[]> response = server.postJson(UNKNOWN, "{\"pointsPerSide\": 48, \"cropLayers\": 2}");
            assertEquals(404, response.statusCode(), "past the parameter check, to the image lookup: "
                    + TestServer.text(response));
        }
    }

    @Test
    void cpu_costing_posts_take_only_json_so_other_sites_cannot_send_them_as_simple_requests(@TempDir Path data)
            throws Exception {
        try (TestServer server = TestServer.start(data, Map.of(), "--remote-images")) {
            String id = server.upload(TestImages.encode(ShapePicture.image(), "png"), "image/png");
            byte[] body = "{\"pointsPerSide\": 4}".getBytes(StandardCharsets.UTF_8);
            for (String path : new String[] {"/api/images/" + id + "/everything", "/api/everything",
                    "/api/everything/coco", "/api/images/" + id + "/segment", "/api/shares", "/api/images/fetch"}) {
                for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
                    HttpResponse<byte[]> response = server.post(path, body, type);
                    assertEquals(415, response.statusCode(), path + " as " + type + ": " + TestServer.text(response));
                    assertEquals("unsupported_media_type", TestServer.json(response).get("error").getAsString());
                }
            }
        }
    }

    @Test
    void past_its_decoder_seconds_a_client_gets_429_with_retry_after_until_the_budget_refills(@TempDir Path data)
            throws Exception {
        try (TestServer server = TestServer.start(data, Map.of(), "--decoder-seconds-per-minute", "1")) {
            String id = server.upload(TestImages.encode(ShapePicture.image(), "png"), "image/png");
            String path = "/api/images/" + id + "/everything";
            JsonObject first = EverythingJobClient.completed(server, server.postJson(path, "{\"pointsPerSide\": 16}"));
            double spent = first.getAsJsonObject("timing").get("decoderCpuSeconds").getAsDouble();
            assertTrue(spent > 1.0, "the first job must overdraw a 1 s budget to test the refusal: " + spent + " s");
            // the issue's cache-busting variant: same grid, another threshold
            HttpResponse<byte[]> second = server.postJson(path, "{\"pointsPerSide\": 16, \"predIouThreshold\": 0.87}");
            assertEquals(429, second.statusCode(), TestServer.text(second));
            long retryAfter = Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60 * (long) Math.ceil(spent), "Retry-After " + retryAfter);
            HttpResponse<byte[]> segment = server.postJson("/api/images/" + id + "/segment", "{\"points\": [[10, 10]], \"labels\": [1]}");
            assertEquals(429, segment.statusCode(), "segment shares the budget: " + TestServer.text(segment));
            HttpResponse<byte[]> cached = server.postJson(path, "{\"pointsPerSide\": 16}");
            assertEquals(429, cached.statusCode(), "the budget is checked before the body is read");
            assertEquals(200, server.get("/health").statusCode(), "reads are not rationed");
        }
    }
}
