package clickseg.server.store;

import java.io.IOException;

/**
 * Immutable blobs under content-derived keys ("images/&lt;sha256&gt;", "embeddings/&lt;model&gt;/&lt;sha256&gt;"),
 * evicted least-recently-used past a byte budget. Local disk today; an S3-compatible store can implement the
 * same five methods.
 *
 * <p>Keys are '/'-separated segments of [A-Za-z0-9._-] that do not start with a dot.
 */
public interface BlobStore {

    /** The blob's bytes, or null when it is not (or no longer) stored. Counts as a use. */
    byte[] get(String key) throws IOException;

    /** Whether the blob is stored (does not count as a use). */
    boolean contains(String key);

    /** Stores the blob atomically: readers see all of it or nothing. Re-putting a key only marks it used. */
    void put(String key, byte[] bytes) throws IOException;

    /** Total bytes stored. */
    long size();

    /** Removes least-recently-used blobs until at most {@code budgetBytes} remain; returns how many went. */
    int evict(long budgetBytes);
}
