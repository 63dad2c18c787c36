package clickseg.server.share;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-client creation limit over a sliding minute, on a clock the test moves. */
class CreationRateLimitTest {

    @Test
    void a_client_past_its_limit_waits_until_its_oldest_creation_leaves_the_minute_and_others_are_unaffected() {
        AtomicLong now = new AtomicLong(1_000_000);
        CreationRateLimit limit = new CreationRateLimit(2, now::get);
        assertEquals(0, limit.secondsUntilAllowed("10.0.0.1"));
        limit.record("10.0.0.1");
        now.addAndGet(20_000);
        limit.record("10.0.0.1");
        assertEquals(40, limit.secondsUntilAllowed("10.0.0.1"), "the first creation leaves the window in 40 s");
        assertEquals(0, limit.secondsUntilAllowed("10.0.0.2"), "another address has its own budget");
        now.addAndGet(40_000);
        assertEquals(0, limit.secondsUntilAllowed("10.0.0.1"));
        limit.record("10.0.0.1");
        assertEquals(20, limit.secondsUntilAllowed("10.0.0.1"));
    }

    @Test
    void a_limit_of_zero_refuses_every_creation() {
        CreationRateLimit limit = new CreationRateLimit(0, () -> 5_000);
        assertEquals(60, limit.secondsUntilAllowed("10.0.0.1"));
    }
}
