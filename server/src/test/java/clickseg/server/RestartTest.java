package clickseg.server;

import clickseg.server.image.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartTest {

    @Test
    void a_restarted_server_serves_stored_images_and_embeddings_without_encoding_again(@TempDir Path data) throws Exception {
        byte[] png = TestImages.encode(TestImages.gradient(128, 96), "png");
        String id;
        byte[] embedding;
        try (TestServer first = TestServer.start(data, Map.of())) {
            id = TestServer.json(first.postRaw(png, "image/png")).get("id").getAsString();
            embedding = first.get("/api/images/" + id + "/embedding?dtype=f32").body();
        }
        try (TestServer second = TestServer.start(data, Map.of())) {
            HttpResponse<byte[]> served = second.get("/api/images/" + id + "/embedding?dtype=f32");
            assertEquals(200, served.statusCode());
            assertArrayEquals(embedding, served.body());
            assertArrayEquals(png, second.get("/api/images/" + id).body());
            assertTrue(TestServer.json(second.postRaw(png, "image/png")).get("cached").getAsBoolean());
            assertEquals(0, second.encodingsCompleted(), "nothing was encoded after the restart");
        }
    }
}
