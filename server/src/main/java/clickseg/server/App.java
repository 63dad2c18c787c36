package clickseg.server;

import clickseg.server.embed.EmbedPage;
import clickseg.server.everything.EverythingRoutes;
import clickseg.server.export.ExportRoutes;
import clickseg.server.image.ImageFormat;
import clickseg.server.image.ImageRejectedException;
import clickseg.server.image.MemoryBudget;
import clickseg.server.model.ModelManifest;
import clickseg.server.remote.AddressPolicy;
import clickseg.server.remote.PublicAddresses;
import clickseg.server.remote.RemoteImageFetcher;
import clickseg.server.remote.RemoteImageRoute;
import clickseg.server.ops.AccessLog;
import clickseg.server.ops.RequestIds;
import clickseg.server.ops.ServerMetrics;
import clickseg.server.ops.Version;
import clickseg.server.segment.OpenApiDocument;
import clickseg.server.segment.SegmentRoute;
import clickseg.server.share.ShareRoutes;
import clickseg.server.store.BlobStore;
import clickseg.server.web.ContainerErrorPage;
import clickseg.server.web.CrossOriginApi;
import clickseg.server.web.EmbedPolicyRoute;
import clickseg.server.web.SecurityHeaders;
import clickseg.server.web.StoreOutage;
import clickseg.server.web.TrafficLimits;
import clickseg.server.web.TransportFailure;
import clickseg.wire.Dtype;
import clickseg.wire.EmbeddingCodec;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/** The HTTP API: every route in {@link #create}, each a small handler over an {@link ImageLibrary}. */
public final class App {
    /**
     * The dtype the client asks for and the server sends when none is named: the smallest one that loses no
     * measurable mask quality. u8 (asymmetric scale and offset per channel) moved every figure of the whole click
     * protocol by at most 0.02 points mIoU and 0.02 clicks NoC against f32 (QualityBenchmark --dtype,
     * benchmarks/README.md), a quarter of f32's bytes.
     */
    public static final Dtype DEFAULT_EMBEDDING_DTYPE = Dtype.U8;
    /** Room for multipart boundaries and headers around an image of the largest accepted size. */
    private static final long MULTIPART_OVERHEAD = 64 << 10;
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final ServerConfig config;
    private final ImageLibrary library;
    private final BlobStore store;
    private final EncodingPool pool;
    private final String encoderDevice;
    private final SegmentRoute segments;
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    private final EverythingRoutes everything;
    private final StaticAssets page = new StaticAssets();
    private final DecoderWeightsRoute decoderWeights;
    private final RemoteImageRoute remoteImages;
    private final ShareRoutes shares;
    private final TrafficLimits trafficLimits;
    private final MemoryBudget memory;
    private final ExportRoutes exports;
    private volatile Draining draining = new Draining();

    /**
     * @param remoteAddresses where POST /api/images/fetch may connect (production: PublicAddresses.ONLY)
     * @param memory          the heap budget upload bodies are read into (shared with image decoding)
     */
    public App(ServerConfig config, ImageLibrary library, BlobStore store, EncodingPool pool, String encoderDevice,
               SegmentRoute segments, EverythingRoutes everything, DecoderWeightsRoute decoderWeights,
               ShareRoutes shares, AddressPolicy remoteAddresses, MemoryBudget memory) {
        this.config = config;
        this.library = library;
        this.store = store;
        this.pool = pool;
        this.encoderDevice = encoderDevice;
        this.segments = segments;
        this.everything = everything;
        this.decoderWeights = decoderWeights;
        this.remoteImages = new RemoteImageRoute(config.remoteImages(),
                new RemoteImageFetcher(remoteAddresses, config.maxUploadBytes()), this::answerUpload);
        this.shares = shares;
        this.memory = memory;
        this.exports = new ExportRoutes(memory, segments == null ? null : segments.budget());
        this.trafficLimits = new TrafficLimits(config.host(), config.port(), config.maxActivePosts(), config.minBodyRate(),
                config.maxConnectionsPerAddress());
    }

