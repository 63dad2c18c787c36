package clickseg.server.store;

import clickseg.server.share.PostgresShareStore;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bucket's blobs as rows in PostgreSQL: key, the image it belongs to, size and last use. A bucket cannot say
 * cheaply what it holds or what was used when, and a lifecycle rule cannot see which images share links point
 * to; this table can, so every replica evicts from the same facts.
 *
 * <p>An image's blobs ("images/&lt;id&gt;", "embeddings/&lt;model&gt;/[&lt;dtype&gt;/]&lt;id&gt;", "uploads/&lt;id&gt;")
 * are evicted together, least recently used image first, never one that a row of {@code shares} names (the pin
 * is read from the share table itself, so every replica sees every other's shares) and never one used within
 * the minimum idle time. Blobs of no image (share previews) are never evicted here: they go with their share.
 *
 * <p>Why eviction cannot race a use: the pass locks an image's rows ({@code FOR UPDATE}), re-reads their last use
 * and the shares in a new statement (READ COMMITTED: a fresh snapshot, so a use or share committed before the lock
 * was granted is seen), deletes the blobs while it still holds the lock and only then deletes the rows. A use
 * ({@link #touch}) updates the same rows, so it either lands first (the pass sees a fresh use and skips the image)
 * or waits for the pass and finds no rows (the image is gone, blobs included). One pass runs at a time across
 * replicas, under a session-level advisory lock that other replicas try and skip.
 */
public final class BlobLedger {
    /** Serialises this table's creation across replicas starting together ("ledger!!" in ASCII). */
    private static final long SCHEMA_LOCK = 0x6c65646765722121L;
    /** Held by the replica running an eviction pass ("evicting" in ASCII); the others skip theirs. */
    private static final long EVICTION_LOCK = 0x6576696374696e67L;
    private static final Pattern IMAGE_ID = Pattern.compile("[0-9a-f]{64}");
    /** Images looked at per pass; the next pass (a minute later) goes on if the bucket is still over budget. */
    private static final int CANDIDATES_PER_PASS = 512;

    private final DataSource db;

    /** Deletes one blob from the bucket; called while the pass holds its rows. */
    @FunctionalInterface
    public interface BlobDeletion {
        void delete(String key) throws java.io.IOException;
    }

    public BlobLedger(DataSource db) throws SQLException {
        this.db = db;
        PostgresShareStore.createOnce(db, SCHEMA_LOCK, """
                CREATE TABLE IF NOT EXISTS blob_ledger (
                    key       VARCHAR(400) NOT NULL PRIMARY KEY,
                    image_id  VARCHAR(64),
                    bytes     BIGINT       NOT NULL,
                    last_used TIMESTAMPTZ  NOT NULL DEFAULT now()
                )""",
                "CREATE INDEX IF NOT EXISTS blob_ledger_by_image ON blob_ledger (image_id)");
    }

    /**
     * The image a key belongs to: the last segment of images/, embeddings/ and uploads/ keys when it is an image
     * id; null for anything else (share previews).
     */
    public static String imageOf(String key) {
        if (!key.startsWith("images/") && !key.startsWith("embeddings/") && !key.startsWith("uploads/")) {
            return null;
        }
        String last = key.substring(key.lastIndexOf('/') + 1);
        return IMAGE_ID.matcher(last).matches() ? last : null;
    }

    /** Records a blob about to be written (or rewritten) as used now. */
    public void record(String key, long bytes) throws SQLException {
        insert(key, bytes, "DO UPDATE SET bytes = EXCLUDED.bytes, last_used = now()");
    }

    /** Records a blob the ledger does not know yet (written before the ledger existed); a known one is left as is. */
    public void adopt(String key, long bytes) throws SQLException {
        insert(key, bytes, "DO NOTHING");
    }

    private void insert(String key, long bytes, String onConflict) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO blob_ledger (key, image_id, bytes) "
                     + "VALUES (?, ?, ?) ON CONFLICT (key) " + onConflict)) {
            insert.setString(1, key);
            insert.setString(2, imageOf(key));
            insert.setLong(3, bytes);
            insert.executeUpdate();
        }
    }

    /** Forgets a deleted blob. */
    public void forget(String key) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM blob_ledger WHERE key = ?")) {
            delete.setString(1, key);
            delete.executeUpdate();
        }
    }

    /**
     * Marks the key's image (every blob of it), or the key alone when it belongs to no image, as used now;
     * answers how many rows it marked: 0 when the ledger does not know it (evicted, or written before the ledger).
     */
    public int touch(String key) throws SQLException {
        String image = imageOf(key);
        try (Connection c = db.getConnection();
             PreparedStatement update = c.prepareStatement(image == null
                     ? "UPDATE blob_ledger SET last_used = now() WHERE key = ?"
                     : "UPDATE blob_ledger SET last_used = now() WHERE image_id = ?")) {
            update.setString(1, image == null ? key : image);
            return update.executeUpdate();
        }
    }

    /** Bytes of every recorded blob. */
    public long totalBytes() throws SQLException {
        return sum("SELECT COALESCE(SUM(bytes), 0) FROM blob_ledger");
    }

    /** Bytes of the images some share points to (kept through eviction, counted against --pinned-bytes). */
    public long pinnedBytes() throws SQLException {
        return sum("SELECT COALESCE(SUM(b.bytes), 0) FROM blob_ledger b WHERE b.image_id IS NOT NULL "
                + "AND EXISTS (SELECT 1 FROM shares s WHERE s.image_id = b.image_id)");
    }

    /** Bytes of the images eviction may take: the budget is kept over these. */
    public long evictableBytes() throws SQLException {
        return sum("SELECT COALESCE(SUM(b.bytes), 0) FROM blob_ledger b WHERE b.image_id IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.image_id = b.image_id)");
    }

    private long sum(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet row = s.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * One eviction pass: while the unshared images take more than {@code budgetBytes}, deletes the least recently
     * used one that has been idle at least {@code minIdleSeconds}, blobs first (the image's own bytes before its
     * embeddings, so nobody re-encodes an image that is going), then its rows.
     *
     * @return images evicted; 0 too when another replica is running a pass right now
     */
    public int evict(long budgetBytes, long minIdleSeconds, BlobDeletion deletion) throws SQLException, java.io.IOException {
        try (Connection c = db.getConnection()) {
            if (!tryLock(c)) {
                return 0;
            }
            try {
                return evictLocked(c, budgetBytes, minIdleSeconds, deletion);
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, EVICTION_LOCK);
                    unlock.execute();
                }
            }
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, EVICTION_LOCK);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private record Candidate(String imageId, long bytes) {
    }

    private int evictLocked(Connection c, long budgetBytes, long minIdleSeconds, BlobDeletion deletion)
            throws SQLException, java.io.IOException {
        long evictable;
        try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT COALESCE(SUM(b.bytes), 0) "
                + "FROM blob_ledger b WHERE b.image_id IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.image_id = b.image_id)")) {
            row.next();
            evictable = row.getLong(1);
        }
        if (evictable <= budgetBytes) {
            return 0;
        }
        List<Candidate> candidates = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("""
                SELECT b.image_id, SUM(b.bytes) FROM blob_ledger b
                WHERE b.image_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.image_id = b.image_id)
                GROUP BY b.image_id
                HAVING MAX(b.last_used) < now() - make_interval(secs => ?)
                ORDER BY MAX(b.last_used), b.image_id
                LIMIT ?""")) {
            select.setLong(1, minIdleSeconds);
            select.setInt(2, CANDIDATES_PER_PASS);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    candidates.add(new Candidate(rows.getString(1), rows.getLong(2)));
                }
            }
        }
        int evicted = 0;
        for (Candidate candidate : candidates) {
            if (evictable <= budgetBytes) {
                break;
            }
            long freed = evictImage(c, candidate.imageId(), minIdleSeconds, deletion);
            if (freed >= 0) {
                evictable -= freed;
                evicted++;
            }
        }
        return evicted;
    }

    /** Evicts one image in its own transaction; the bytes freed, or -1 when it was used or shared meanwhile. */
    private static long evictImage(Connection c, String imageId, long minIdleSeconds, BlobDeletion deletion)
            throws SQLException, java.io.IOException {
        c.setAutoCommit(false);
        try {
            record Row(String key, long bytes) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT key, bytes FROM blob_ledger WHERE image_id = ? ORDER BY key FOR UPDATE")) {
                lock.setString(1, imageId);
                try (ResultSet found = lock.executeQuery()) {
                    while (found.next()) {
                        rows.add(new Row(found.getString(1), found.getLong(2)));
                    }
                }
            }
            // A new statement, so a new snapshot: uses and shares committed while this pass waited are seen.
            boolean stillIdle;
            try (PreparedStatement check = c.prepareStatement("""
                    SELECT COUNT(*) > 0 AND MAX(b.last_used) < now() - make_interval(secs => ?)
                           AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.image_id = ?)
                    FROM blob_ledger b WHERE b.image_id = ?""")) {
                check.setLong(1, minIdleSeconds);
                check.setString(2, imageId);
                check.setString(3, imageId);
                try (ResultSet row = check.executeQuery()) {
                    row.next();
                    stillIdle = row.getBoolean(1);
                }
            }
            if (!stillIdle || rows.isEmpty()) {
                c.rollback();
                return -1;
            }
            // The image's own bytes first: once they are gone nothing encodes it again from them.
            rows.sort(Comparator.comparing((Row r) -> !r.key().startsWith("images/")).thenComparing(Row::key));
            long freed = 0;
            for (Row row : rows) {
                deletion.delete(row.key());
                freed += row.bytes();
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM blob_ledger WHERE key = ANY (?)")) {
                Array keys = c.createArrayOf("varchar", rows.stream().map(Row::key).toArray());
                delete.setArray(1, keys);
                delete.executeUpdate();
            }
            c.commit();
            return freed;
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            c.rollback(); // the rows stay: the next pass deletes what is left of the image
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
