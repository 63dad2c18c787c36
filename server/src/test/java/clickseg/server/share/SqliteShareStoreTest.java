package clickseg.server.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQLite store on its own: round trip, secret checks, pins, transactions and schema versions. */
class SqliteShareStoreTest {
    private static final String IMAGE_A = "a".repeat(64);
    private static final String IMAGE_B = "b".repeat(64);

    private static Share share(String id, String imageId) {
        return new Share(id, imageId, "model-1", "t", "{\"points\":[]}", 4, 3, "<counts>", 1_700_000_000_000L);
    }

    @Test
    void a_share_reads_back_field_for_field_and_only_its_secret_deletes_it(@TempDir Path dir) throws Exception {
        try (SqliteShareStore store = SqliteShareStore.open(dir.resolve("shares.db"))) {
            Share share = share("AAAAAAAAAAAAAAAAAAAAAA", IMAGE_A);
            store.create(share, ShareTokens.hash("right"));
            assertEquals(share, store.find(share.id()));
            assertEquals(ShareStore.Deletion.WRONG_SECRET, store.delete(share.id(), ShareTokens.hash("wrong")));
            assertEquals(share, store.find(share.id()), "a wrong secret changes nothing");
            assertEquals(ShareStore.Deletion.DELETED, store.delete(share.id(), ShareTokens.hash("right")));
            assertNull(store.find(share.id()));
            assertEquals(ShareStore.Deletion.NOT_FOUND, store.delete(share.id(), ShareTokens.hash("right")));
        }
    }

    @Test
    void pinned_images_are_those_of_the_shares_that_remain(@TempDir Path dir) throws Exception {
        try (SqliteShareStore store = SqliteShareStore.open(dir.resolve("shares.db"))) {
            store.create(share("AAAAAAAAAAAAAAAAAAAAAA", IMAGE_A), ShareTokens.hash("1"));
            store.create(share("BBBBBBBBBBBBBBBBBBBBBB", IMAGE_A), ShareTokens.hash("2"));
            store.create(share("CCCCCCCCCCCCCCCCCCCCCC", IMAGE_B), ShareTokens.hash("3"));
            assertEquals(Set.of(IMAGE_A, IMAGE_B), store.pinnedImageIds());
            store.delete("AAAAAAAAAAAAAAAAAAAAAA", ShareTokens.hash("1"));
            assertEquals(Set.of(IMAGE_A, IMAGE_B), store.pinnedImageIds(), "another share still points at A");
            store.delete("CCCCCCCCCCCCCCCCCCCCCC", ShareTokens.hash("3"));
            assertEquals(Set.of(IMAGE_A), store.pinnedImageIds());
        }
    }

    @Test
    void a_failed_write_leaves_the_database_as_it_was(@TempDir Path dir) throws Exception {
        try (SqliteShareStore store = SqliteShareStore.open(dir.resolve("shares.db"))) {
            Share first = share("AAAAAAAAAAAAAAAAAAAAAA", IMAGE_A);
            store.create(first, ShareTokens.hash("1"));
            Share sameId = share("AAAAAAAAAAAAAAAAAAAAAA", IMAGE_B);
            assertThrows(ShareStore.ShareStoreException.class, () -> store.create(sameId, ShareTokens.hash("2")));
            assertEquals(first, store.find(first.id()));
            assertEquals(Set.of(IMAGE_A), store.pinnedImageIds());
        }
    }

    @Test
    void a_database_from_a_newer_server_is_refused_rather_than_guessed_at(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shares.db");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            statement.execute("INSERT INTO schema_version (version) VALUES (" + (ShareMigrations.latestVersion() + 1) + ")");
        }
        ShareStore.ShareStoreException refused = assertThrows(ShareStore.ShareStoreException.class,
                () -> SqliteShareStore.open(file));
        assertTrue(refused.getMessage().contains("newer than this server"), refused.getMessage());
    }
}
