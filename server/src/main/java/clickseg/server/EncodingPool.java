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
                recordCompletion(System.nanoTime());
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

    /**
     * Seconds until the work ahead of a new request has drained, from the rate encodings really finished at
     * over the last {@link #DRAIN_WINDOW_NANOS} (at least 1). The mean encoding time alone overstated it
     * (the issue saw Retry-After 18 s for a queue that cleared in 4 s: most queued uploads were the same image,
     * encoded once, or already stored). Falls back to the mean when nothing finished recently.
     */
    public long retryAfterSeconds() {
        int ahead = executor.getQueue().size() + executor.getActiveCount();
        long now = System.nanoTime();
        double perSecond;
        synchronized (recentCompletions) {
            dropOldCompletions(now);
            perSecond = recentCompletions.size() < 2 ? 0
                    : (recentCompletions.size() - 1) * 1e9 / Math.max(1, recentCompletions.peekLast() - recentCompletions.peekFirst());
        }
        if (perSecond <= 0) {
            long done = completed.get();
            double meanSeconds = done == 0 ? 2.0 : totalNanos.get() / 1e9 / done;
            return Math.max(1, (long) Math.ceil(meanSeconds * Math.max(1, ahead) / workers));
        }
        return Math.max(1, (long) Math.ceil(Math.max(1, ahead) / perSecond));
    }

    private static final long DRAIN_WINDOW_NANOS = 60_000_000_000L;
    private final java.util.ArrayDeque<Long> recentCompletions = new java.util.ArrayDeque<>(); // guarded by itself

    private void recordCompletion(long now) {
        synchronized (recentCompletions) {
            recentCompletions.addLast(now);
            dropOldCompletions(now);
        }
    }

    private void dropOldCompletions(long now) {
        while (!recentCompletions.isEmpty() && now - recentCompletions.peekFirst() > DRAIN_WINDOW_NANOS) {
            recentCompletions.pollFirst();
        }
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

    /** Nanoseconds spent in finished tasks. */
    public long totalNanos() {
        return totalNanos.get();
    }

    /** Takes no new work and waits up to {@code seconds} for queued and running encodings to finish. */
    public void drain(int seconds) {
        executor.shutdown();
        try {
            executor.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
