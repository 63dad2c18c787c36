package clickseg.server.everything;

import clickseg.everything.EverythingParameters;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * The segment-everything jobs: at most {@code running} at once, up to {@code queue} more waiting in order (past
 * that, submission is refused so the caller can answer 503), one job per (image, parameters) while it is
 * unfinished (a second request joins it). Finished jobs stay readable for {@link #KEEP_FINISHED_NANOS}, and at
 * most {@link #MAX_FINISHED} of them are kept (the oldest go first): memory stays bounded however many
 * jobs pass through.
 *
 * <p>Job ids are 128 random bits (SecureRandom, base64url): there are no accounts, so holding the id is what
 * lets a client follow a job and cancel it.
 */
final class EverythingJobs implements AutoCloseable {
    static final long KEEP_FINISHED_NANOS = 10L * 60 * 1_000_000_000L;
    static final int MAX_FINISHED = 512;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");

    /** Runs one job's generation, reporting to the job; throws CancellationException once it sees it cancelled. */
    interface Work {
        EverythingResult run(EverythingJob job) throws Exception;
    }

    /** A submitted job and whether the request joined one already under way. */
    record Admission(EverythingJob job, boolean joined) {
    }

    private final int running;
    private final int queueLimit;
    private final Work work;
    private final ExecutorService threads;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, EverythingJob> byId = new LinkedHashMap<>();   // every job kept, oldest first
    private final Map<String, EverythingJob> unfinished = new HashMap<>();  // by (image, parameters) key
    private final ArrayDeque<EverythingJob> queued = new ArrayDeque<>();
    private final Map<EverythingJob, LongConsumer> charges = new HashMap<>();
    private int active;
    private long completed;
    private long totalNanos;

    EverythingJobs(int running, int queueLimit, Work work) {
        this.running = running;
        this.queueLimit = queueLimit;
        this.work = work;
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(running, task -> {
            Thread thread = new Thread(task, "everything-job-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * The unfinished job for (image, parameters), or a new one started or queued.
     *
     * @param charge told the job's decoder CPU nanoseconds once it ends (before its end is visible), only when
     *               this call created the job: joining costs nothing
     * @throws RejectedExecutionException the queue is full
     */
    Admission submit(String key, String imageId, EverythingParameters parameters, BooleanSupplier imageStored,
                     LongConsumer charge) {
        synchronized (lock) {
            sweep();
            EverythingJob existing = unfinished.get(key);
            if (existing != null && !existing.status().finished()) {
                return new Admission(existing, true);
            }
            if (active >= running && queued.size() >= queueLimit) {
                throw new RejectedExecutionException("the everything queue is full (" + queued.size() + " waiting)");
            }
            EverythingJob job = new EverythingJob(newId(), key, imageId, parameters, imageStored);
            byId.put(job.id(), job);
            unfinished.put(key, job);
            charges.put(job, charge);
            if (active < running) {
                launch(job);
            } else {
                queued.addLast(job);
            }
            return new Admission(job, false);
        }
    }

    /** The job, or null when unknown or expired. A queued job whose image was evicted is cancelled here. */
    EverythingJob find(String id) {
        EverythingJob job;
        synchronized (lock) {
            sweep();
            job = byId.get(id);
        }
        if (job != null && job.status() == EverythingJob.Status.QUEUED && job.cancelIfImageGone()) {
            forget(job);
        }
        return job;
    }

    /** Place in the queue, 1 = next; 0 when not queued. */
    int position(EverythingJob job) {
        synchronized (lock) {
            int position = 1;
            for (EverythingJob j : queued) {
                if (j == job) {
                    return position;
                }
                position++;
            }
            return 0;
        }
    }

    /** Cancels a queued or running job (a running one stops at its next point); false when it had finished. */
    boolean cancel(EverythingJob job, String code, String text) {
        if (!job.cancel(code, text)) {
            return false;
        }
        forget(job);
        return true;
    }

    /** A cancelled job leaves the queue and no longer takes joiners; a running one frees its slot when it stops. */
    private void forget(EverythingJob job) {
        LongConsumer charge;
        synchronized (lock) {
            unfinished.remove(job.key(), job);
            if (!queued.remove(job)) {
                return; // running: run() charges it and frees the slot when the generation stops
            }
            charge = charges.remove(job);
        }
        if (charge != null) {
            charge.accept(0); // never ran
        }
    }

    int waiting() {
        synchronized (lock) {
            return queued.size();
        }
    }

    int runningNow() {
        synchronized (lock) {
            return active;
        }
    }

    /** Seconds a new job would likely wait: the mean job time so far times the jobs ahead, per slot (at least 1). */
    long retryAfterSeconds() {
        synchronized (lock) {
            double mean = completed == 0 ? 30.0 : totalNanos / 1e9 / completed;
            return Math.max(1, (long) Math.ceil(mean * (queued.size() + active) / running));
        }
    }

    private void launch(EverythingJob job) { // holds lock
        active++;
        try {
            threads.execute(() -> run(job));
        } catch (RejectedExecutionException e) { // shut down
            active--;
            job.cancel("shutdown", "the server is shutting down");
            unfinished.remove(job.key(), job);
        }
    }

    private void run(EverythingJob job) {
        long start = System.nanoTime();
        try {
            if (job.start() && !job.cancelIfImageGone()) {
                try {
                    EverythingResult result = work.run(job);
                    charge(job);
                    job.done(result);
                } catch (CancellationException e) {
                    charge(job);
                    job.cancel("cancelled", "the job was cancelled");
                } catch (EverythingService.UnknownImageException e) {
                    charge(job);
                    job.cancel("image_evicted", e.getMessage());
                } catch (RejectedExecutionException e) {
                    charge(job);
                    job.failed("busy", "the encoder queue is full (crop layers need encodings); retry later", e);
                } catch (Throwable t) {
                    charge(job);
                    job.failed("internal", "the job failed: " + t, t);
                }
            } else {
                charge(job);
            }
        } finally {
            synchronized (lock) {
                active--;
                completed++;
                totalNanos += System.nanoTime() - start;
                unfinished.remove(job.key(), job);
                EverythingJob next = queued.pollFirst();
                if (next != null) {
                    launch(next);
                }
            }
        }
    }

    private void charge(EverythingJob job) {
        LongConsumer charge;
        synchronized (lock) {
            charge = charges.remove(job);
        }
        if (charge != null) {
            charge.accept(job.cpuNanos());
        }
    }

    /** Drops finished jobs past their time, then the oldest finished past the count. Holds lock. */
    private void sweep() {
        long now = System.nanoTime();
        List<EverythingJob> finished = new ArrayList<>();
        for (Iterator<EverythingJob> it = byId.values().iterator(); it.hasNext(); ) {
            EverythingJob job = it.next();
            if (job.status().finished()) {
                if (now - job.finishedAtNanos() > KEEP_FINISHED_NANOS) {
                    it.remove();
                } else {
                    finished.add(job);
                }
            }
        }
        for (int i = 0; i < finished.size() - MAX_FINISHED; i++) {
            byId.remove(finished.get(i).id()); // insertion order: the oldest first
        }
    }

    private String newId() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    @Override
    public void close() {
        List<EverythingJob> all;
        synchronized (lock) {
            all = new ArrayList<>(byId.values());
        }
        for (EverythingJob job : all) {
            cancel(job, "shutdown", "the server is shutting down");
        }
        threads.shutdownNow();
    }
}