    public Javalin create() {
        return create(new ServerMetrics(), new Draining());
    }

    /** @param draining set at shutdown: uploads answer 503 from then on */
    public Javalin create(ServerMetrics metrics, Draining draining) {
        this.draining = draining;
        EmbedPage embed = new EmbedPage(library, config.embedOrigins());
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            trafficLimits.apply(cfg.jetty);
            cfg.http.maxRequestSize = config.maxUploadBytes() + MULTIPART_OVERHEAD;
            cfg.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes() + MULTIPART_OVERHEAD, SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, config.maxUploadBytes()), SizeUnit.BYTES);
            SecurityHeaders securityHeaders = new SecurityHeaders(config.embedOrigins());
            CrossOriginApi crossOrigin = new CrossOriginApi(config.embedOrigins());
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new ContainerErrorPage(securityHeaders)));
            cfg.requestLogger.http((ctx, millis) -> {
                draining.requestFinished();
                metrics.requestFinished(ctx, millis);
                AccessLog.write(ctx, millis);
                RequestIds.release();
            });
            cfg.routes.before(ctx -> draining.requestStarted());
            cfg.routes.before(RequestIds::assign);
            cfg.routes.before(securityHeaders::apply);
            cfg.routes.before(crossOrigin::apply);
            cfg.routes.get("/api/embed-policy", new EmbedPolicyRoute(config.embedOrigins(), config.remoteImages())::serve);
            cfg.routes.post("/api/images/fetch", remoteImages::handle);
            cfg.routes.get("/", page::serve);
            cfg.routes.get("/app/<path>", page::serve);
            cfg.routes.post("/api/images", this::upload);
            cfg.routes.get("/api/images/{id}", this::original);
            cfg.routes.get("/api/images/{id}/embedding", this::embedding);
            cfg.routes.post("/api/images/{id}/segment", ctx -> segments.handle(ctx, validId(ctx)));
            cfg.routes.get("/api/openapi.json", OpenApiDocument::serve);
            cfg.routes.get("/api/models", this::models);
            cfg.routes.get("/api/models/{modelId}/decoder", ctx -> decoderWeights.serve(ctx));
            cfg.routes.get("/health", this::health);
            cfg.routes.get("/metrics", metrics::serve);
            cfg.routes.get("/embed/{id}", embed::image);
            cfg.routes.get("/embed", embed::remoteImage);
            cfg.routes.get("/embed.js", page::serve);
            cfg.routes.get("/embed-example.html", page::serve);
            cfg.routes.get("/embed-example.js", page::serve);
            cfg.routes.post("/api/images/{id}/everything", everything::image);
            cfg.routes.get("/api/everything/jobs/{jobId}", everything::job);
            cfg.routes.delete("/api/everything/jobs/{jobId}", everything::cancel);
            cfg.routes.post("/api/everything", everything::batch);
            cfg.routes.post("/api/everything/coco", everything::coco);
            cfg.routes.post("/api/export/coco", exports::coco);
            cfg.routes.post("/api/export/yolo", exports::yolo);
            cfg.routes.post("/api/export/svg", exports::svg);
            cfg.routes.post("/api/export/masks", exports::masks);
            cfg.routes.post("/api/shares", ctx -> shares.create(ctx));
            cfg.routes.get("/api/shares/{id}", ctx -> shares.document(ctx));
            cfg.routes.delete("/api/shares/{id}", ctx -> shares.delete(ctx));
            cfg.routes.get("/s/{id}", ctx -> shares.page(ctx));
            cfg.routes.get("/s/{id}/preview.png", ctx -> shares.preview(ctx));
            cfg.routes.get("/s/{id}/delete", ctx -> shares.deletePage(ctx));
            cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.error(), e.getMessage()));
            cfg.routes.exception(MemoryBudget.BusyException.class, (e, ctx) -> {
                ApiException busy = busyMemory(ctx, e);
                error(ctx, busy.status(), busy.error(), busy.getMessage());
            });
            cfg.routes.exception(MemoryBudget.TooLargeException.class,
                    (e, ctx) -> error(ctx, 413, "payload_too_large", e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (StorageFull.causedBy(e)) {
                    LOG.warn("[{}] {} {}: the disk is full ({})", RequestIds.of(ctx), ctx.method(), ctx.path(), e.getMessage());
                    error(ctx, 507, "insufficient_storage", "the server's disk is full; nothing of this request "
                            + "was kept. Retry later");
                    return;
                }
                TransportFailure transport = TransportFailure.of(e);
                if (transport != null) {
                    LOG.info("[{}] {} {} from {}: {}", RequestIds.of(ctx), ctx.method(), ctx.path(), ctx.ip(),
                            transport.message());
                    ctx.header("Connection", "close");
                    error(ctx, transport.status(), transport.error(), transport.message());
                    return;
                }
                StoreOutage outage = StoreOutage.of(e);
                if (outage != null) {
                    LOG.warn("[{}] {} {}: {} is unreachable ({})", RequestIds.of(ctx), ctx.method(), ctx.path(),
                            outage.store(), outage.message());
                    ctx.header("Retry-After", Integer.toString(StoreOutage.RETRY_AFTER_SECONDS));
                    error(ctx, 503, "store_unavailable", outage.store() + " cannot be reached right now, so this "
                            + "request did not complete; retry in a few seconds");
                    return;
                }
                LOG.error("[{}] request {} {} failed", RequestIds.of(ctx), ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal", "the server failed: " + e.getMessage());
            });
        });
    }

    // POST /api/images: multipart field "image", or the raw bytes with an image/* content type.
    private void upload(Context ctx) throws Exception {
        long declared = ctx.contentLength();
        long expected = declared > 0 && declared <= config.maxUploadBytes() + MULTIPART_OVERHEAD ? declared
                : config.maxUploadBytes(); // unknown (chunked) or refused below anyway: the most it may hold
        // The body (and, for multipart, Jetty's copy of the part) is held in memory: reserve it before reading.
        try (MemoryBudget.Reservation body = memory.reserve(ctx.isMultipartFormData() ? 2 * expected : expected,
                "an upload body of " + expected + " bytes")) {
            answerUpload(ctx, uploadedBytes(ctx));
        } catch (MemoryBudget.BusyException e) {
            RefusedBody.discard(ctx);
            throw e;
        }
    }

    /** Adds an image's bytes (uploaded, or fetched by POST /api/images/fetch) and answers with its id. */
    private void answerUpload(Context ctx, byte[] bytes) throws Exception {
        if (draining.active()) {
            ctx.header("Retry-After", "5");
            throw new ApiException(503, "shutting_down", "this server is shutting down; retry (another replica "
                    + "will take the upload)");
        }
        ImageLibrary.Upload upload;
        try {
            upload = library.add(bytes);
        } catch (ImageRejectedException e) {
            throw switch (e.reason()) {
                case NOT_AN_IMAGE -> new ApiException(415, "unsupported_media_type", e.getMessage());
                case CORRUPT -> new ApiException(400, "corrupt_image", e.getMessage());
                case TOO_MANY_PIXELS -> new ApiException(413, "too_many_pixels", e.getMessage());
            };
        } catch (MemoryBudget.TooLargeException e) {
            throw new ApiException(413, "too_many_pixels", e.getMessage());
        } catch (MemoryBudget.BusyException e) {
            throw busyMemory(ctx, e);
        } catch (RejectedExecutionException e) {
            ctx.header("Retry-After", Long.toString(pool.retryAfterSeconds()));
            throw new ApiException(503, "busy", "the encoder queue is full (" + pool.workers() + " running, "
                    + pool.waiting() + " waiting); retry later");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", upload.id());
        body.put("width", upload.width());
        body.put("height", upload.height());
        body.put("model", upload.modelId());
        body.put("embedding", "/api/images/" + upload.id() + "/embedding?dtype=" + DEFAULT_EMBEDDING_DTYPE.wireName());
        body.put("cached", upload.alreadyEncoded());
        json(ctx, 200, body);
    }

    private byte[] uploadedBytes(Context ctx) throws IOException {
        long limit = config.maxUploadBytes();
        long declared = ctx.contentLength();
        if (ctx.isMultipartFormData()) {
            if (declared > limit + MULTIPART_OVERHEAD) {
                RefusedBody.discard(ctx);
                throw tooLarge(declared);
            }
            UploadedFile file;
            try {
                file = ctx.uploadedFile("image");
            } catch (Exception e) { // Jetty's parser throws ServletException / BadMessageException
                if (mentionsSizeLimit(e)) {
                    RefusedBody.discard(ctx); // the parser stopped mid-body: let the client finish sending
                    throw tooLarge(-1);
                }
                throw new ApiException(400, "bad_request", "the multipart body cannot be read: " + e.getMessage());
            }
            if (file == null) {
                throw new ApiException(400, "bad_request", "the multipart form has no field \"image\"");
            }
            try (InputStream in = file.content()) {
                byte[] bytes = readCapped(in, limit);
                if (bytes == null) {
                    throw tooLarge(-1);
                }
                return bytes;
            }
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            throw new ApiException(415, "unsupported_media_type", "send multipart/form-data with a field \"image\", "
                    + "or the image bytes with an image/* content type (got \"" + ctx.contentType() + "\")");
        }
        if (declared > limit) {
            RefusedBody.discard(ctx);
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = readCapped(in, limit);
            if (bytes == null) {
                RefusedBody.discard(ctx); // a chunked body that kept going past the limit
                throw tooLarge(-1);
            }
            return bytes;
        }
    }

    /** Whether Jetty refused a multipart part for its size (it says so only deep in the cause chain). */
    private static boolean mentionsSizeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("max file size") || message.contains("exceeds") || message.contains("too large")
                    || message.contains("max request size") || message.contains("exceeded")) {
                return true;
            }
        }
        return false;
    }

    /** The stream's bytes, or null when there are more than {@code limit}. */
    private byte[] readCapped(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            return null;
        }
        if (bytes.length == 0) {
            throw new ApiException(400, "bad_request", "the upload is empty");
        }
        return bytes;
    }

    /** Memory for the request stayed taken by others: a moment's wait fixes that. */
    private static ApiException busyMemory(Context ctx, MemoryBudget.BusyException e) {
        ctx.header("Retry-After", "2");
        return new ApiException(503, "busy", e.getMessage());
    }

    private ApiException tooLarge(long declared) {
        return new ApiException(413, "payload_too_large", "the body " + (declared > 0 ? "(" + declared + " bytes) " : "")
                + "is larger than the upload limit of " + config.maxUploadBytes() + " bytes");
    }

    // GET /api/images/{id}: the uploaded bytes as they came.
    private void original(Context ctx) throws IOException {
        String id = validId(ctx);
        String etag = "\"" + id + "\""; // the id is the bytes' sha256
        byte[] bytes = library.original(id);
        if (bytes == null) {
            throw unknown(id);
        }
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", IMMUTABLE);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        ctx.contentType(format == null ? "application/octet-stream" : format.contentType());
        sendUncompressed(ctx, bytes);
    }

    // GET /api/images/{id}/embedding?dtype=f32|f16|i8|u8: the container from clickseg.wire.EmbeddingCodec.
    private void embedding(Context ctx) throws Exception {
        String id = validId(ctx);
        String dtypeName = ctx.queryParam("dtype");
        Dtype dtype = dtypeName == null ? DEFAULT_EMBEDDING_DTYPE : Dtype.fromWireName(dtypeName);
        if (dtype == null) {
            throw new ApiException(400, "bad_dtype", "dtype must be f32, f16, i8 or u8, got \"" + dtypeName + "\"");
        }
        if (config.reencodeEmbeddings()) {
            reencodedEmbedding(ctx, id, dtype);
            return;
        }
        // The stored container of this dtype and its stored digest: a revalidation reads no blob at all.
        EmbeddingBlobs.Stored stored = library.storedEmbedding(id, dtype);
        if (stored == null) {
            throw unknown(id);
        }
        String etag = "\"" + stored.sha256() + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", IMMUTABLE);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        byte[] body = store.get(stored.key());
        if (body == null) { // evicted between the lookup and the read: make it again
            stored = library.storedEmbedding(id, dtype);
            body = stored == null ? null : store.get(stored.key());
            if (body == null) {
                throw unknown(id);
            }
        }
        ctx.contentType("application/octet-stream");
        sendUncompressed(ctx, body);
    }

    /** The path before stored dtypes: decode the f32 master, encode the dtype and hash it on every request. */
    private void reencodedEmbedding(Context ctx, String id, Dtype dtype) throws Exception {
        byte[] f32 = library.embedding(id);
        if (f32 == null) {
            throw unknown(id);
        }
        byte[] body = dtype == Dtype.F32 ? f32 : EmbeddingCodec.encode(EmbeddingCodec.decode(f32), dtype);
        String etag = "\"" + Sha256.hex(body) + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", IMMUTABLE);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/octet-stream");
        sendUncompressed(ctx, body);
    }

    /**
     * Images are compressed already, and deflate saves only about a tenth of an embedding container (see
     * EmbeddingDtypeBenchmark) for tens of milliseconds of server CPU per request: send both as they are.
     */
    private static void sendUncompressed(Context ctx, byte[] bytes) {
        ctx.disableCompression();
        ctx.header("Content-Length", Integer.toString(bytes.length));
        ctx.result(bytes);
    }

    // GET /api/models
    private void models(Context ctx) {
        ModelManifest m = library.manifest();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", m.id());
        model.put("name", m.name());
        model.put("source", m.source());
        model.put("embeddingShape", m.embeddingShape());
        model.put("longestSide", m.preprocessing().longestSide());
        model.put("pixelMean", m.preprocessing().pixelMean());
        model.put("pixelStd", m.preprocessing().pixelStd());
        model.put("embeddingDtype", DEFAULT_EMBEDDING_DTYPE.wireName());
        model.put("decoder", decoderWeights.advertisement());
        model.put("device", encoderDevice);
        model.put("default", true);
        json(ctx, 200, Map.of("models", List.of(model)));
    }

    // GET /health
    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", draining.active() ? "draining" : "ok");
        body.put("version", Version.current());
        body.put("role", config.role().name().toLowerCase(Locale.ROOT));
        body.put("model", library.manifest().id());
        body.put("device", encoderDevice);
        body.put("encoder", Map.of("threads", config.ortThreads(), "workers", pool.workers(), "running", pool.active(),
                "waiting", pool.waiting(), "queueLimit", config.encodeQueue(), "completed", pool.completed()));
        body.put("store", Map.of("bytes", store.size(), "budgetBytes", store.budgetBytes(),
                "pinnedBytes", store.pinnedBytes(), "pinnedBudgetBytes", config.pinnedBytes()));
        body.put("memory", Map.of("budgetBytes", memory.totalBytes(), "freeBytes", memory.availableBytes()));
        body.put("everything", everything.health());
        json(ctx, 200, body);
    }

    private static String validId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ImageLibrary.isValidId(id)) {
            throw new ApiException(400, "bad_id", "an image id is 64 lowercase hex digits (the sha256 of its bytes)");
        }
        return id;
    }

    private static ApiException unknown(String id) {
        return new ApiException(404, "not_found", "no image " + id + " is stored (never uploaded, or evicted)");
    }

    private void json(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(gson.toJson(body));
    }

    private void error(Context ctx, int status, String error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        json(ctx, status, body);
    }
}
