package clickseg.server.share;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} share creations per client address in any sliding minute. Each address keeps the
 * times of its creations in that minute (at most {@code limit} numbers), and addresses with none are dropped,
 * so memory stays proportional to the clients of the last minute.
 *
 * <p>The address is the TCP peer's: behind a reverse proxy every client shares the proxy's address, so such
 * a deployment should rate-limit at the proxy or raise the limit.
 */
public final class CreationRateLimit implements ShareCreationQuota {
    static final long WINDOW_MILLIS = 60_000;

    private final int limit;
    private final LongSupplier clock;
    private final Map<String, ArrayDeque<Long>> recent = new HashMap<>(); // guarded by itself
    private long lastSweep;

    /** @param limit creations per client per minute; 0 refuses every creation */
    public CreationRateLimit(int limit, LongSupplier clockMillis) {
        this.limit = limit;
        this.clock = clockMillis;
    }

    /**
     * Seconds until this client may create again (0: it may now). Does not count anything: a creation counts
     * only once it succeeded ({@link #record}), so refused bodies cost the client nothing.
     */
    public long secondsUntilAllowed(String client) {
        long now = clock.getAsLong();
        synchronized (recent) {
            sweep(now);
            ArrayDeque<Long> times = recent.get(client);
            if (limit > 0 && (times == null || times.size() < limit)) {
                return 0;
            }
            long oldest = times == null || times.isEmpty() ? now : times.peekFirst();
            return Math.max(1, (oldest + WINDOW_MILLIS - now + 999) / 1000);
        }
    }

    /** Checking and counting apart would let 60 concurrent creations all pass a limit of 20: one step here. */
    @Override
    public long tryTake(String client) {
        long now = clock.getAsLong();
        synchronized (recent) {
            long wait = secondsUntilAllowed(client);
            if (wait == 0) {
                record(client);
            }
            return wait;
        }
    }

    @Override
    public void refund(String client) {
        synchronized (recent) {
            ArrayDeque<Long> times = recent.get(client);
            if (times != null) {
                times.pollLast();
            }
        }
    }

    /** Counts one successful creation by this client. */
    public void record(String client) {
        long now = clock.getAsLong();
        synchronized (recent) {
            ArrayDeque<Long> times = recent.computeIfAbsent(client, k -> new ArrayDeque<>());
            times.addLast(now);
            while (times.size() > Math.max(1, limit)) {
                times.pollFirst();
            }
        }
    }

    /** Forgets creations older than the window (whole sweep at most once a window). */
    private void sweep(long now) {
        if (now - lastSweep < WINDOW_MILLIS) {
            for (ArrayDeque<Long> times : recent.values()) {
                dropOld(times, now);
            }
            return;
        }
        lastSweep = now;
        Iterator<ArrayDeque<Long>> all = recent.values().iterator();
        while (all.hasNext()) {
            ArrayDeque<Long> times = all.next();
            dropOld(times, now);
            if (times.isEmpty()) {
                all.remove();
            }
        }
    }

    private static void dropOld(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MILLIS) {
            times.pollFirst();
        }
    }
}
