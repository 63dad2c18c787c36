package clickseg.server.store;

/**
 * Blobs that eviction must leave alone because something outside the store still points at them (a share
 * link names an image and needs its embedding). The store asks only about the blobs it is about to evict,
 * while it holds its own lock, so an answer must be quick and must not call back into the store.
 */
@FunctionalInterface
public interface BlobPins {
    /** No blob is pinned. */
    BlobPins NONE = key -> false;

    boolean isPinned(String key);
}
