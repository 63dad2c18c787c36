package clickseg.server.jobs;

import clickseg.server.EmbeddingBlobs;
import clickseg.server.EmbeddingProducer;
import clickseg.server.EncodingPool;
import clickseg.server.ImageLibrary;
import clickseg.server.image.EncoderInput;
import clickseg.wire.Dtype;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Role "api": puts the upload in the bucket ("uploads/&lt;id&gt;"), queues an encode job in PostgreSQL and waits
 * for an encoder node to finish it, woken by the finish notice ({@link JobNotices}) and reading the row once a
 * second besides. This process never loads ONNX Runtime. The local {@link EncodingPool} only
 * bounds how many uploads wait at once (503 past it) and folds this replica's concurrent uploads of one image
 * into one wait; the job row folds those of all replicas into one encode.
 */
public final class QueuedEmbeddingProducer implements EmbeddingProducer {
    /** How often the row is read when no notice comes (notices wake the wait at once; this is the fallback). */
    private static final Duration FALLBACK_POLL = Duration.ofSeconds(1);

    private final EmbeddingBlobs blobs;
    private final EncodeJobs jobs;
    private final JobNotices notices;
    private final EncodingPool waiting;
    private final Duration timeout;

    public QueuedEmbeddingProducer(EmbeddingBlobs blobs, EncodeJobs jobs, JobNotices notices, EncodingPool waiting,
                                   Duration timeout) {
        this.blobs = blobs;
        this.jobs = jobs;
        this.notices = notices;
        this.waiting = waiting;
        this.timeout = timeout;
    }

    public static String uploadKey(String id) {
        return "uploads/" + id;
    }

    @Override
    public EmbeddingBlobs.Stored produce(String id, byte[] original, EncoderInput input)
            throws IOException, ImageLibrary.EncodingFailedException {
        CompletableFuture<EmbeddingBlobs.Stored> result = waiting.submit(id, () -> queueAndWait(id, original));
        return EmbeddingProducer.await(id, result);
    }

    private EmbeddingBlobs.Stored queueAndWait(String id, byte[] original) throws Exception {
        EmbeddingBlobs.Stored done = finished(id);
        if (done != null) {
            return done;
        }
        if (!blobs.store().contains(uploadKey(id))) {
            blobs.store().put(uploadKey(id), original); // before the job: the encoder reads it from here
        }
        jobs.enqueue(id);
        boolean requeued = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long mark = notices.mark(JobNotices.FINISHED); // before the read: a notice after it is not missed
            EncodeJobs.Job job = jobs.find(id);
            if (job != null && job.state().equals("done")) {
                done = finished(id);
                if (done != null) {
                    return done;
                }
                if (!requeued) { // done once, but its blobs are gone (evicted): encode again, once
                    jobs.requeue(id, job);
                    requeued = true;
                }
            } else if (job != null && job.state().equals("failed")) {
                if (requeued) {
                    throw new ImageLibrary.EncodingFailedException("the encoder failed on image " + id + ": "
                            + job.error(), null);
                }
                jobs.requeue(id, job); // an earlier upload failed: this one tries again
                requeued = true;
            }
            notices.awaitAfter(JobNotices.FINISHED, mark, FALLBACK_POLL.toMillis());
        }
        throw new ImageLibrary.EncodingFailedException("no encoder finished image " + id + " within "
                + timeout.toSeconds() + " s (are encoder nodes running? see encode_jobs in the database)", null);
    }

    /** The f32 master's description when both it and the image are in the bucket. */
    private EmbeddingBlobs.Stored finished(String id) throws IOException {
        EmbeddingBlobs.Stored stored = blobs.stored(id, Dtype.F32);
        return stored != null && blobs.store().contains(EmbeddingBlobs.imageKey(id)) ? stored : null;
    }

    /** Jobs waiting in the database for an encoder, or -1 when the database cannot say. */
    public int queueDepth() {
        try {
            return jobs.waiting();
        } catch (SQLException e) {
            return -1;
        }
    }
}
