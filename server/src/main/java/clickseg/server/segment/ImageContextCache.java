package clickseg.server.segment;

import clickseg.decoder.ImageContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The decoder's per-image state ({@link ImageContext}, about 10 MB each: the image tokens and the first
 * block's projections) for the most recently segmented images, so that only the first click on an image
 * pays for {@code MaskDecoder.prepare}. Least recently used images go first once {@code capacity} is
 * reached. A context is prepared once even when several requests for the same image arrive together:
 * the others wait for it.
 */
public final class ImageContextCache {
    private final int capacity;
    private final Map<String, CompletableFuture<ImageContext>> entries; // access order, guarded by this

    public ImageContextCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The context if it is ready, else null (a context still being prepared counts as absent). */
    public synchronized ImageContext getIfReady(String imageId) {
        CompletableFuture<ImageContext> entry = entries.get(imageId);
        return entry != null && entry.isDone() && !entry.isCompletedExceptionally() ? entry.join() : null;
    }

    /**
     * The cached context, or the one {@code prepare} builds on this thread (while other callers for the same
     * image wait for it). A failed preparation is not cached; its
     * waiters fail with the same exception.
     */
    public ImageContext get(String imageId, Supplier<ImageContext> prepare) throws InterruptedException {
        CompletableFuture<ImageContext> mine = new CompletableFuture<>();
        CompletableFuture<ImageContext> existing;
        synchronized (this) {
            existing = entries.get(imageId);
            if (existing == null) {
                entries.put(imageId, mine);
                evictBeyondCapacity();
            }
        }
        if (existing != null) {
            try {
                return existing.get();
            } catch (ExecutionException e) { // the preparing request failed: so do its waiters, the same way
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        try {
            ImageContext context = prepare.get();
            mine.complete(context);
            return context;
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                entries.remove(imageId, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    private void evictBeyondCapacity() {
        var oldest = entries.entrySet().iterator();
        while (entries.size() > capacity && oldest.hasNext()) {
            oldest.next();
            oldest.remove(); // waiters keep their future; only the cache forgets it
        }
    }
}
