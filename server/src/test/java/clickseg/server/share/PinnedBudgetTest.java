package clickseg.server.share;

import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue: each share pins ~4.2 MB that eviction never touches; once pins filled --store-bytes, a new upload
 * answered 200 but its original was evicted at once. Pins now have their own budget (--pinned-bytes).
 */
class PinnedBudgetTest {

    @Test
    void shares_filling_the_store_budget_no_longer_crowd_out_a_new_upload(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(data, Map.of(), "--store-bytes", "9m", "--share-rate", "100")) {
            share(server, upload(server, 80));
            share(server, upload(server, 81)); // ~8.4 MB pinned: more than the store's 9 MB with anything else
            String fresh = upload(server, 82);
            assertEquals(200, server.get("/api/images/" + fresh).statusCode(), "the new original is kept");
            assertEquals(200, server.get("/api/images/" + fresh + "/embedding").statusCode());
        }
    }

    @Test
    void a_share_past_the_pinned_budget_is_refused_with_507_and_uploads_go_on(@TempDir Path data) throws Exception {
        // A shared image pins ~5.3 MB: its f32 master (4.2 MB), the stored u8 container (1.1 MB) and the original.
        try (TestServer server = TestServer.start(data, Map.of(), "--pinned-bytes", "6m", "--share-rate", "100")) {
            assertEquals(201, share(server, upload(server, 80)).statusCode());
            HttpResponse<byte[]> refused = share(server, upload(server, 81));
            assertEquals(507, refused.statusCode(), TestServer.text(refused));
            assertEquals("insufficient_storage", TestServer.json(refused).get("error").getAsString());
            String later = upload(server, 82);
            assertEquals(200, server.get("/api/images/" + later).statusCode());
        }
    }

    private static String upload(TestServer server, int width) throws Exception {
        return server.upload(TestImages.encode(TestImages.gradient(width, 60), "png"), "image/png");
    }

    private static HttpResponse<byte[]> share(TestServer server, String imageId) throws Exception {
        return server.postJson("/api/shares", ShareFixture.body(imageId, ShareFixture.modelId(server), "pin",
                ShareFixture.rectangle(imageWidth(server, imageId), 60, 5, 5, 30, 30)));
    }

    private static int imageWidth(TestServer server, String imageId) throws Exception {
        byte[] png = server.get("/api/images/" + imageId).body();
        return javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth();
    }
}
