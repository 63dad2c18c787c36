package clickseg.server.share;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The share-creation limit kept in PostgreSQL, so that it holds across replicas: a row per creation in the last
 * minute, counted under a transaction-level advisory lock on the client's address (two replicas taking for one
 * client at once are serialised; other clients do not wait). Times are the database's clock, which every replica
 * shares. Old rows are deleted by the client's own next creation, and all of them by a sweep at most once a
 * minute per replica.
 */
public final class PostgresCreationRateLimit implements ShareCreationQuota {
    /** Serialises this table's creation across replicas starting together ("ratelim!" in ASCII). */
    private static final long SCHEMA_LOCK = 0x726174656c696d21L;
    private static final long SWEEP_EVERY_NANOS = 60_000_000_000L;

    private final DataSource db;
    private final int limit;
    private volatile long lastSweep = System.nanoTime() - SWEEP_EVERY_NANOS;

    /** @param limit creations per client per minute; 0 refuses every creation */
    public PostgresCreationRateLimit(DataSource db, int limit) throws ShareStore.ShareStoreException {
        this.db = db;
        this.limit = limit;
        try {
            PostgresShareStore.createOnce(db, SCHEMA_LOCK, """
                    CREATE TABLE IF NOT EXISTS share_creations (
                        id         BIGSERIAL    PRIMARY KEY,
                        client     VARCHAR(100) NOT NULL,
                        created_at TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp()
                    )""",
                    "CREATE INDEX IF NOT EXISTS share_creations_by_client ON share_creations (client, created_at)");
        } catch (SQLException e) {
            throw new ShareStore.ShareStoreException("cannot make the share rate table: " + e.getMessage(), e);
        }
    }

    @Override
    public long tryTake(String client) throws ShareStore.ShareStoreException {
        sweepNowAndThen();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                long wait = takeLocked(c, client);
                c.commit();
                return wait;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new ShareStore.ShareStoreException("cannot count share creations: " + e.getMessage(), e);
        }
    }

    private long takeLocked(Connection c, String client) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 7))")) {
            lock.setString(1, client);
            lock.execute();
        }
        try (PreparedStatement old = c.prepareStatement("DELETE FROM share_creations WHERE client = ? "
                + "AND created_at <= clock_timestamp() - interval '1 minute'")) {
            old.setString(1, client);
            old.executeUpdate();
        }
        int count;
        double secondsUntilOldestLeaves;
        try (PreparedStatement recent = c.prepareStatement("SELECT COUNT(*), COALESCE(EXTRACT(EPOCH FROM "
                + "(MIN(created_at) + interval '1 minute' - clock_timestamp())), 60) "
                + "FROM share_creations WHERE client = ?")) {
            recent.setString(1, client);
            try (ResultSet row = recent.executeQuery()) {
                row.next();
                count = row.getInt(1);
                secondsUntilOldestLeaves = row.getDouble(2);
            }
        }
        if (limit > 0 && count < limit) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO share_creations (client) VALUES (?)")) {
                insert.setString(1, client);
                insert.executeUpdate();
            }
            return 0;
        }
        return Math.max(1, (long) Math.ceil(secondsUntilOldestLeaves));
    }

    @Override
    public void refund(String client) throws ShareStore.ShareStoreException {
        try (Connection c = db.getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM share_creations WHERE id = "
                     + "(SELECT MAX(id) FROM share_creations WHERE client = ?)")) {
            delete.setString(1, client);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new ShareStore.ShareStoreException("cannot give back a share creation: " + e.getMessage(), e);
        }
    }

    /** Rows of clients that never came back; at most once a minute per replica, never in a request's way. */
    private void sweepNowAndThen() {
        long now = System.nanoTime();
        if (now - lastSweep < SWEEP_EVERY_NANOS) {
            return;
        }
        lastSweep = now;
        try (Connection c = db.getConnection(); Statement delete = c.createStatement()) {
            delete.executeUpdate("DELETE FROM share_creations WHERE created_at <= clock_timestamp() - interval '1 minute'");
        } catch (SQLException e) {
            // the next sweep tries again; counting does not depend on it
        }
    }
}
