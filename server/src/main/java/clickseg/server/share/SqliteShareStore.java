package clickseg.server.share;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Shares in one SQLite file, brought to the latest schema ({@link ShareMigrations}) when opened.
 *
 * <p>One connection, used by one thread at a time: SQLite serialises writers anyway, and share traffic is a
 * few small rows per second at most. Every write is a transaction. Only the JDBC URL is SQLite's: the
 * statements are plain SQL that PostgreSQL runs as they are.
 */
public final class SqliteShareStore implements ShareStore {

    private final Connection connection; // guarded by this

    private SqliteShareStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating if needed) the database file and migrates it to the latest schema. */
    public static SqliteShareStore open(Path file) throws ShareStoreException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try {
                try (Statement durability = connection.createStatement()) {
                    // Stated, not assumed: a rollback journal, and every commit (journal, database and the
                    // journal's deletion from its folder) forced to disk before it returns.
                    durability.execute("PRAGMA journal_mode=DELETE");
                    durability.execute("PRAGMA synchronous=FULL");
                }
                migrate(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return new SqliteShareStore(connection);
        } catch (SQLException | java.io.IOException e) {
            throw new ShareStoreException("cannot open the share database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Applies every migration newer than the database's version ({@link SchemaMigrator}). */
    static void migrate(Connection connection) throws SQLException {
        SchemaMigrator.migrate(connection);
    }

    static int currentVersion(Connection connection) throws SQLException {
        return SchemaMigrator.currentVersion(connection);
    }

    @Override
    public synchronized void create(Share share, String secretHash) throws ShareStoreException {
        try {
            inTransaction(connection, () -> {
                try (PreparedStatement insert = connection.prepareStatement(ShareColumns.INSERT)) {
                    ShareColumns.bind(insert, share, secretHash);
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new ShareStoreException("cannot store share " + share.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Share find(String id) throws ShareStoreException {
        try {
            return ShareColumns.find(connection, id);
        } catch (SQLException e) {
            throw new ShareStoreException("cannot read share " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Deletion delete(String id, String secretHash) throws ShareStoreException {
        try {
            return inTransaction(connection, () -> {
                String stored;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT secret_sha256 FROM shares WHERE id = ?")) {
                    select.setString(1, id);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            return Deletion.NOT_FOUND;
                        }
                        stored = row.getString(1);
                    }
                }
                if (!ShareTokens.sameHash(secretHash, stored)) {
                    return Deletion.WRONG_SECRET;
                }
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM shares WHERE id = ?")) {
                    delete.setString(1, id);
                    delete.executeUpdate();
                }
                return Deletion.DELETED;
            });
        } catch (SQLException e) {
            throw new ShareStoreException("cannot delete share " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Set<String> pinnedImageIds() throws ShareStoreException {
        Set<String> ids = new HashSet<>();
        try (Statement statement = connection.createStatement();
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
    public synchronized void close() throws ShareStoreException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new ShareStoreException("cannot close the share database: " + e.getMessage(), e);
        }
    }

    /** A unit of work that either commits whole or leaves the database as it was. */
    private interface Work<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
