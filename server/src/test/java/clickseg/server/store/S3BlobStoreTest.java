package clickseg.server.store;

import clickseg.testservers.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 blob store against a real S3-compatible server (S3Proxy on its filesystem backend), no mocks. */
class S3BlobStoreTest {
    @TempDir
    static Path folder;
    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start(folder.resolve("buckets"), "clickseg-test");
        s3.useCredentialsInThisJvm();
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void a_blob_and_its_metadata_read_back_and_the_metadata_needs_no_read_of_the_blob() throws Exception {
        try (S3BlobStore store = S3BlobStore.open("s3://clickseg-test/replica-a", s3.endpoint())) {
            byte[] bytes = new byte[100_000];
            bytes[7] = 42;
            store.put("embeddings/model-1/abc", bytes, Map.of("width", "640", "height", "480", "sha256", "feed"));
            assertArrayEquals(bytes, store.get("embeddings/model-1/abc"));
            BlobStore.BlobInfo info = store.info("embeddings/model-1/abc");
            assertEquals(100_000, info.size());
            assertEquals("640", info.get("width"));
            assertEquals("feed", info.get("sha256"));
            assertTrue(store.contains("embeddings/model-1/abc"));
            assertTrue(Files.exists(s3.root().resolve("clickseg-test/replica-a/embeddings/model-1/abc")),
                    "the object lies under the prefix in the bucket");
        }
    }

    @Test
    void missing_blobs_are_null_and_deleted_blobs_are_gone() throws Exception {
        try (S3BlobStore store = S3BlobStore.open("s3://clickseg-test", s3.endpoint())) {
            assertNull(store.get("images/missing"));
            assertNull(store.info("images/missing"));
            assertFalse(store.contains("images/missing"));
            store.put("previews/AAAAAAAAAAAAAAAAAAAAAA", new byte[] {1, 2, 3});
            store.delete("previews/AAAAAAAAAAAAAAAAAAAAAA");
            assertNull(store.get("previews/AAAAAAAAAAAAAAAAAAAAAA"));
        }
    }

    @Test
    void two_stores_on_one_bucket_see_each_others_blobs() throws Exception {
        try (S3BlobStore a = S3BlobStore.open("s3://clickseg-test/shared", s3.endpoint());
             S3BlobStore b = S3BlobStore.open("s3://clickseg-test/shared", s3.endpoint())) {
            a.put("images/written-by-a", new byte[] {9});
            assertArrayEquals(new byte[] {9}, b.get("images/written-by-a"));
        }
    }

    @Test
    void a_bucket_that_does_not_exist_or_a_malformed_location_is_refused_at_start() {
        IOException missing = assertThrows(IOException.class,
                () -> S3BlobStore.open("s3://no-such-bucket", s3.endpoint()));
        assertTrue(missing.getMessage().contains("no-such-bucket"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> S3BlobStore.open("https://clickseg-test", s3.endpoint()));
        assertThrows(IllegalArgumentException.class, () -> S3BlobStore.open("s3://clickseg-test/../x", s3.endpoint()));
    }

    @Test
    void keys_that_could_escape_the_prefix_are_refused() throws Exception {
        try (S3BlobStore store = S3BlobStore.open("s3://clickseg-test/p", s3.endpoint())) {
            assertThrows(IllegalArgumentException.class, () -> store.put("../other", new byte[1]));
            assertThrows(IllegalArgumentException.class, () -> store.get(".hidden"));
        }
    }
}
