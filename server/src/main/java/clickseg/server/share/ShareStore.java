package clickseg.server.share;

import java.util.Set;

/**
 * Where shares live. SQLite today ({@link SqliteShareStore}); the SQL is kept portable so that a PostgreSQL
 * implementation is the same class over another JDBC URL (see the README). Every method is safe to call from
 * many request threads.
 */
public interface ShareStore extends AutoCloseable {

    /** What a delete came to. */
    enum Deletion { DELETED, WRONG_SECRET, NOT_FOUND }

    /** Stores a new share with the sha256 (hex) of its delete secret, in one transaction. */
    void create(Share share, String secretHash) throws ShareStoreException;

    /** The share, or null when there is none with this id (never created, or deleted). */
    Share find(String id) throws ShareStoreException;

    /**
     * Deletes the share if {@code secretHash} matches the stored one (compared in constant time); a wrong
     * secret changes nothing.
     */
    Deletion delete(String id, String secretHash) throws ShareStoreException;

    /** Every image id some share points to: the blobs eviction must keep. */
    Set<String> pinnedImageIds() throws ShareStoreException;

    @Override
    void close() throws ShareStoreException;

    /** The database failed (not the client's fault: a 500). */
    final class ShareStoreException extends Exception {
        public ShareStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
