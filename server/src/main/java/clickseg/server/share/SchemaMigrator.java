package clickseg.server.share;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Brings a share database to the latest schema by running {@link ShareMigrations#ALL}: the one list of steps that
 * SQLite ({@link SqliteShareStore}) and PostgreSQL ({@link PostgresShareStore}) both run, each step in its own
 * transaction. Callers that may race (replicas starting together on one PostgreSQL) hold a lock around it.
 */
final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private SchemaMigrator() {
    }

    /** Applies every migration newer than the database's version. */
    static void migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        int current = currentVersion(connection);
        if (current > ShareMigrations.latestVersion()) {
            throw new SQLException("the share database is at schema version " + current + ", newer than this server ("
                    + ShareMigrations.latestVersion() + "): run a newer server, or point it at another database");
        }
        for (ShareMigrations.Migration migration : ShareMigrations.ALL) {
            if (migration.version() <= current) {
                continue;
            }
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    for (String sql : migration.statements()) {
                        statement.execute(sql);
                    }
                    statement.executeUpdate("DELETE FROM schema_version");
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO schema_version (version) VALUES (?)")) {
                    insert.setInt(1, migration.version());
                    insert.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            LOG.info("share database migrated to schema version {}", migration.version());
        }
        connection.setAutoCommit(autoCommit);
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rows.next() ? rows.getInt(1) : 0; // MAX of no rows is NULL, read as 0
        }
    }
}
