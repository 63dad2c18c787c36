package clickseg.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A bucket whose every blob has a row in a {@link BlobLedger}, so that replicas evict it to a byte budget from
 * PostgreSQL: least recently used images first, shared images never, recently used images never.
 *
 * <p>Writes record the row before the blob and deletes remove the blob before the row, so a crash leaves at
 * worst a row without a blob (which eviction deletes harmlessly), never a blob no row accounts for. Reads mark
 * the image used at most once per {@code touchEvery} per replica: a click-heavy session costs one UPDATE a
 * minute, not one per request. Metadata lookups ({@link #info}) are not uses, as in every store.
 */
public final class LedgeredBlobStore implements BlobStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LedgeredBlobStore.class);
    /** How long {@link #size} reuses its last sum (it is read by /metrics and /health). */
    private static final long SIZE_CACHE_NANOS = 5_000_000_000L;

    private final BlobStore bucket;
    private final BlobLedger ledger;
    private final long budgetBytes;
    private final long minIdleSeconds;
    private final long touchEveryNanos;
    private final LongSupplier nanoTime;
    /** image id (or key) -> when this replica last marked it used. */
    private final Map<String, Long> lastTouch = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService evictor;
    private volatile long cachedSize = -1;
    private final java.util.concurrent.atomic.AtomicLong evictedImages = new java.util.concurrent.atomic.AtomicLong();
    private volatile long cachedAt;

    /**
     * @param budgetBytes    what unshared images may take in the bucket (--store-bytes)
     * @param minIdleSeconds an image used this recently is never evicted; must be well above {@code touchEvery}
     *                       so that a replica's unrecorded uses cannot make an image look idle
     * @param touchEvery     how often a replica records reads of one image, in nanoseconds
     */
    public LedgeredBlobStore(BlobStore bucket, BlobLedger ledger, long budgetBytes, long minIdleSeconds,
                             long touchEvery, LongSupplier nanoTime) {
        if (minIdleSeconds * 1_000_000_000L < 2 * touchEvery) {
            throw new IllegalArgumentException("the minimum idle time must be at least twice the touch interval");
        }
        this.bucket = bucket;
        this.ledger = ledger;
        this.budgetBytes = budgetBytes;
        this.minIdleSeconds = minIdleSeconds;
        this.touchEveryNanos = touchEvery;
        this.nanoTime = nanoTime;
    }

    /** Runs an eviction pass every {@code periodSeconds} on a daemon thread (API replicas; encoders do not). */
    public synchronized void evictEvery(long periodSeconds) {
        if (evictor != null) {
            return;
        }
        evictor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bucket-eviction");
            thread.setDaemon(true);
            return thread;
        });
        evictor.scheduleWithFixedDelay(() -> {
            try {
                int evicted = evict(budgetBytes);
                if (evicted > 0) {
                    LOG.info("evicted {} image(s) from the bucket to keep it within {} bytes", evicted, budgetBytes);
                }
            } catch (RuntimeException e) {
                LOG.warn("bucket eviction pass failed (the next one retries): {}", e.getMessage());
            }
        }, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    @Override
    public byte[] get(String key) throws IOException {
        byte[] bytes = bucket.get(key);
        if (bytes != null) {
            touchThrottled(key, bytes.length);
        }
        return bytes;
    }

    @Override
    public BlobInfo info(String key) throws IOException {
        return bucket.info(key);
    }

    @Override
    public boolean contains(String key) {
        return bucket.contains(key);
    }

    /**
     * Marks the key's image used now, unthrottled: after a true answer eviction leaves the image alone for the
     * minimum idle time. A blob the ledger does not know but the bucket holds (written before the ledger) is
     * recorded now.
     *
     * <p>Costs a ledger UPDATE, a HEAD and an INSERT; called on uploads and share creation, not on reads.
     */
    @Override
    public boolean use(String key) throws IOException {
        // The mark first: it waits for a pass that holds the image, after which the bucket no longer has it.
        ledgerCall(() -> ledger.touch(key));
        lastTouch.put(touchKey(key), nanoTime.getAsLong());
        BlobInfo info = bucket.info(key);
        if (info == null) {
            return false;
        }
        ledgerCall(() -> {
            ledger.adopt(key, info.size());
            return 0;
        });
        return true;
    }

    @Override
    public void put(String key, byte[] bytes, Map<String, String> metadata) throws IOException {
        ledgerCall(() -> {
            ledger.record(key, bytes.length);
            return 0;
        });
        boolean written = false;
        try {
            bucket.put(key, bytes, metadata);
            written = true;
        } finally {
            if (!written) {
                forgetQuietly(key);
            }
        }
        cachedSize = -1;
    }

    @Override
    public void delete(String key) throws IOException {
        bucket.delete(key);
        ledgerCall(() -> {
            ledger.forget(key);
            return 0;
        });
        cachedSize = -1;
    }

    /** Bytes the ledger records (every replica's writes), re-summed at most every 5 s; -1 when PostgreSQL fails. */
    @Override
    public long size() {
        long now = nanoTime.getAsLong();
        if (cachedSize >= 0 && now - cachedAt < SIZE_CACHE_NANOS) {
            return cachedSize;
        }
        try {
            cachedSize = ledger.totalBytes();
            cachedAt = now;
            return cachedSize;
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public int evict(long budget) {
        try {
            int evicted = ledger.evict(budget, minIdleSeconds, bucket::delete);
            if (evicted > 0) {
                cachedSize = -1;
                evictedImages.addAndGet(evicted);
            }
            return evicted;
        } catch (SQLException | IOException e) {
            throw new java.io.UncheckedIOException(new IOException("eviction over the bucket: " + e.getMessage(), e));
        }
    }

    /** Images this store's passes evicted since it opened (for /metrics). */
    public long evictedImages() {
        return evictedImages.get();
    }

    /** Shares pin through the share table itself (read by every pass), not through an in-memory set. */
    @Override
    public void pinWith(BlobPins pins) {
    }

    @Override
    public long pinnedBytes() {
        try {
            return ledger.pinnedBytes();
        } catch (SQLException e) {
            throw new java.io.UncheckedIOException(new IOException("cannot sum the shared images' bytes: "
                    + e.getMessage(), e));
        }
    }

    @Override
    public long budgetBytes() {
        return budgetBytes;
    }

    @Override
    public String location() {
        return bucket.location() + ", evicted to " + budgetBytes + " bytes through the ledger in PostgreSQL";
    }

    @Override
    public void close() {
        ScheduledExecutorService running = evictor;
        if (running != null) {
            running.shutdownNow(); // the bucket itself belongs to whoever opened it
        }
    }

    private void touchThrottled(String key, long bytes) {
        String touchKey = touchKey(key);
        long now = nanoTime.getAsLong();
        Long last = lastTouch.get(touchKey);
        if (last != null && now - last < touchEveryNanos) {
            return;
        }
        if (lastTouch.size() > 100_000) {
            lastTouch.clear(); // a bound, not a cache policy: the cost of forgetting is one extra UPDATE each
        }
        lastTouch.put(touchKey, now);
        try {
            ledger.touch(key);
            ledger.adopt(key, bytes); // a blob written before the ledger existed is accounted for from now on
        } catch (SQLException e) {
            lastTouch.remove(touchKey);
            LOG.warn("cannot record a use of {} in the ledger: {}", key, e.getMessage());
        }
    }

    private static String touchKey(String key) {
        String image = BlobLedger.imageOf(key);
        return image == null ? key : image;
    }

    private void forgetQuietly(String key) {
        try {
            ledger.forget(key);
        } catch (SQLException e) {
            LOG.warn("cannot forget {} in the ledger: {}", key, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface LedgerCall {
        int run() throws SQLException;
    }

    private static int ledgerCall(LedgerCall call) throws IOException {
        try {
            return call.run();
        } catch (SQLException e) {
            throw new IOException("the blob ledger in PostgreSQL failed: " + e.getMessage(), e);
        }
    }
}
