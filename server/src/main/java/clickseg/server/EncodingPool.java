package clickseg.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs encodings on a fixed number of workers behind a bounded queue, one encoding per key at a time:
 * a second request for a key already in flight waits for the same result instead of encoding again.
 * When workers and queue are full, {@link #submit} refuses at once ({@link RejectedExecutionException})
 * so the server can answer 503 instead of piling up work it cannot finish.
 */
public final class EncodingPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final ConcurrentHashMap<String, CompletableFuture<?>> inFlight = new ConcurrentHashMap<>();
    private final int workers;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();

    public EncodingPool(int workers, int queueLimit) {
        this.workers = workers;
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                queueLimit == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queueLimit),
                task -> {
                    Thread thread = new Thread(task, "encoder-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** The running or new encoding for {@code key}. */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> submit(String key, Callable<T> task) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<?> existing = inFlight.putIfAbsent(key, mine);
        if (existing != null) {
            return (CompletableFuture<T>) existing;
        }
        try {
            executor.execute(() -> {
                long start = System.nanoTime();
                T result = null;
                Throwable failure = null;
                try {
                    result = task.call();
                } catch (Throwable t) {
                    failure = t;
                }
                // Count and forget the key before anyone waiting is woken, so that a caller who sees
                // the result also sees it counted and a new request for the key starts afresh.
                totalNanos.addAndGet(System.nanoTime() - start);
                completed.incrementAndGet();
                inFlight.remove(key, mine);
                if (failure == null) {
                    mine.complete(result);
                } else {
                    mine.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(key, mine);
            throw e;
        }
        return mine;
    }

    /** Seconds a new request would likely wait, from the mean encoding time so far (at least 1). */
    public long retryAfterSeconds() {
        long done = completed.get();
        double meanSeconds = done == 0 ? 2.0 : totalNanos.get() / 1e9 / done;
        int waiting = executor.getQueue().size() + executor.getActiveCount();
        return Math.max(1, (long) Math.ceil(meanSeconds * Math.max(1, waiting) / workers));
    }

    public int active() {
        return executor.getActiveCount();
    }

    public int waiting() {
        return executor.getQueue().size();
    }

    /** Encodings finished since start (successful or not). */
    public long completed() {
        return completed.get();
    }

    public int workers() {
        return workers;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
