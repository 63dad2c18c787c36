package clickseg.server.everything;

import clickseg.mask.BinaryMask;
import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static clickseg.server.everything.EverythingJobClient.await;
import static clickseg.server.everything.EverythingJobClient.awaitIdle;
import static clickseg.server.everything.EverythingJobClient.finished;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Segment everything as a job the page follows, against one real server with the real model: one job at a
 * time and one place in the queue (so "full" is two requests away), and decoder time enough that the budget
 * never interferes. Long jobs (a 32×32 grid: a minute or more here) are only started to be cancelled; each
 * test starts when no job runs, and waits on conditions, never on the clock.
 */
class EverythingJobsTest {
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    /**
     * Runs long enough to be caught running, queued behind, or cancelled; never waited for: SAM's full
     * 32 × 32 grid (1,024 decodes), not the default coarse-to-fine walk.
     */
    private static final String LONG = "{\"pointsPerSide\": 32, \"gridLevels\": 1}";

    @TempDir
    static Path data;
    static TestServer server;
    static String shapesId;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data, Map.of("CLICKSEG_EVERYTHING_JOBS", "1", "CLICKSEG_EVERYTHING_QUEUE", "1"),
                "--decoder-seconds-per-minute", "1000000");
        shapesId = server.upload(TestImages.encode(ShapePicture.image(), "png"), "image/png");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void noJobRuns() throws Exception {
        awaitIdle(server);
    }

    @Test
    void an_uncached_request_answers_202_with_a_job_whose_progress_rises_to_the_result_and_then_the_cache_answers_200()
            throws Exception {
        String path = "/api/images/" + shapesId + "/everything";
        String grid = "{\"pointsPerSide\": 16, \"gridLevels\": 1, \"predIouThreshold\": 0.87}"; // 256 points, all planned at once
        HttpResponse<byte[]> posted = server.postJson(path, grid);
        assertEquals(202, posted.statusCode(), TestServer.text(posted));
        JsonObject accepted = TestServer.json(posted);
        String jobId = accepted.get("job").getAsString();
        assertTrue(JOB_ID.matcher(jobId).matches(), "128 random bits, base64url: " + jobId);
        String url = posted.headers().firstValue("Location").orElseThrow();
        assertEquals("/api/everything/jobs/" + jobId, url);
        assertEquals(url, accepted.get("url").getAsString());
        assertEquals(shapesId, accepted.get("image").getAsString());
        assertTrue(Pattern.matches("queued|running", accepted.get("status").getAsString()), accepted.toString());

        List<JsonObject> seen = new ArrayList<>();
        JsonObject done = await(server, url, job -> {
            seen.add(job);
            return finished(job);
        });
        assertEquals("done", done.get("status").getAsString(), done.toString());
        int previousDone = 0;
        double previousFraction = 0;
        boolean sawPartial = false;
        boolean sawMasksWhileRunning = false;
        for (JsonObject job : seen) {
            JsonObject progress = job.getAsJsonObject("progress");
            int pointsDone = progress.get("pointsDone").getAsInt();
            int planned = progress.get("pointsPlanned").getAsInt();
            double fraction = progress.get("fraction").getAsDouble();
            assertTrue(pointsDone >= previousDone && fraction >= previousFraction, "progress never goes back: " + seen);
            assertTrue(pointsDone <= planned || planned == 0, job.toString());
            previousDone = pointsDone;
            previousFraction = fraction;
            if ("running".equals(job.get("status").getAsString())) {
                sawPartial |= pointsDone > 0 && pointsDone < planned && fraction > 0 && fraction < 1;
                if (job.getAsJsonArray("masks").size() > 0) {
                    sawMasksWhileRunning = true;
                    assertEquals(progress.get("masks").getAsInt(), job.getAsJsonArray("masks").size());
                    for (JsonElement m : job.getAsJsonArray("masks")) {
                        BinaryMask mask = EverythingApiTest.decode(m.getAsJsonObject());
                        assertEquals(ShapePicture.WIDTH, mask.width(), "masks so far are in the image's frame");
                        assertEquals(mask.area(), m.getAsJsonObject().get("area").getAsLong());
                    }
                }
            }
        }
        assertTrue(sawPartial, "a 256-point job was seen part way (polled every " + EverythingJobClient.POLL_MILLIS
                + " ms): " + seen.size() + " answers");
        assertTrue(sawMasksWhileRunning, "masks were there before the end");
        JsonObject result = done.getAsJsonObject("result");
        JsonObject progress = done.getAsJsonObject("progress");
        assertEquals(1.0, progress.get("fraction").getAsDouble());
        assertEquals(100, progress.get("percent").getAsInt());
        assertEquals(16 * 16, progress.get("pointsDone").getAsInt());
        assertEquals(result.getAsJsonObject("timing").get("points").getAsInt(), progress.get("pointsDone").getAsInt());
        assertTrue(result.get("count").getAsInt() > 0, result.toString());

        long start = System.nanoTime();
        HttpResponse<byte[]> again = server.postJson(path, grid);
        assertEquals(200, again.statusCode(), "a cached result is answered at once: " + TestServer.text(again));
        assertFalse(again.headers().firstValue("Location").isPresent());
        JsonObject cached = TestServer.json(again);
        assertTrue(cached.get("cached").getAsBoolean());
        assertEquals(result.get("masks"), cached.get("masks"), "the job's result is the cached answer");
        System.out.println("cached answer in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @Test
    void a_second_request_for_the_same_image_and_parameters_joins_the_running_job() throws Exception {
        String path = "/api/images/" + shapesId + "/everything";
        String grid = "{\"pointsPerSide\": 16, \"gridLevels\": 1, \"predIouThreshold\": 0.86}"; // 256 points, all planned at once
        HttpResponse<byte[]> first = server.postJson(path, grid);
        HttpResponse<byte[]> second = server.postJson(path, grid);
        assertEquals(202, first.statusCode(), TestServer.text(first));
        assertEquals(202, second.statusCode(), TestServer.text(second));
        String id = TestServer.json(first).get("job").getAsString();
        assertEquals(id, TestServer.json(second).get("job").getAsString(), "one job for both");
        JsonObject health = TestServer.json(server.get("/health")).getAsJsonObject("everything");
        assertEquals(1, health.get("running").getAsInt() + health.get("waiting").getAsInt(), "one computation: " + health);
        JsonObject done = await(server, "/api/everything/jobs/" + id, EverythingJobClient::finished);
        assertEquals("done", done.get("status").getAsString(), done.toString());
        assertEquals(16 * 16, done.getAsJsonObject("result").getAsJsonObject("timing").get("points").getAsInt(),
                "the points of one grid, decoded once");
    }

    @Test
    void past_the_queue_a_request_gets_503_with_retry_after_and_a_queued_job_says_its_place() throws Exception {
        String path = "/api/images/" + shapesId + "/everything";
        HttpResponse<byte[]> running = server.postJson(path, LONG);
        HttpResponse<byte[]> queued = server.postJson(path, "{\"pointsPerSide\": 32, \"gridLevels\": 1, \"predIouThreshold\": 0.85}");
        HttpResponse<byte[]> refused = server.postJson(path, "{\"pointsPerSide\": 32, \"gridLevels\": 1, \"predIouThreshold\": 0.84}");
        String runningUrl = running.headers().firstValue("Location").orElseThrow();
        String queuedUrl = queued.headers().firstValue("Location").orElseThrow();
        try {
            assertEquals(202, running.statusCode(), TestServer.text(running));
            assertEquals(202, queued.statusCode(), TestServer.text(queued));
            JsonObject waiting = TestServer.json(server.get(queuedUrl));
            assertEquals("queued", waiting.get("status").getAsString(), waiting.toString());
            assertEquals(1, waiting.get("position").getAsInt());
            assertEquals(503, refused.statusCode(), TestServer.text(refused));
            assertEquals("busy", TestServer.json(refused).get("error").getAsString());
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        } finally {
            server.delete(queuedUrl);
            server.delete(runningUrl);
        }
        JsonObject cancelledWhileQueued = TestServer.json(server.get(queuedUrl));
        assertEquals("cancelled", cancelledWhileQueued.get("status").getAsString());
        assertEquals(0, cancelledWhileQueued.getAsJsonObject("progress").get("pointsDone").getAsInt(), "it never ran");
    }

    @Test
    void deleting_a_running_job_cancels_it_its_get_says_so_and_the_next_request_starts_afresh() throws Exception {
        String path = "/api/images/" + shapesId + "/everything";
        HttpResponse<byte[]> posted = server.postJson(path, LONG);
        assertEquals(202, posted.statusCode(), TestServer.text(posted));
        String url = posted.headers().firstValue("Location").orElseThrow();
        await(server, url, job -> job.getAsJsonObject("progress").get("pointsDone").getAsInt() > 0);

        HttpResponse<byte[]> deleted = server.delete(url);
        assertEquals(200, deleted.statusCode(), TestServer.text(deleted));
        JsonObject answer = TestServer.json(deleted);
        assertEquals("cancelled", answer.get("status").getAsString());
        assertEquals("deleted", answer.get("reason").getAsString());
        awaitIdle(server); // the decoder threads stop at their next point
        JsonObject after = TestServer.json(server.get(url));
        assertEquals("cancelled", after.get("status").getAsString());
        assertTrue(after.get("message").getAsString().contains("DELETE"), after.toString());
        int stoppedAt = after.getAsJsonObject("progress").get("pointsDone").getAsInt();
        assertTrue(stoppedAt < 32 * 32, "stopped part way: " + stoppedAt);
        assertFalse(after.has("result"));
        assertEquals(200, server.delete(url).statusCode(), "deleting again changes nothing");

        HttpResponse<byte[]> again = server.postJson(path, LONG);
        assertEquals(202, again.statusCode(), TestServer.text(again));
        String againUrl = again.headers().firstValue("Location").orElseThrow();
        assertNotEquals(url, againUrl, "a cancelled job is not joined");
        server.delete(againUrl);
    }

    @Test
    void unknown_and_malformed_job_ids_get_json_errors() throws Exception {
        for (String bad : new String[] {"x", "not-a-job", "A".repeat(23), "AAAAAAAAAAAAAAAAAAAAA%21"}) {
            for (HttpResponse<byte[]> r : List.of(server.get("/api/everything/jobs/" + bad),
                    server.delete("/api/everything/jobs/" + bad))) {
                assertEquals(400, r.statusCode(), bad + ": " + TestServer.text(r));
                assertEquals("bad_id", TestServer.json(r).get("error").getAsString());
            }
        }
        String unknown = "AAAAAAAAAAAAAAAAAAAAAA";
        for (HttpResponse<byte[]> r : List.of(server.get("/api/everything/jobs/" + unknown),
                server.delete("/api/everything/jobs/" + unknown))) {
            assertEquals(404, r.statusCode(), TestServer.text(r));
            assertEquals("not_found", TestServer.json(r).get("error").getAsString());
        }
    }

    /** Its own server whose store holds one image: uploading a second evicts the first. */
    @Test
    void a_job_whose_image_is_evicted_from_the_store_is_cancelled_and_says_why(@TempDir Path small) throws Exception {
        try (TestServer tight = TestServer.start(small, Map.of(), "--store-bytes", "5000000",
                "--decoder-seconds-per-minute", "1000000")) {
            String first = tight.upload(TestImages.encode(ShapePicture.image(), "png"), "image/png");
            HttpResponse<byte[]> posted = tight.postJson("/api/images/" + first + "/everything", LONG);
            assertEquals(202, posted.statusCode(), TestServer.text(posted));
            String url = posted.headers().firstValue("Location").orElseThrow();
            await(tight, url, job -> job.getAsJsonObject("progress").get("pointsDone").getAsInt() > 0);

            tight.upload(TestImages.encode(other(), "png"), "image/png"); // 4 MiB of embedding: the first goes
            assertEquals(404, tight.get("/api/images/" + first).statusCode(), "the first image was evicted");
            JsonObject cancelled = await(tight, url, EverythingJobClient::finished);
            assertEquals("cancelled", cancelled.get("status").getAsString(), cancelled.toString());
            assertEquals("image_evicted", cancelled.get("reason").getAsString());
            assertTrue(cancelled.get("message").getAsString().contains("evicted"), cancelled.toString());
            awaitIdle(tight);
            assertTrue(TestServer.json(tight.get(url)).getAsJsonObject("progress").get("pointsDone").getAsInt() < 32 * 32);
        }
    }

    /** Another picture (so another id): the shapes, mirrored. */
    private static BufferedImage other() {
        BufferedImage image = ShapePicture.image();
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }
}
