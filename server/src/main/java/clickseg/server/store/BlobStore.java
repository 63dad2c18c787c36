package clickseg.server.store;

import java.io.IOException;
import java.util.Map;

/**
 * Immutable blobs under content-derived keys ("images/&lt;sha256&gt;", "embeddings/&lt;model&gt;/&lt;sha256&gt;"),
 * each with a little metadata stored beside it (sizes, model, digest) so that a request learns them without
 * reading the blob. Local disk ({@link DiskBlobStore}) is the embedded default; {@link S3BlobStore} keeps them in
 * an S3-compatible bucket for replicas that share nothing else.
 *
 * <p>Keys are '/'-separated segments of [A-Za-z0-9._-] that do not start with a dot. Metadata names are lowercase
 * [a-z0-9-] and values printable ASCII (what S3 user metadata carries unchanged).
 */
public interface BlobStore {

    /** The blob's bytes, or null when it is not (or no longer) stored. Counts as a use. */
    byte[] get(String key) throws IOException;

    /** The blob's size and metadata without reading it, or null when it is not stored. Not counted as a use. */
    BlobInfo info(String key) throws IOException;

    /** Whether the blob is stored (does not count as a use). */
    boolean contains(String key);

    /**
     * Counts the blob as used now without reading it, and answers whether it is stored. After a true answer,
     * eviction leaves it alone for a while: the disk store makes it the most recently used blob, a ledgered
     * bucket keeps its whole image for the minimum idle time. Callers that are about to rely on a blob being
     * there (an upload found already stored, a share about to point at an image) use it before they look.
     */
    default boolean use(String key) throws IOException {
        return contains(key);
    }

    /** Stores the blob without metadata. */
    default void put(String key, byte[] bytes) throws IOException {
        put(key, bytes, Map.of());
    }

    /**
     * Stores the blob and its metadata atomically: readers see all of it, with its metadata, or nothing.
     * Re-putting a stored key only marks it used.
     */
    void put(String key, byte[] bytes, Map<String, String> metadata) throws IOException;

    /** Removes the blob (and its metadata) if it is there. */
    void delete(String key) throws IOException;

    /** Total bytes stored, or -1 where the store cannot tell cheaply. */
    long size();

    /** Removes least-recently-used blobs until at most {@code budgetBytes} remain; returns how many went. */
    int evict(long budgetBytes);

    /** From now on eviction leaves the blobs {@code pins} names alone. */
    default void pinWith(BlobPins pins) {
    }

    /** Bytes of the blobs pins hold now, or 0 where the store does not count them. */
    default long pinnedBytes() {
        return 0;
    }

    /** The byte budget eviction keeps to, or -1 where eviction is left to the bucket's lifecycle rules. */
    default long budgetBytes() {
        return -1;
    }

    /** Where the blobs live, for the log ("/srv/data", "s3://bucket/prefix at http://…"). */
    String location();

    /** A stored blob's size in bytes and its metadata. */
    record BlobInfo(long size, Map<String, String> metadata) {
        public String get(String name) {
            return metadata.get(name);
        }
    }
}
