package clickseg.server.web;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.sql.SQLException;
import java.sql.SQLTransientException;

/**
 * A request that failed because a shared store could not be reached: PostgreSQL (no connection within the
 * pool's wait, the server shutting down or out of connections) or the S3-compatible bucket (no answer, or a
 * 5xx such as SlowDown). Nothing the client sent is wrong and a retry, soon or on another replica, may work,
 * so the answer is 503 with Retry-After and one WARN line, not a 500 with a stack trace.
 *
 * @param store   "the database" or "the bucket", for the answer
 * @param message what the store's client said, for the log line
 */
public record StoreOutage(String store, String message) {
    /** Seconds a client should wait before it tries again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** What {@code failure} was, or null when no store outage is in its causes. */
    public static StoreOutage of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && unreachable(sql)) {
                return new StoreOutage("the database", sql.getMessage());
            }
            if (t instanceof SdkClientException client) { // no HTTP answer at all: refused, timed out, reset
                return new StoreOutage("the bucket", client.getMessage());
            }
            if (t instanceof S3Exception s3 && s3.statusCode() >= 500) {
                return new StoreOutage("the bucket", s3.getMessage());
            }
        }
        return null;
    }

    /**
     * SQLState classes for a database that is not there for us right now (PostgreSQL's codes): 08 connection
     * exception, 53 insufficient resources, 57P admin shutdown / crash shutdown / cannot connect now; and a
     * transient exception (HikariCP's "connection is not available" when the pool's wait ran out).
     */
    private static boolean unreachable(SQLException sql) {
        String state = sql.getSQLState();
        return sql instanceof SQLTransientException
                || (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")));
    }
}
