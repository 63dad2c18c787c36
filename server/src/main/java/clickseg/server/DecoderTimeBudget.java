package clickseg.server;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decoder CPU time each client address may use: a bucket of {@code secondsPerMinute} seconds per address that
 * refills continuously at {@code secondsPerMinute / 60} per second. A request may start while its client's
 * bucket is not empty and is charged the time it really took afterwards (so one long job can overdraw, and
 * the client then waits until the debt is paid back). Cached answers cost nothing.
 *
 * <p>The address is the TCP peer's (as for the share rate limit): behind a reverse proxy, every client
 * shares the proxy's.
 */
public final class DecoderTimeBudget {
    private final java.util.concurrent.atomic.AtomicLong totalNanos = new java.util.concurrent.atomic.AtomicLong();
    private final double capacityNanos;
    private final double refillPerNano;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new HashMap<>(); // guarded by itself

    private static final class Bucket {
        double nanos;
        long at;

        Bucket(double nanos, long at) {
            this.nanos = nanos;
            this.at = at;
        }
    }

    public DecoderTimeBudget(int secondsPerMinute, LongSupplier nanoClock) {
        this.capacityNanos = secondsPerMinute * 1e9;
        this.refillPerNano = secondsPerMinute / 60.0;
        this.clock = nanoClock;
    }

    /** Decoder CPU time charged to every client so far: this replica's mask decoding, for /metrics. */
    public long totalNanos() {
        return totalNanos.get();
    }

    /**
     * 429 with Retry-After (set by the caller from the exception) when the client's bucket is empty.
     */
    public void requireAvailable(String client) {
        long wait = secondsUntilAvailable(client);
        if (wait > 0) {
            throw new ApiException(429, "rate_limited", "this address used its decoder time for the last minute; "
                    + "retry in " + wait + " s");
        }
    }

    /** Seconds until this client may start decoder work again (0: now). */
    public long secondsUntilAvailable(String client) {
        long now = clock.getAsLong();
        synchronized (buckets) {
            Bucket b = refilled(client, now);
            if (b.nanos > 0) {
                return 0;
            }
            return Math.max(1, (long) Math.ceil((-b.nanos + 1) / refillPerNano / 1e9));
        }
    }

    /** Takes {@code nanos} of decoder time from the client's bucket (it may go negative). */
    public void charge(String client, long nanos) {
        totalNanos.addAndGet(nanos);
        long now = clock.getAsLong();
        synchronized (buckets) {
            refilled(client, now).nanos -= nanos;
            if (buckets.size() > 10_000) {
                sweep(now);
            }
        }
    }

    private Bucket refilled(String client, long now) {
        Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(capacityNanos, now));
        b.nanos = Math.min(capacityNanos, b.nanos + (now - b.at) * refillPerNano);
        b.at = now;
        return b;
    }

    /**
     * CPU time of the calling thread (what is charged: wall time would charge a client for the machine being
     * busy with others), or wall time where the JVM cannot measure it.
     */
    public static long threadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (threads.isCurrentThreadCpuTimeSupported()) {
            long cpu = threads.getCurrentThreadCpuTime();
            if (cpu >= 0) {
                return cpu;
            }
        }
        return System.nanoTime();
    }

    /** Forgets full buckets: a client that has not asked in a minute starts full again anyway. */
    private void sweep(long now) {
        for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Bucket b = it.next().getValue();
            if (b.nanos + (now - b.at) * refillPerNano >= capacityNanos) {
                it.remove();
            }
        }
    }
}
