package clickseg.server;

import clickseg.server.image.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoderQueueTest {

    @Test
    void with_the_worker_busy_and_no_queue_an_upload_gets_503_with_retry_after(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data, Map.of(), "--encode-workers", "1", "--encode-queue", "0")) {
            CompletableFuture<HttpResponse<byte[]>> first =
                    server.postRawAsync(TestImages.encode(TestImages.gradient(100, 80), "png"), "image/png");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (server.health().getAsJsonObject("encoder").get("running").getAsInt() == 0) {
                assertFalse(first.isDone(), "the first encoding must still be running to test the refusal");
                assertTrue(System.nanoTime() < deadline, "the first encoding never started");
                Thread.sleep(5);
            }
            byte[] refusedImage = TestImages.encode(TestImages.gradient(101, 80), "png");
            HttpResponse<byte[]> refused = server.postRaw(refusedImage, "image/png");
            assertEquals(503, refused.statusCode(), new String(refused.body()));
            assertEquals("busy", TestServer.json(refused).get("error").getAsString());
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
            assertEquals(200, first.get().statusCode(), "the running encoding is unaffected");
            String refusedId = Sha256.hex(refusedImage);
            assertEquals(0, server.storedFiles().stream().filter(p -> p.toString().contains(refusedId)).count(),
                    "nothing of the refused image was stored");
            assertTrue(server.storedFiles().stream().anyMatch(p -> p.toString().contains("embeddings")),
                    "the first image's embedding was");
        }
    }
}
