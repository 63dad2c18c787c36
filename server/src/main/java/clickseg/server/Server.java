package clickseg.server;

import clickseg.decoder.DecoderWeights;
import clickseg.server.everything.CropEncoder;
import clickseg.server.everything.EverythingConfig;
import clickseg.server.everything.EverythingRoutes;
import clickseg.server.everything.EverythingService;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.MemoryBudget;
import clickseg.server.image.Preprocessor;
import clickseg.server.model.EncoderSession;
import clickseg.server.model.EncoderUnavailableException;
import clickseg.server.model.ManifestException;
import clickseg.server.model.ModelFetcher;
import clickseg.server.model.ModelFiles;
import clickseg.server.model.ModelManifest;
import clickseg.server.model.ModelUnavailableException;
import clickseg.server.remote.AddressPolicy;
import clickseg.server.remote.PublicAddresses;
import clickseg.server.segment.SegmentRoute;
import clickseg.server.segment.SegmentService;
import clickseg.server.share.ShareRoutes;
import clickseg.server.weights.OnnxDecoderWeights;
import clickseg.server.jobs.EncodeJobs;
import clickseg.server.jobs.EncoderWorker;
import clickseg.server.jobs.JobNotices;
import clickseg.server.jobs.QueuedEmbeddingProducer;
import clickseg.server.ops.ServerMetrics;
import clickseg.server.share.PostgresShareStore;
import clickseg.server.share.SharePreviews;
import clickseg.server.store.BlobLedger;
import clickseg.server.store.BlobStore;
import clickseg.server.store.DiskBlobStore;
import clickseg.server.store.LedgeredBlobStore;
import clickseg.server.store.S3BlobStore;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A running server and everything it owns, built from a {@link ServerConfig}; closing stops it all. */
public final class Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** How long an upload may wait for decode memory before it is answered 503 (decodes take about a second). */
    private static final java.time.Duration MEMORY_WAIT = java.time.Duration.ofSeconds(3);

    /** How long an API replica waits for an encoder node to finish an upload's job before answering 500. */
    private static final java.time.Duration ENCODE_WAIT = java.time.Duration.ofMinutes(5);
    /** How long a shutdown waits for running encodings to finish. */
    private static final int DRAIN_SECONDS = 60;
    /**
     * Bucket eviction (a bucket with --share-db): an image used in the last 10 minutes is never evicted, a
     * replica records its reads of an image at most once a minute, and a pass runs every minute on each API
     * replica (one at a time across replicas), so the bucket passes --store-bytes by at most a minute's uploads.
     */
    private static final long BUCKET_MIN_IDLE_SECONDS = 600;
    private static final long BUCKET_TOUCH_SECONDS = 60;
    private static final long BUCKET_EVICTION_PERIOD_SECONDS = 60;

    private final Javalin javalin;
    private final List<AutoCloseable> owned;
    private final Draining draining;
    private final EncodingPool pool;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Server(Javalin javalin, List<AutoCloseable> owned, Draining draining) {
        this(javalin, owned, draining, null);
    }

    private Server(Javalin javalin, List<AutoCloseable> owned, Draining draining, EncodingPool pool) {
        this.javalin = javalin;
        this.owned = owned;
        this.draining = draining;
        this.pool = pool;
    }

    /** A startup that cannot proceed; the message is one line saying what to do. */
    public static final class StartupException extends Exception {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Server start(ServerConfig config) throws StartupException {
        return start(config, PublicAddresses.ONLY);
    }

    /** @param remoteAddresses where remote image fetching may connect; only tests pass anything but public-only */
    public static Server start(ServerConfig config, AddressPolicy remoteAddresses) throws StartupException {
        return start(config, remoteAddresses, System.getenv());
    }

    /**
     * @param env where the CLICKSEG_EVERYTHING_* variables are read (the process environment, or a test's own:
     *            {@link EverythingConfig} bounds one feature and is not a flag)
     */
    public static Server start(ServerConfig config, AddressPolicy remoteAddresses, java.util.Map<String, String> env)
            throws StartupException {
        ServerConfig.Role role = config.role();
        ModelManifest manifest;
        ModelFiles files;
        EncoderSession encoder = null;
        try {
            manifest = config.modelManifest() == null ? ModelManifest.loadDefault() : ModelManifest.load(config.modelManifest());
            files = new ModelFetcher(config.cacheDir(), List.of("npm")).ensureAvailable(manifest);
            if (role != ServerConfig.Role.API) { // an API replica never loads ONNX Runtime
                encoder = EncoderSession.open(files, config.device(), config.cpuFallback(), config.ortThreads());
            }
        } catch (ManifestException | ModelUnavailableException | EncoderUnavailableException e) {
            throw new StartupException(e.getMessage(), e);
        }
        if (encoder != null) {
            LOG.info("model {} encodes on {} (ONNX Runtime {}ExecutionProvider), {} intra-op threads, {} worker(s), queue {}",
                    manifest.id(), encoder.device(), encoder.device() == clickseg.server.model.Device.CUDA ? "CUDA" : "CPU",
                    encoder.threads(), config.encodeWorkers(), config.encodeQueue());
        } else {
            LOG.info("role api: model {}, encodings queued in the database for encoder nodes", manifest.id());
        }
        List<AutoCloseable> owned = new ArrayList<>(); // closed in reverse on failure and on close
        if (encoder != null) {
            owned.add(encoder);
        }
        try {
            return startWith(config, remoteAddresses, env, manifest, files, encoder, owned);
        } catch (StartupException | RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    private static Server startWith(ServerConfig config, AddressPolicy remoteAddresses,
                                    java.util.Map<String, String> env, ModelManifest manifest,
                                    ModelFiles files, EncoderSession encoder, List<AutoCloseable> owned)
            throws StartupException {
        BlobStore store;
        try {
            store = config.store() == null ? new DiskBlobStore(config.dataDir(), config.storeBytes())
                    : S3BlobStore.open(config.store(), config.s3Endpoint());
        } catch (IOException e) {
            throw new StartupException(config.store() == null ? "cannot use the data folder "
                    + config.dataDir().toAbsolutePath() + ": " + e.getMessage()
                    + " (set --data / CLICKSEG_DATA to a writable folder)" : e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage(), e);
        }
        if (store instanceof AutoCloseable closeable) {
            owned.add(closeable);
        }
        PostgresShareStore database = null;
        EncodeJobs jobs = null;
        JobNotices notices = null;
        if (config.shareDb() != null) {
            try {
                database = PostgresShareStore.open(config.shareDb());
                owned.add(database);
                jobs = new EncodeJobs(database.dataSource(), manifest.id());
                notices = JobNotices.listen(config.shareDb());
                owned.add(notices);
            } catch (Exception e) {
                throw new StartupException("cannot use the database " + PostgresShareStore.redacted(config.shareDb())
                        + ": " + e.getMessage(), e);
            }
        }
        if (database != null && store instanceof S3BlobStore) {
            LedgeredBlobStore ledgered = withLedger(store, database, config);
            owned.add(ledgered);
            store = ledgered;
        }
        ServerMetrics metrics = new ServerMetrics();
        EncodingPool pool = new EncodingPool(config.encodeWorkers(), config.encodeQueue());
        owned.add(pool);
        // One heap budget for every image decode and upload body, so concurrent requests cannot exhaust the heap.
        MemoryBudget memory = new MemoryBudget(config.decodeMemoryBytes(), MEMORY_WAIT);
        ImageDecoder imageDecoder = new ImageDecoder(config.maxPixels(), memory);
        EmbeddingBlobs blobs = new EmbeddingBlobs(store, manifest.id());
        EmbeddingProducer producer = config.role() == ServerConfig.Role.API
                ? new QueuedEmbeddingProducer(blobs, jobs, notices, pool, ENCODE_WAIT)
                : new LocalEmbeddingProducer(blobs, encoder, pool, manifest);
        ImageLibrary library = new ImageLibrary(store, imageDecoder, producer, manifest);
        String device = encoder == null ? "remote" : encoder.device().flagValue();
        metrics.gauge("clickseg_encode_queue_depth", "encodings waiting in this process", pool::waiting);
        metrics.gauge("clickseg_encode_running", "encodings running (or, on an API replica, being waited for)", pool::active);
        metrics.counter("clickseg_encode_seconds_total", "time spent in this process's encodings", pool,
                p -> p.totalNanos() / 1e9);
        metrics.counter("clickseg_encodes_total", "encodings finished in this process", pool, EncodingPool::completed);
        metrics.counter("clickseg_image_decode_seconds_total", "time spent decoding uploaded images", library,
                l -> l.decodeNanos() / 1e9);
        metrics.gauge("clickseg_store_bytes", "bytes in the blob store (a bucket: summed from the ledger in "
                + "PostgreSQL; -1: a bucket without one)", store::size);
        if (store instanceof LedgeredBlobStore ledgered) {
            metrics.counter("clickseg_store_evicted_images_total", "images this replica's eviction passes took "
                    + "out of the bucket", ledgered, LedgeredBlobStore::evictedImages);
        }
        if (jobs != null) {
            EncodeJobs queue = jobs;
            metrics.gauge("clickseg_encode_jobs_waiting", "encode jobs waiting in the database for an encoder", () -> {
                try {
                    return queue.waiting();
                } catch (Exception e) {
                    return -1;
                }
            });
        }
        if (config.role() == ServerConfig.Role.ENCODER) {
            EncoderWorker worker = new EncoderWorker(jobs, notices, library, encoder, config.encodeWorkers());
            metrics.gauge("clickseg_encoder_jobs_running", "jobs this encoder node is encoding", worker::active);
            metrics.counter("clickseg_encoder_jobs_total", "jobs this encoder node finished", worker, EncoderWorker::completed);
            Javalin javalin = EncoderNode.create(config, metrics, worker, manifest);
            try {
                javalin.start();
            } catch (RuntimeException e) {
                throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
            }
            worker.start();
            LOG.info("listening on http://{}:{} as an encoder node, blobs in {}", config.host(), javalin.port(),
                    store.location());
            List<AutoCloseable> all = new ArrayList<>(owned);
            all.add(worker); // closed first: finish the running jobs
            return new Server(javalin, all, null);
        }
        DecoderTimeBudget decoderTime = new DecoderTimeBudget(config.decoderSecondsPerMinute(), System::nanoTime);
        metrics.counter("clickseg_decoder_cpu_seconds_total", "CPU time of the mask decoder on this server "
                + "(segment, everything and export requests)", decoderTime, t -> t.totalNanos() / 1e9);
        SegmentRoute segments;
        EverythingService everything;
        DecoderWeightsRoute decoderWeights;
        try {
            // One read of the decoder's weights serves every Java decoder the server builds.
            DecoderWeights weights = OnnxDecoderWeights.read(java.nio.file.Files.readAllBytes(files.decoder()));
            segments = new SegmentRoute(SegmentService.create(library, weights), decoderTime);
            // crop layers encode crops here: an API replica has no encoder, so it refuses them with a 400
            CropEncoder crops = encoder == null ? null
                    : new CropEncoder(library, imageDecoder, new Preprocessor(manifest.preprocessing()), encoder, pool);
            everything = new EverythingService(library, weights, crops,
                    EverythingConfig.fromEnvironment(env, Runtime.getRuntime().availableProcessors()));
            owned.add(everything::close);
            decoderWeights = DecoderWeightsRoute.load(manifest.id(), files.decoder());
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot load the decoder " + files.decoder() + ": " + e.getMessage(), e);
        }
        ShareRoutes shares;
        try {
            shares = database == null
                    ? ShareRoutes.open(config.dataDir(), library, store, imageDecoder, config.shareRate())
                    : ShareRoutes.open(database, SharePreviews.inStore(store), library, store, imageDecoder, config.shareRate());
            shares = shares.withPublicUrl(config.publicUrl()).withPinnedBudget(store, config.pinnedBytes());
        } catch (Exception e) {
            throw new StartupException("cannot open the share database: " + e.getMessage(), e);
        }
        if (database == null) {
            owned.add(shares);
        }
        Draining draining = new Draining();
        App app = new App(config, library, store, pool, device, segments,
                new EverythingRoutes(everything, library, config.largeEverythingJobs(), decoderTime), decoderWeights,
                shares, remoteAddresses, memory);
        Javalin javalin = app.create(metrics, draining);
        try {
            javalin.start();
        } catch (RuntimeException e) {
            throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        LOG.info("listening on http://{}:{} with blobs in {} ({} bytes stored), role {}", config.host(), javalin.port(),
                store.location(), store.size(), config.role().name().toLowerCase(java.util.Locale.ROOT));
        LOG.info("decoder kernels: {}", clickseg.server.decoder.ServerDecoders.kernels());
        LOG.info("embedding allowed for {}; remote image fetching {}", config.embedOrigins().any() ? "any site"
                : config.embedOrigins(), config.remoteImages() ? "on (public addresses only)" : "off");
        return new Server(javalin, owned, draining, pool);
    }

    /** The bucket with every blob recorded in PostgreSQL, evicted from there on API replicas. */
    private static LedgeredBlobStore withLedger(BlobStore bucket, PostgresShareStore database, ServerConfig config)
            throws StartupException {
        try {
            LedgeredBlobStore ledgered = new LedgeredBlobStore(bucket, new BlobLedger(database.dataSource()),
                    config.storeBytes(), BUCKET_MIN_IDLE_SECONDS,
                    java.util.concurrent.TimeUnit.SECONDS.toNanos(BUCKET_TOUCH_SECONDS), System::nanoTime);
            if (config.role() != ServerConfig.Role.ENCODER) { // encoders write blobs, API replicas evict
                ledgered.evictEvery(BUCKET_EVICTION_PERIOD_SECONDS);
            }
            return ledgered;
        } catch (java.sql.SQLException e) {
            throw new StartupException("cannot make the blob ledger in " + PostgresShareStore.redacted(config.shareDb())
                    + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return javalin.port();
    }

    /**
     * Graceful: new uploads and encodings get 503 at once, running encodings finish (up to a minute), then the
     * HTTP server stops and everything it owns is closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // the signal handler closed it already; the shutdown hook finds nothing left to do
        }
        if (draining != null) {
            draining.start();
        }
        if (pool != null) {
            pool.drain(DRAIN_SECONDS);
        }
        if (draining != null) {
            draining.awaitIdle(10_000); // the answers of the encodings just finished are being written
        }
        javalin.stop();
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> owned) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", owned.get(i), e.getMessage());
            }
        }
    }
}
