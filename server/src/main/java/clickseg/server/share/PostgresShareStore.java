package clickseg.server.share;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Shares in PostgreSQL, shared by every replica: the same table and the same numbered migrations as
 * {@link SqliteShareStore} ({@link ShareMigrations}, run by {@link SchemaMigrator}), over a HikariCP pool.
 * Replicas starting together migrate one at a time under a PostgreSQL advisory lock.
 */
public final class PostgresShareStore implements ShareStore {
    /** The advisory lock key that serialises schema migrations across replicas ("clickseg" in ASCII). */
    static final long MIGRATION_LOCK = 0x636c69636b736567L;

    private final HikariDataSource pool;

    private PostgresShareStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Opens a pool to {@code jdbcUrl} (jdbc:postgresql://host:port/db?user=…&amp;password=…) and migrates. */
    public static PostgresShareStore open(String jdbcUrl) throws ShareStoreException {
        HikariDataSource pool;
        try {
            pool = pool(jdbcUrl, "clickseg-shares");
        } catch (RuntimeException e) {
            throw new ShareStoreException("cannot connect to " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
        }
        try (Connection connection = pool.getConnection()) {
            withAdvisoryLock(connection, MIGRATION_LOCK, () -> SchemaMigrator.migrate(connection));
        } catch (SQLException e) {
            pool.close();
            throw new ShareStoreException("cannot migrate the share database: " + e.getMessage(), e);
        }
        return new PostgresShareStore(pool);
    }

    /** A small pool: share traffic is a few rows a second, and every replica holds its own pool. */
    public static HikariDataSource pool(String jdbcUrl, String name) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--share-db: \"" + redacted(jdbcUrl) + "\" is not a jdbc:postgresql: URL");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName(name);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(5_000); // a database that is still starting gets a moment
        return new HikariDataSource(config);
    }

    /** The URL without its query (which may hold a password), for messages. */
    public static String redacted(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }

    /** Runs {@code work} holding a session-level advisory lock on {@code key}. */
    public static void withAdvisoryLock(Connection connection, long key, SqlWork work) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, key);
            lock.execute();
        }
        try {
            work.run();
        } finally {
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, key);
                unlock.execute();
            }
        }
    }

    /**
     * Runs {@code statements} (CREATE … IF NOT EXISTS) under the advisory lock {@code lock}: replicas starting
     * together would otherwise race on the catalogue (IF NOT EXISTS is not safe against a concurrent CREATE).
     */
    public static void createOnce(DataSource db, long lock, String... statements) throws SQLException {
        try (Connection connection = db.getConnection()) {
            withAdvisoryLock(connection, lock, () -> {
                try (Statement statement = connection.createStatement()) {
                    for (String sql : statements) {
                        statement.execute(sql);
                    }
                }
            });
        }
    }

    /** Work over JDBC. */
    @FunctionalInterface
    public interface SqlWork {
        void run() throws SQLException;
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void create(Share share, String secretHash) throws ShareStoreException {
        try (Connection connection = pool.getConnection();
             PreparedStatement insert = connection.prepareStatement(ShareColumns.INSERT)) {
            ShareColumns.bind(insert, share, secretHash);
            insert.executeUpdate(); // one statement: its own transaction
        } catch (SQLException e) {
            throw new ShareStoreException("cannot store share " + share.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Share find(String id) throws ShareStoreException {
        try (Connection connection = pool.getConnection()) {
            return ShareColumns.find(connection, id);
        } catch (SQLException e) {
            throw new ShareStoreException("cannot read share " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Deletion delete(String id, String secretHash) throws ShareStoreException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Deletion result;
                String stored = null;
                // FOR UPDATE: two replicas deleting at once see the row one after the other.
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT secret_sha256 FROM shares WHERE id = ? FOR UPDATE")) {
                    select.setString(1, id);
                    try (ResultSet row = select.executeQuery()) {
                        if (row.next()) {
                            stored = row.getString(1);
                        }
                    }
                }
                if (stored == null) {
                    result = Deletion.NOT_FOUND;
                } else if (!ShareTokens.sameHash(secretHash, stored)) {
                    result = Deletion.WRONG_SECRET;
                } else {
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM shares WHERE id = ?")) {
                        delete.setString(1, id);
                        delete.executeUpdate();
                    }
                    result = Deletion.DELETED;
                }
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new ShareStoreException("cannot delete share " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> pinnedImageIds() throws ShareStoreException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT DISTINCT image_id FROM shares")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new ShareStoreException("cannot list the shared images: " + e.getMessage(), e);
        }
        return ids;
    }

    @Override
    public void close() {
        pool.close();
    }
}
