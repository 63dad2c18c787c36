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
import clickseg.server.store.DiskBlobStore;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/** A running server and everything it owns, built from a {@link ServerConfig}; closing stops it all. */
public final class Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** How long an upload may wait for decode memory before it is answered 503 (decodes take about a second). */
    private static final java.time.Duration MEMORY_WAIT = java.time.Duration.ofSeconds(3);

    private final Javalin javalin;
    private final EncodingPool pool;
    private final EncoderSession encoder;
    private final EverythingService everything;
    private final ShareRoutes shares;

    private Server(Javalin javalin, EncodingPool pool, EncoderSession encoder, EverythingService everything,
                   ShareRoutes shares) {
        this.javalin = javalin;
        this.pool = pool;
        this.encoder = encoder;
        this.everything = everything;
        this.shares = shares;
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
        ModelManifest manifest;
        ModelFiles files;
        EncoderSession encoder;
        try {
            manifest = config.modelManifest() == null ? ModelManifest.loadDefault() : ModelManifest.load(config.modelManifest());
            files = new ModelFetcher(config.cacheDir(), List.of("npm")).ensureAvailable(manifest);
            encoder = EncoderSession.open(files, config.device(), config.cpuFallback(), config.ortThreads());
        } catch (ManifestException | ModelUnavailableException | EncoderUnavailableException e) {
            throw new StartupException(e.getMessage(), e);
        }
        LOG.info("model {} encodes on {} (ONNX Runtime {}ExecutionProvider), {} intra-op threads, {} worker(s), queue {}",
                manifest.id(), encoder.device(), encoder.device() == clickseg.server.model.Device.CUDA ? "CUDA" : "CPU",
                encoder.threads(), config.encodeWorkers(), config.encodeQueue());
        DiskBlobStore store;
        try {
            store = new DiskBlobStore(config.dataDir(), config.storeBytes());
        } catch (IOException e) {
            closeQuietly(encoder);
            throw new StartupException("cannot use the data folder " + config.dataDir().toAbsolutePath() + ": " + e.getMessage()
                    + " (set --data / CLICKSEG_DATA to a writable folder)", e);
        }
        EncodingPool pool = new EncodingPool(config.encodeWorkers(), config.encodeQueue());
        // One heap budget for every image decode and upload body, so concurrent requests cannot exhaust the heap.
        MemoryBudget memory = new MemoryBudget(config.decodeMemoryBytes(), MEMORY_WAIT);
        ImageDecoder imageDecoder = new ImageDecoder(config.maxPixels(), memory);
        ImageLibrary library = new ImageLibrary(store, imageDecoder, encoder, pool, manifest);
        String device = encoder.device().flagValue();
        DecoderTimeBudget decoderTime = new DecoderTimeBudget(config.decoderSecondsPerMinute(), System::nanoTime);
        SegmentRoute segments;
        EverythingService everything;
        DecoderWeightsRoute decoderWeights;
        try {
            // One read of the decoder's weights serves every Java decoder the server builds.
            DecoderWeights weights = OnnxDecoderWeights.read(java.nio.file.Files.readAllBytes(files.decoder()));
            segments = new SegmentRoute(SegmentService.create(library, weights), decoderTime);
            everything = new EverythingService(library, weights, new CropEncoder(library,
                    imageDecoder, new Preprocessor(manifest.preprocessing()), encoder, pool),
                    EverythingConfig.fromEnvironment(env, Runtime.getRuntime().availableProcessors()));
            decoderWeights = DecoderWeightsRoute.load(manifest.id(), files.decoder());
        } catch (IOException | RuntimeException e) {
            pool.close();
            closeQuietly(encoder);
            throw new StartupException("cannot load the decoder " + files.decoder() + ": " + e.getMessage(), e);
        }
        ShareRoutes shares;
        try {
            shares = ShareRoutes.open(config.dataDir(), library, store, imageDecoder, config.shareRate())
                    .withPublicUrl(config.publicUrl()).withPinnedBudget(store, config.pinnedBytes());
        } catch (Exception e) {
            everything.close();
            pool.close();
            closeQuietly(encoder);
            throw new StartupException("cannot open the share database in " + config.dataDir().toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        Javalin javalin = new App(config, library, store, pool, device, segments,
                new EverythingRoutes(everything, library, config.largeEverythingJobs(), decoderTime), decoderWeights, shares, remoteAddresses, memory).create();
        try {
            javalin.start();
        } catch (RuntimeException e) {
            closeQuietly(shares);
            everything.close();
            pool.close();
            closeQuietly(encoder);
            throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        LOG.info("listening on http://{}:{} with data in {} ({} bytes stored)", config.host(), javalin.port(),
                store.root(), store.size());
        LOG.info("decoder kernels: {}", clickseg.server.decoder.ServerDecoders.kernels());
        LOG.info("embedding allowed for {}; remote image fetching {}", config.embedOrigins().any() ? "any site"
                : config.embedOrigins(), config.remoteImages() ? "on (public addresses only)" : "off");
        return new Server(javalin, pool, encoder, everything, shares);
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
        closeQuietly(shares);
        everything.close();
        pool.close();
        closeQuietly(encoder);
    }

    private static void closeQuietly(ShareRoutes shares) {
        try {
            shares.close();
        } catch (Exception e) {
            LOG.warn("closing the share database: {}", e.getMessage());
        }
    }

    private static void closeQuietly(EncoderSession encoder) {
        try {
            encoder.close();
        } catch (Exception e) {
            LOG.warn("closing the encoder: {}", e.getMessage());
        }
    }
}
