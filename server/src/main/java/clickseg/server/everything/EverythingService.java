package clickseg.server.everything;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.everything.CandidateCollector;
import clickseg.everything.CoverageGuidedGrid;
import clickseg.everything.CropBox;
import clickseg.everything.EverythingParameters;
import clickseg.everything.GeneratedMask;
import clickseg.everything.MaskSelection;
import clickseg.prompt.Prompt;
import clickseg.server.ImageLibrary;
import clickseg.server.image.DecodedImage;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Automatic mask generation on the server: each image is a job ({@link EverythingJobs}: a bounded number run
 * at once behind a bounded queue, a full queue refuses at once so the caller can answer 503), its grid points
 * spread over a fixed pool of decoder threads that each own one {@link MaskDecoder} (the decoder's scratch
 * memory is per instance). The per-image context is prepared once and shared read-only by all threads.
 * Results are cached per (image, parameters), and a request for a key already being computed joins that job
 * instead of starting another. A job reports its progress and the candidates so far as it goes, and stops at
 * its next point once cancelled (or once its image leaves the store).
 */
public final class EverythingService implements AutoCloseable {
    private final ImageLibrary library;
    private final CropEncoder cropEncoder; // null: crop layers are refused
    private final EverythingConfig config;
    private final EverythingJobs jobs;
    private final ExecutorService decoderThreads;
    private final ThreadLocal<ThreadDecoder> threadDecoder;
    private final Map<String, EverythingResult> cache;
    private final DecoderWeights weights;

    /** One decoder thread's own decoder and output. */
    private record ThreadDecoder(MaskDecoder decoder, DecoderResult result) {
    }

    /** The image is not stored (never uploaded, or evicted). */
    public static final class UnknownImageException extends Exception {
        public UnknownImageException(String id) {
            super("no image " + id + " is stored (never uploaded, or evicted)");
        }
    }

