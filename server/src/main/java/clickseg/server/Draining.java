package clickseg.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Set once a shutdown begins: from then on uploads (which would start encodings) are answered 503 with
 * Retry-After, so a load balancer sends them to another replica, while the encodings already running finish.
 * It also counts requests in flight, so the HTTP server is stopped only once their answers are written.
 */
public final class Draining {
    private volatile boolean draining;
    private final AtomicInteger inFlight = new AtomicInteger();

    public void start() {
        draining = true;
    }

    public boolean active() {
        return draining;
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished() {
        inFlight.decrementAndGet();
    }

    /** Waits (up to {@code millis}) until no request is being handled. */
    void awaitIdle(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
