package clickseg.server.share;

import clickseg.server.store.BlobPins;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The blob store's pins for shared images: an image some share points to keeps its original
 * ("images/&lt;id&gt;") and its embeddings ("embeddings/&lt;model&gt;/&lt;id&gt;") through any eviction.
 * An in-memory copy of {@link ShareStore#pinnedImageIds}, because the store asks while holding its lock,
 * plus the images of shares being created right now (held from before the image is checked until the share
 * is stored, so eviction cannot slip in between).
 */
public final class SharedImagePins implements BlobPins {
    private volatile Set<String> stored = Set.of();
    private final Map<String, Integer> held = new ConcurrentHashMap<>(); // image id -> creations in progress

    public void hold(String imageId) {
        held.merge(imageId, 1, Integer::sum);
    }

    public void release(String imageId) {
        held.computeIfPresent(imageId, (id, n) -> n == 1 ? null : n - 1);
    }

    /** Makes the stored pins exactly the stored shares' images (at start, and after every create or delete). */
    public void resetTo(Set<String> storedImageIds) {
        stored = Set.copyOf(storedImageIds);
    }

    @Override
    public boolean isPinned(String key) {
        if (key.startsWith("images/") || key.startsWith("embeddings/")) {
            String imageId = key.substring(key.lastIndexOf('/') + 1);
            return stored.contains(imageId) || held.containsKey(imageId);
        }
        return false;
    }
}