    /**
     * @param weights     the decoder weights the server loaded once; each decoder thread builds its own MaskDecoder
     * @param cropEncoder encodes crops for crop layers; null to refuse them
     */
    public EverythingService(ImageLibrary library, DecoderWeights weights, CropEncoder cropEncoder, EverythingConfig config) {
        this.library = library;
        this.weights = weights;
        this.cropEncoder = cropEncoder;
        this.config = config;
        this.decoderThreads = Executors.newFixedThreadPool(config.threads(), daemonThreads("everything-decoder"));
        this.threadDecoder = ThreadLocal.withInitial(() -> new ThreadDecoder(clickseg.server.decoder.ServerDecoders.create(weights), new DecoderResult()));
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, EverythingResult> eldest) {
                return size() > config.cacheEntries();
            }
        };
        this.jobs = new EverythingJobs(config.jobs(), config.queue(), this::runJob);
    }

    public EverythingConfig config() {
        return config;
    }

    public boolean cropsSupported() {
        return cropEncoder != null;
    }

    /** The cached result, or null. */
    public EverythingResult cached(String id, EverythingParameters parameters) {
        synchronized (cache) {
            return cache.get(key(id, parameters));
        }
    }

    /**
     * The unfinished job for (image, parameters), or a new one. A cached result is no job: ask
     * {@link #cached} first. The job's future fails with CancellationException when it is cancelled (its
     * reason says why: deleted, image evicted), or with another cause.
     *
     * @param charge told the decoder CPU nanoseconds the job spent once it ends, when this call created it
     * @throws RejectedExecutionException the queue is full
     */
    public EverythingJobs.Admission submit(String id, EverythingParameters parameters, java.util.function.LongConsumer charge) {
        return jobs.submit(key(id, parameters), id, parameters, () -> library.has(id), charge);
    }

    /** The job with this id, or null when unknown or expired. */
    public EverythingJob job(String jobId) {
        return jobs.find(jobId);
    }

    /** The job's view for a client now (its place in the queue included). */
    public EverythingJob.Snapshot snapshot(EverythingJob job) {
        return job.snapshot(jobs.position(job));
    }

    /** Cancels the job for everyone following it; false when it had finished already. */
    public boolean cancel(EverythingJob job, String code, String message) {
        return jobs.cancel(job, code, message);
    }

    public static boolean isValidJobId(String jobId) {
        return EverythingJobs.isValidId(jobId);
    }

    /** Seconds a new job would likely wait, from the mean job time so far (at least 1). */
    public long retryAfterSeconds() {
        return jobs.retryAfterSeconds();
    }

    public int waiting() {
        return jobs.waiting();
    }

    public int running() {
        return jobs.runningNow();
    }

    /** One job's generation, its result cached before the job ends: a request from then on is a cache hit. */
    private EverythingResult runJob(EverythingJob job) throws Exception {
        EverythingResult result = generate(job.imageId(), job.parameters(), job);
        job.spent((long) (result.timing().cropEncodeSeconds() * 1e9)); // charged with the decoder time, as before
        synchronized (cache) {
            cache.put(job.key(), result);
        }
        return result;
    }

    private static String key(String id, EverythingParameters parameters) {
        return id + "|" + parameters; // a record's toString names every field
    }

    private EverythingResult generate(String id, EverythingParameters parameters, GenerationProgress progress)
            throws Exception {
        long start = System.nanoTime();
        byte[] stored = library.embedding(id);
        if (stored == null) {
            throw new UnknownImageException(id);
        }
        EmbeddingContainer container = EmbeddingCodec.decode(stored);
        int width = container.originalWidth();
        int height = container.originalHeight();
        List<CropBox> crops = CropBox.layers(width, height, parameters.cropLayers(), parameters.cropOverlapRatio());
        if (crops.size() > 1 && cropEncoder == null) {
            throw new IllegalStateException("crop layers need the server's encoder");
        }
        DecodedImage original = crops.size() > 1 ? cropEncoder.decodeOriginal(id) : null;
        progress.started(crops, width, height);
        AtomicLong decodeNanos = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong(); // CPU time of the decoder threads on this image
        AtomicLong collectNanos = new AtomicLong();
        long cropEncodeNanos = 0;
        long candidates = 0;
        int points = 0;
        List<List<GeneratedMask>> perCrop = new ArrayList<>();
        long parallelWall = 0;
        for (CropBox crop : crops) {
            int cropIndex = perCrop.size();
            if (progress.cancelled()) {
                throw new CancellationException("cancelled");
            }
            float[] embedding;
            if (crop.layer() == 0) {
                embedding = container.data();
            } else {
                long t = System.nanoTime();
                embedding = cropEncoder.embedding(id, original, crop);
                cropEncodeNanos += System.nanoTime() - t;
            }
            // prepare uses a decoder's scratch, so it runs on a decoder thread
            ImageContext context = await(decoderThreads.submit(
                    () -> threadDecoder.get().decoder().prepare(embedding, crop.width(), crop.height())));
            // coarse to fine: each level's points are decoded in parallel, then the next level is planned
            // from what they covered (with one level: SAM's grid)
            CoverageGuidedGrid grid = new CoverageGuidedGrid(crop.width(), crop.height(),
                    parameters.pointsPerSide(crop.layer()), parameters.gridLevels());
            List<GeneratedMask> cropCandidates = new ArrayList<>();
            long parallelStart = System.nanoTime();
            while (!grid.done()) {
                float[] level = grid.nextLevel();
                int count = level.length / 2;
                points += count;
                progress.levelPlanned(cropIndex, count);
                AtomicInteger next = new AtomicInteger();
                List<Future<List<GeneratedMask>>> parts = new ArrayList<>();
                for (int t = 0; t < config.threads(); t++) {
                    parts.add(decoderThreads.submit(() -> {
                        long cpuStart = clickseg.server.DecoderTimeBudget.threadCpuNanos();
                        ThreadDecoder own = threadDecoder.get();
                        CandidateCollector collector = new CandidateCollector(parameters, crop, width, height);
                        List<GeneratedMask> found = new ArrayList<>();
                        long decoding = 0;
                        long collecting = 0;
                        for (int p = next.getAndIncrement(); p < count; p = next.getAndIncrement()) {
                            if (progress.cancelled()) {
                                break;
                            }
                            int before = found.size();
                            float x = level[2 * p];
                            float y = level[2 * p + 1];
                            long t0 = System.nanoTime();
                            own.decoder().decode(context, Prompt.point(x, y, Prompt.FOREGROUND), null, own.result());
                            long t1 = System.nanoTime();
                            // covering from several threads only ever sets flags; the next level reads
                            // them after every part is done
                            CandidateCollector.cover(grid, own.result(), collector.collect(own.result(), x, y, found));
                            progress.pointDecoded(cropIndex, found.subList(before, found.size()));
                            collecting += System.nanoTime() - t1;
                            decoding += t1 - t0;
                        }
                        decodeNanos.addAndGet(decoding);
                        collectNanos.addAndGet(collecting);
                        long cpu = clickseg.server.DecoderTimeBudget.threadCpuNanos() - cpuStart;
                        cpuNanos.addAndGet(cpu);
                        progress.spent(cpu);
                        return found;
                    }));
                }
                for (Future<List<GeneratedMask>> part : parts) {
                    cropCandidates.addAll(await(part));
                }
                if (progress.cancelled()) {
                    throw new CancellationException("cancelled");
                }
            }
            parallelWall += System.nanoTime() - parallelStart;
            candidates += cropCandidates.size();
            perCrop.add(cropCandidates);
        }
        List<GeneratedMask> masks = MaskSelection.select(perCrop, crops, parameters, width, height);
        long wall = System.nanoTime() - start;
        EverythingResult.Timing timing = new EverythingResult.Timing(wall / 1e9, decodeNanos.get() / 1e9,
                collectNanos.get() / 1e9, (wall - parallelWall) / 1e9, cropEncodeNanos / 1e9, points, candidates,
                config.threads(), cpuNanos.get() / 1e9);
        return new EverythingResult(id, width, height, parameters, List.copyOf(masks), timing);
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        jobs.close();
        decoderThreads.shutdownNow();
    }
}
