package clickseg.server;

import clickseg.server.weights.DecoderWeightsCache;
import clickseg.wire.DecoderWeightsCodec.Precision;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * GET /api/models/{modelId}/decoder?precision=f16|f32: the compact decoder weights file the browser runs
 * (clickseg.wire.DecoderWeightsCodec), built once at server start and cached on disk beside the model's
 * decoder ONNX file ({@link DecoderWeightsCache}), then held in memory with its sha256.
 *
 * <p>/api/models advertises each file at a URL that also names the first hex digits of its content hash
 * ({@code &v=...}). Such a URL can never name other bytes, so it is served {@code immutable}; a URL without
 * the current hash (hand-written, or from before the model changed) is served {@code no-cache}, so a browser
 * revalidates it with the strong ETag instead of keeping stale weights.
 */
public final class DecoderWeightsRoute {
    public static final Precision DEFAULT_PRECISION = Precision.F16;
    /** Hex digits of the sha256 in a URL: 64 bits, plenty to tell two weights files apart. */
    private static final int VERSION_DIGITS = 16;
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final String modelId;
    private final Map<Precision, WeightsFile> files;

    private record WeightsFile(byte[] bytes, String sha256) {
        String etag() {
            return "\"" + sha256 + "\"";
        }

        String version() {
            return sha256.substring(0, VERSION_DIGITS);
        }
    }

    private DecoderWeightsRoute(String modelId, Map<Precision, WeightsFile> files) {
        this.modelId = modelId;
        this.files = files;
    }

    /**
     * Builds (or reuses the cached) weights files of every precision for the model's decoder: done at server
     * start so no request waits for it.
     *
     * @param decoderOnnx the model's decoder graph, as the fetcher or a user manifest located it
     */
    public static DecoderWeightsRoute load(String modelId, Path decoderOnnx) {
        Map<Precision, WeightsFile> files = new EnumMap<>(Precision.class);
        for (Precision precision : Precision.values()) {
            try {
                byte[] bytes = Files.readAllBytes(DecoderWeightsCache.ensure(decoderOnnx, precision));
                files.put(precision, new WeightsFile(bytes, Sha256.hex(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the decoder weights built from " + decoderOnnx, e);
            }
        }
        return new DecoderWeightsRoute(modelId, files);
    }

    static String wireName(Precision precision) {
        return precision.name().toLowerCase(Locale.ROOT);
    }

    /** For /api/models: the cache-safe URL of each precision, and which one a client should take. */
    public Map<String, Object> advertisement() {
        Map<String, Object> urls = new LinkedHashMap<>();
        for (Map.Entry<Precision, WeightsFile> e : files.entrySet()) {
            urls.put(wireName(e.getKey()), url(e.getKey()));
        }
        Map<String, Object> decoder = new LinkedHashMap<>();
        decoder.put("precision", wireName(DEFAULT_PRECISION));
        decoder.put("url", url(DEFAULT_PRECISION));
        decoder.put("urls", urls);
        return decoder;
    }

    private String url(Precision precision) {
        return "/api/models/" + modelId + "/decoder?precision=" + wireName(precision) + "&v=" + files.get(precision).version();
    }

    public void serve(Context ctx) {
        String requestedModel = ctx.pathParam("modelId");
        if (!modelId.equals(requestedModel)) {
            throw new ApiException(404, "not_found", "this server has no model \"" + requestedModel + "\" (it serves \""
                    + modelId + "\")");
        }
        String precisionName = ctx.queryParam("precision");
        Precision precision = precisionName == null ? DEFAULT_PRECISION : precision(precisionName);
        if (precision == null) {
            throw new ApiException(400, "bad_precision", "precision must be f16 or f32, got \"" + precisionName + "\"");
        }
        WeightsFile file = files.get(precision);
        ctx.header("ETag", file.etag());
        ctx.header("Cache-Control", file.version().equals(ctx.queryParam("v")) ? IMMUTABLE : "no-cache");
        if (file.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/octet-stream");
        // f16 and f32 floats hardly deflate; spare the CPU, as for embeddings.
        ctx.disableCompression();
        ctx.header("Content-Length", Integer.toString(file.bytes().length));
        ctx.result(file.bytes());
    }

    private static Precision precision(String name) {
        for (Precision p : Precision.values()) {
            if (wireName(p).equals(name)) {
                return p;
            }
        }
        return null;
    }
}
