package clickseg.server.share;

import clickseg.server.TestServer;
import clickseg.server.image.TestImages;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shares across the server's life: the creation rate limit, restarts, and the blob store's eviction. */
class ShareLifecycleTest {

    @Test
    void past_the_rate_limit_a_client_gets_429_with_retry_after_and_refused_bodies_do_not_count(@TempDir Path data)
            throws Exception {
        try (TestServer server = TestServer.start(data, Map.of(), "--share-rate", "2")) {
            String imageId = server.upload(TestImages.encode(TestImages.gradient(64, 48), "png"), "image/png");
            String body = ShareFixture.body(imageId, ShareFixture.modelId(server), null,
                    ShareFixture.rectangle(64, 48, 5, 5, 20, 20));
            for (int i = 0; i < 3; i++) {
                assertEquals(400, server.postJson("/api/shares", "{\"broken\"").statusCode());
            }
            assertEquals(201, server.postJson("/api/shares", body).statusCode());
            assertEquals(201, server.postJson("/api/shares", body).statusCode());
            HttpResponse<byte[]> refused = server.postJson("/api/shares", body);
            assertEquals(429, refused.statusCode());
            assertEquals("rate_limited", TestServer.json(refused).get("error").getAsString());
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        }
    }

    @Test
    void a_restarted_server_keeps_its_shares_and_migrating_again_changes_nothing(@TempDir Path data) throws Exception {
        String id;
        String secret;
        String document;
        try (TestServer first = TestServer.start(data)) {
            String imageId = first.upload(TestImages.encode(TestImages.gradient(64, 48), "png"), "image/png");
            JsonObject created = TestServer.json(first.postJson("/api/shares", ShareFixture.body(imageId,
                    ShareFixture.modelId(first), "kept", ShareFixture.rectangle(64, 48, 5, 5, 20, 20))));
            id = created.get("id").getAsString();
            secret = created.get("secret").getAsString();
            document = TestServer.text(first.get("/api/shares/" + id));
        }
        try (TestServer second = TestServer.start(data)) {
            assertEquals(document, TestServer.text(second.get("/api/shares/" + id)), "the share survives a restart");
        }
        try (TestServer third = TestServer.start(data)) {
            assertEquals(204, ShareFixture.delete(third, "/api/shares/" + id, secret).statusCode(),
                    "the secret still works");
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(".shares/shares.db"));
             Statement statement = db.createStatement();
             ResultSet versions = statement.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(versions.next());
            assertEquals(ShareMigrations.latestVersion(), versions.getInt(1));
            assertFalse(versions.next(), "one version row after three starts");
        }
    }

    @Test
    void eviction_never_removes_a_shared_image_or_its_embedding_until_the_share_is_deleted(@TempDir Path data)
            throws Exception {
        // An f32 embedding is 4 MiB: a 6 MiB budget holds one image, so every upload evicts the one before.
        try (TestServer server = TestServer.start(data, Map.of(), "--store-bytes", "6m")) {
            String modelId = ShareFixture.modelId(server);
            String shared = server.upload(TestImages.encode(TestImages.gradient(64, 48), "png"), "image/png");
            JsonObject created = TestServer.json(server.postJson("/api/shares", ShareFixture.body(shared, modelId, null,
                    ShareFixture.rectangle(64, 48, 5, 5, 20, 20))));
            String unshared = server.upload(TestImages.encode(TestImages.gradient(70, 50), "png"), "image/png");
            server.upload(TestImages.encode(TestImages.gradient(72, 52), "png"), "image/png");

            assertFalse(Files.exists(data.resolve("embeddings/" + modelId + "/" + unshared)), "eviction did run");
            assertEquals(200, server.get("/api/images/" + shared).statusCode(), "the shared image is kept");
            assertTrue(Files.exists(data.resolve("embeddings/" + modelId + "/" + shared)), "and its embedding");
            assertEquals(200, server.get("/s/" + created.get("id").getAsString() + "/preview.png").statusCode());

            assertEquals(204, ShareFixture.delete(server, "/api/shares/" + created.get("id").getAsString(),
                    created.get("secret").getAsString()).statusCode());
            server.upload(TestImages.encode(TestImages.gradient(74, 54), "png"), "image/png");
            assertFalse(Files.exists(data.resolve("embeddings/" + modelId + "/" + shared)),
                    "unpinned, its embedding (the least recently used blob) is evicted again");
        }
    }
}
