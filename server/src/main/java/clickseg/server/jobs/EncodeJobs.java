package clickseg.server.jobs;

import clickseg.server.share.PostgresShareStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The encode queue in PostgreSQL: one row per (model, image), so that however many API replicas receive the
 * same image at once, the primary key lets exactly one insert make a job and every other replica waits for that
 * row. Encoders take rows with {@code FOR UPDATE SKIP LOCKED} and hold them under a lease they renew while they
 * work; a row whose lease ran out (its encoder died) is taken again by the next encoder that asks.
 *
 * <p>Every change a waiter cares about is also announced with NOTIFY ({@link JobNotices}).
 *
 * <p>States: queued → running → done | failed. A done row whose blobs were evicted later is queued again by the
 * next upload (compare-and-set on its finish time, so two replicas do not both re-queue it).
 */
public final class EncodeJobs {
    /** Serialises this table's creation across replicas starting together ("encjobs!" in ASCII). */
    private static final long SCHEMA_LOCK = 0x656e636a6f627321L;
    /** A job fails for good after this many takes (an image that kills its encoder every time). */
    public static final int MAX_ATTEMPTS = 3;

    private final DataSource db;
    private final String modelId;

    /** A job's row as a waiting replica sees it. */
    public record Job(String state, int attempts, long finishedAtMillis, String error) {
    }

    public EncodeJobs(DataSource db, String modelId) throws SQLException {
        this.db = db;
        this.modelId = modelId;
        PostgresShareStore.createOnce(db, SCHEMA_LOCK, """
                CREATE TABLE IF NOT EXISTS encode_jobs (
                    model_id    VARCHAR(200) NOT NULL,
                    image_id    VARCHAR(64)  NOT NULL,
                    state       VARCHAR(16)  NOT NULL,
                    owner       VARCHAR(200),
                    lease_until TIMESTAMPTZ,
                    attempts    INTEGER      NOT NULL DEFAULT 0,
                    encodes     INTEGER      NOT NULL DEFAULT 0,
                    error       TEXT,
                    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
                    finished_at TIMESTAMPTZ,
                    PRIMARY KEY (model_id, image_id)
                )""",
                "CREATE INDEX IF NOT EXISTS encode_jobs_waiting ON encode_jobs (model_id, state, created_at)");
    }

    /** Makes a queued job unless the image has one already; true when this call made it. */
    public boolean enqueue(String imageId) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO encode_jobs (model_id, image_id, state) "
                     + "VALUES (?, ?, 'queued') ON CONFLICT (model_id, image_id) DO NOTHING")) {
            insert.setString(1, modelId);
            insert.setString(2, imageId);
            boolean made = insert.executeUpdate() == 1;
            if (made) {
                JobNotices.send(c, JobNotices.QUEUED, imageId);
            }
            return made;
        }
    }

    /**
     * Queues a finished or failed job again, only if it is still the one the caller saw (its finish time):
     * its blobs were evicted, or the image is uploaded again after a failure.
     */
    public boolean requeue(String imageId, Job seen) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE encode_jobs SET state = 'queued', owner = NULL, "
                     + "lease_until = NULL, attempts = 0, error = NULL, created_at = now(), finished_at = NULL "
                     + "WHERE model_id = ? AND image_id = ? AND state IN ('done', 'failed') "
                     + "AND (finished_at IS NULL OR (EXTRACT(EPOCH FROM finished_at) * 1000)::BIGINT = ?)")) {
            update.setString(1, modelId);
            update.setString(2, imageId);
            update.setLong(3, seen.finishedAtMillis());
            boolean queued = update.executeUpdate() == 1;
            if (queued) {
                JobNotices.send(c, JobNotices.QUEUED, imageId);
            }
            return queued;
        }
    }

    /** The job's row, or null when the image never had one. */
    public Job find(String imageId) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT state, attempts, "
                     + "COALESCE((EXTRACT(EPOCH FROM finished_at) * 1000)::BIGINT, 0), error "
                     + "FROM encode_jobs WHERE model_id = ? AND image_id = ?")) {
            select.setString(1, modelId);
            select.setString(2, imageId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Job(row.getString(1), row.getInt(2), row.getLong(3), row.getString(4)) : null;
            }
        }
    }

    /**
     * Takes the oldest waiting job, or one whose encoder's lease ran out, for {@code owner}; null when there is
     * none. SKIP LOCKED: encoders asking at once each get a different row, nobody waits on another's lock.
     */
    public String take(String owner, int leaseSeconds) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement update = c.prepareStatement("""
                     UPDATE encode_jobs SET state = 'running', owner = ?, attempts = attempts + 1,
                            lease_until = now() + make_interval(secs => ?)
                     WHERE (model_id, image_id) = (
                         SELECT model_id, image_id FROM encode_jobs
                         WHERE model_id = ? AND (state = 'queued' OR (state = 'running' AND lease_until < now()))
                         ORDER BY created_at
                         FOR UPDATE SKIP LOCKED
                         LIMIT 1)
                     RETURNING image_id, attempts""")) {
            update.setString(1, owner);
            update.setInt(2, leaseSeconds);
            update.setString(3, modelId);
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                String imageId = row.getString(1);
                if (row.getInt(2) > MAX_ATTEMPTS) {
                    fail(imageId, owner, "gave up after " + MAX_ATTEMPTS + " attempts (each encoder died or timed out)");
                    return take(owner, leaseSeconds);
                }
                return imageId;
            }
        }
    }

    /** Extends the lease while the owner works; false when the job is no longer its own (taken over). */
    public boolean renew(String imageId, String owner, int leaseSeconds) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE encode_jobs SET lease_until = now() + "
                     + "make_interval(secs => ?) WHERE model_id = ? AND image_id = ? AND owner = ? AND state = 'running'")) {
            update.setInt(1, leaseSeconds);
            update.setString(2, modelId);
            update.setString(3, imageId);
            update.setString(4, owner);
            return update.executeUpdate() == 1;
        }
    }

    /** Marks the job done (its blobs are written) and counts the encode. */
    public void finish(String imageId, String owner) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE encode_jobs SET state = 'done', owner = NULL, "
                     + "lease_until = NULL, encodes = encodes + 1, finished_at = now() "
                     + "WHERE model_id = ? AND image_id = ? AND owner = ?")) {
            update.setString(1, modelId);
            update.setString(2, imageId);
            update.setString(3, owner);
            update.executeUpdate();
            JobNotices.send(c, JobNotices.FINISHED, imageId);
        }
    }

    public void fail(String imageId, String owner, String error) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE encode_jobs SET state = 'failed', owner = NULL, "
                     + "lease_until = NULL, error = ?, finished_at = now() WHERE model_id = ? AND image_id = ? AND owner = ?")) {
            update.setString(1, error);
            update.setString(2, modelId);
            update.setString(3, imageId);
            update.setString(4, owner);
            update.executeUpdate();
            JobNotices.send(c, JobNotices.FINISHED, imageId);
        }
    }

    /** Jobs waiting for an encoder (queued, or running under a lease that ran out). */
    public int waiting() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM encode_jobs WHERE model_id = ? "
                     + "AND (state = 'queued' OR (state = 'running' AND lease_until < now()))")) {
            select.setString(1, modelId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
