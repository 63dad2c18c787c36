package clickseg.server.jobs;

import clickseg.server.App;
import clickseg.server.EmbeddingBlobs;
import clickseg.server.ImageLibrary;
import clickseg.server.image.EncoderInput;
import clickseg.server.image.ImageRejectedException;
import clickseg.server.model.EncoderSession;
import clickseg.server.model.ModelManifest;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Role "encoder": worker threads that take encode jobs ({@link EncodeJobs#take}), read the upload from the bucket,
 * encode it and write the containers and the image (embeddings first), then mark the job done. Each running job's
 * lease is renewed every {@link #LEASE_SECONDS}/3 s; if this process dies the lease runs out and another encoder
 * (or this one restarted) takes the job again.
 */
public final class EncoderWorker implements AutoCloseable {
    public static final int LEASE_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(EncoderWorker.class);
    /** An idle worker reads the queue this often besides waking on a queued notice (and for leases that ran out). */
    private static final long IDLE_POLL_MILLIS = 2_000;

    private final EncodeJobs jobs;
    private final JobNotices notices;
    private final EmbeddingBlobs blobs;
    private final ImageLibrary library;
    private final EncoderSession encoder;
    private final ModelManifest manifest;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "encode-lease");
        t.setDaemon(true);
        return t;
    });
    private final String processId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private volatile boolean running = true;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong encodeNanos = new AtomicLong();

    public EncoderWorker(EncodeJobs jobs, JobNotices notices, ImageLibrary library, EncoderSession encoder, int workers) {
        this.jobs = jobs;
        this.notices = notices;
        this.blobs = library.blobs();
        this.library = library;
        this.encoder = encoder;
        this.manifest = library.manifest();
        for (int i = 0; i < workers; i++) {
            String owner = processId + "#" + i;
            Thread thread = new Thread(() -> loop(owner), "encode-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    public EncoderWorker start() {
        threads.forEach(Thread::start);
        LOG.info("encoder worker {} takes jobs with {} thread(s)", processId, threads.size());
        return this;
    }

    public int active() {
        return active.get();
    }

    public long completed() {
        return completed.get();
    }

    public long encodeNanos() {
        return encodeNanos.get();
    }

    private void loop(String owner) {
        while (running) {
            String imageId;
            long mark = notices.mark(JobNotices.QUEUED); // before the take: a job queued after it wakes the wait
            try {
                imageId = jobs.take(owner, LEASE_SECONDS);
            } catch (Exception e) {
                LOG.warn("cannot take an encode job: {}", e.getMessage());
                sleep(2000);
                continue;
            }
            if (imageId == null) {
                try {
                    notices.awaitAfter(JobNotices.QUEUED, mark, IDLE_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            active.incrementAndGet();
            LOG.info("took the encode job of image {}", imageId);
            ScheduledFuture<?> lease = leases.scheduleAtFixedRate(() -> renew(imageId, owner),
                    LEASE_SECONDS / 3, LEASE_SECONDS / 3, TimeUnit.SECONDS);
            try {
                encode(imageId, owner);
            } catch (Exception e) {
                LOG.error("encoding image {} failed", imageId, e);
                try {
                    jobs.fail(imageId, owner, String.valueOf(e.getMessage()));
                } catch (Exception again) {
                    LOG.warn("cannot mark job {} failed: {}", imageId, again.getMessage());
                }
            } finally {
                lease.cancel(false);
                active.decrementAndGet();
            }
        }
    }

    private void encode(String id, String owner) throws Exception {
        long start = System.nanoTime();
        byte[] original = blobs.store().get(QueuedEmbeddingProducer.uploadKey(id));
        if (original == null) {
            original = blobs.store().get(EmbeddingBlobs.imageKey(id)); // re-encoding an evicted embedding
        }
        if (original == null) {
            jobs.fail(id, owner, "the upload of image " + id + " is not in the bucket");
            return;
        }
        EncoderInput input;
        try {
            input = library.decodeForEncoder(original);
        } catch (ImageRejectedException e) {
            jobs.fail(id, owner, "the image does not decode: " + e.getMessage());
            return;
        }
        float[] embedding = encoder.encode(input); // (C, H, W)
        EmbeddingContainer container = new EmbeddingContainer(manifest.id(), Dtype.F32, manifest.embeddingShape(),
                input.originalWidth(), input.originalHeight(), input.resizedWidth(), input.resizedHeight(), embedding);
        blobs.writeEncoded(id, container, App.DEFAULT_EMBEDDING_DTYPE);
        blobs.writeImage(id, original, input.originalWidth(), input.originalHeight());
        jobs.finish(id, owner);
        blobs.store().delete(QueuedEmbeddingProducer.uploadKey(id));
        long nanos = System.nanoTime() - start;
        encodeNanos.addAndGet(nanos);
        completed.incrementAndGet();
        LOG.info("encoded image {} in {} ms", id, nanos / 1_000_000);
    }

    private void renew(String id, String owner) {
        try {
            if (!jobs.renew(id, owner, LEASE_SECONDS)) {
                LOG.warn("the lease on image {} was lost; another encoder may finish it too", id);
            }
        } catch (Exception e) {
            LOG.warn("cannot renew the lease on image {}: {}", id, e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes no new jobs and waits (up to {@code waitSeconds}) for the running ones to finish. */
    @Override
    public void close() {
        close(60);
    }

    public void close(int waitSeconds) {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        leases.shutdownNow();
    }
}
