package clickseg.server.jobs;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * PostgreSQL LISTEN/NOTIFY on the encode queue: encoders wake when a job is queued and API replicas when one
 * finishes, instead of asking the table several times a second. {@link EncodeJobs} sends the notices in the
 * statements that change a job.
 *
 * <p>A waiter takes a {@link #mark} before it looks at the table and then waits for a notice after that mark, so a
 * notice that arrives between its look and its wait is not missed. Notices are wake-ups, never the truth: every
 * waiter re-reads the table when woken and at a fallback interval anyway, so a notice lost with a dropped
 * connection costs only latency. One connection of its own per process (held for the process's life, so not
 * from the pool), read by one daemon thread that opens it again when it breaks.
 */
public final class JobNotices implements AutoCloseable {
    /** A job was queued (or queued again): encoders, take it. */
    public static final String QUEUED = "clickseg_encode_queued";
    /** A job finished or failed: waiting uploads, look at your row. */
    public static final String FINISHED = "clickseg_encode_finished";
    private static final Logger LOG = LoggerFactory.getLogger(JobNotices.class);
    private static final int READ_TIMEOUT_MILLIS = 1_000;
    private static final long RECONNECT_MILLIS = 2_000;

    private final String jdbcUrl;
    private final Map<String, Long> generations = new HashMap<>(); // channel -> notices so far; guarded by this
    private final Thread reader;
    private volatile Connection connection;
    private volatile boolean closed;

    private JobNotices(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        generations.put(QUEUED, 0L);
        generations.put(FINISHED, 0L);
        this.reader = new Thread(this::readNotices, "encode-job-notices");
        reader.setDaemon(true);
    }

    /** Starts listening on both channels. */
    public static JobNotices listen(String jdbcUrl) {
        JobNotices notices = new JobNotices(jdbcUrl);
        notices.reader.start();
        return notices;
    }

    /** Sends a notice (from any connection; PostgreSQL delivers it when that connection's transaction commits). */
    static void send(Connection c, String channel, String payload) throws SQLException {
        try (var notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, payload);
            notify.execute();
        }
    }

    /** Where the channel stands now; pass it to {@link #awaitAfter}. */
    public synchronized long mark(String channel) {
        return generations.get(channel);
    }

    /**
     * Waits until a notice on {@code channel} has arrived after {@code mark}, or {@code timeoutMillis} passed.
     *
     * @return true when woken by a notice (or a reconnect, after which nothing is known), false on timeout
     */
    public synchronized boolean awaitAfter(String channel, long mark, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (generations.get(channel) == mark) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || closed) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private synchronized void bump(String channel) {
        generations.computeIfPresent(channel, (name, n) -> n + 1);
        notifyAll();
    }

    private void readNotices() {
        boolean warned = false;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                connection = c;
                try (Statement listen = c.createStatement()) {
                    listen.execute("LISTEN " + QUEUED);
                    listen.execute("LISTEN " + FINISHED);
                }
                if (warned) {
                    LOG.info("listening for encode job notices again");
                    warned = false;
                }
                // Notices sent while nobody listened are gone: wake every waiter to look at the table once.
                bump(QUEUED);
                bump(FINISHED);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] arrived = pg.getNotifications(READ_TIMEOUT_MILLIS);
                    if (arrived != null) {
                        for (PGNotification notice : arrived) {
                            bump(notice.getName());
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (!warned) {
                    LOG.warn("encode job notices: {} (waiters fall back to reading the table; reconnecting)",
                            e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(RECONNECT_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.close(); // ends a blocked read at once
            } catch (SQLException e) {
                // closing anyway
            }
        }
        reader.interrupt();
    }
}
