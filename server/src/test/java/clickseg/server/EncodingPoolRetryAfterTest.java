package clickseg.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue: the encoder's Retry-After said 18 s while the queue cleared in 4 s. */
class EncodingPoolRetryAfterTest {

    @Test
    void retry_after_follows_the_rate_encodings_finish_at_not_the_mean_of_a_slow_first_one() throws Exception {
        try (EncodingPool pool = new EncodingPool(1, 8)) {
            pool.submit("slow", () -> {
                Thread.sleep(3000);
                return 0;
            }).get();
            for (int i = 0; i < 20; i++) {
                pool.submit("fast-" + i, () -> {
                    Thread.sleep(10);
                    return 0;
                }).get();
            }
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            pool.submit("blocker", () -> {
                running.countDown();
                release.await();
                return 0;
            });
            // the worker has taken the blocker, so the queue is empty (a worker still finishing the last fast
            // task also counts as active, which is why active() alone was not enough)
            running.await();
            for (int i = 0; i < 8; i++) {
                pool.submit("queued-" + i, () -> 0);
            }
            // 9 ahead at ~100 per second: 1 s. The mean (3.2 s / 21 = 0.15 s) x 9 would say 2 s.
            assertEquals(1, pool.retryAfterSeconds());
            release.countDown();
        }
    }
}
