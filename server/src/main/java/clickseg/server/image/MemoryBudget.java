package clickseg.server.image;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Heap that request work (upload bodies, image decoding) may hold at once, reserved before the memory is
 * allocated: a reservation that does not fit waits up to a short bound and is then refused, so no number of
 * concurrent requests can push the server into an OutOfMemoryError. Counted in KiB (a Semaphore's int permits
 * then cover 2 TiB).
 */
public final class MemoryBudget {
    private final long totalBytes;
    private final Semaphore kib;
    private final Duration wait;

    /** Asked for more than the whole budget: it could never fit (413). */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    /** The budget stayed full for the whole wait (503, retry later). */
    public static final class BusyException extends RuntimeException {
        public BusyException(String message) {
            super(message);
        }
    }

    /** Held memory, given back once by {@link #close}. */
    public final class Reservation implements AutoCloseable {
        private final int permits;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Reservation(int permits) {
            this.permits = permits;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                kib.release(permits);
            }
        }
    }

    /** @param wait how long a reservation may wait for room before it is refused */
    public MemoryBudget(long totalBytes, Duration wait) {
        this.totalBytes = totalBytes;
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, totalBytes >> 10), true);
        this.wait = wait;
    }

    /** A budget nothing exhausts: for tools and benchmarks that decode one image at a time. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(1L << 40, Duration.ZERO);
    }

    /**
     * @param what what the memory is for, for the refusal's message ("decoding a 7071x7071 image")
     * @throws TooLargeException more than the whole budget
     * @throws BusyException     no room within the wait
     */
    public Reservation reserve(long bytes, String what) {
        if (bytes > totalBytes) {
            throw new TooLargeException(what + " needs " + mib(bytes) + " of memory, more than the server allows "
                    + "for it (" + mib(totalBytes) + ")");
        }
        int permits = (int) Math.max(1, (bytes + 1023) >> 10);
        try {
            if (!kib.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BusyException(what + " needs " + mib(bytes) + " of memory and the server has "
                        + mib(availableBytes()) + " free for it now; retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException("interrupted while waiting for memory for " + what);
        }
        return new Reservation(permits);
    }

    public long totalBytes() {
        return totalBytes;
    }

    public long availableBytes() {
        return (long) kib.availablePermits() << 10;
    }

    private static String mib(long bytes) {
        return (bytes + (1 << 20) - 1 >> 20) + " MiB";
    }
}
