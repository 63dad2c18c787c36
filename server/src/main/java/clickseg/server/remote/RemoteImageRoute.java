package clickseg.server.remote;

import clickseg.server.ApiException;
import clickseg.server.JsonBody;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * POST /api/images/fetch with JSON {@code {"url": "https://…/photo.jpg"}}: the server fetches the image and
 * answers exactly as POST /api/images would for its bytes. Off unless the server was started with
 * {@code --remote-images}; see {@link RemoteImageFetcher} for what it refuses when on.
 */
public final class RemoteImageRoute {
    /** A JSON body with one URL needs little room; anything bigger is not a request this route understands. */
    private static final int MAX_REQUEST_BYTES = 16 << 10;
    /**
     * Fetches in flight at once. Each may hold up to the upload limit in memory and a connection for up to the
     * fetch's time limit, and a client spends nothing to ask for them, so they are few; past this, 503.
     */
    static final int CONCURRENT_FETCHES = 4;
    private static final String RETRY_AFTER_SECONDS = "5";

    /** The upload path the fetched bytes go through (POST /api/images after its body is read). */
    @FunctionalInterface
    public interface ImageUpload {
        void add(Context ctx, byte[] bytes) throws Exception;
    }

    private final boolean enabled;
    private final RemoteImageFetcher fetcher;
    private final ImageUpload upload;
    private final Semaphore inFlight = new Semaphore(CONCURRENT_FETCHES);

    public RemoteImageRoute(boolean enabled, RemoteImageFetcher fetcher, ImageUpload upload) {
        this.enabled = enabled;
        this.fetcher = fetcher;
        this.upload = upload;
    }

    public void handle(Context ctx) throws Exception {
        if (!enabled) {
            throw new ApiException(403, "remote_images_disabled", "this server does not fetch images by URL; "
                    + "upload the image instead, or start the server with --remote-images (CLICKSEG_REMOTE_IMAGES=true)");
        }
        String url = requestedUrl(ctx);
        if (!inFlight.tryAcquire()) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            throw new ApiException(503, "busy", CONCURRENT_FETCHES + " remote images are being fetched already; retry later");
        }
        byte[] bytes;
        try {
            bytes = fetcher.fetch(url);
        } catch (RemoteFetchException e) {
            throw switch (e.kind()) {
                case REFUSED -> new ApiException(400, "url_refused", e.getMessage());
                case TOO_LARGE -> new ApiException(413, "payload_too_large", e.getMessage());
                case FAILED -> new ApiException(502, "remote_fetch_failed", e.getMessage());
            };
        } finally {
            inFlight.release();
        }
        if (bytes.length == 0) {
            throw new ApiException(502, "remote_fetch_failed", "the remote server answered with an empty body");
        }
        upload.add(ctx, bytes);
    }

    private static String requestedUrl(Context ctx) {
        byte[] body = JsonBody.read(ctx, MAX_REQUEST_BYTES, "a fetch request"); // counted while read
        JsonElement json;
        try {
            json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw badRequest("the body is not JSON: " + e.getMessage());
        }
        if (!json.isJsonObject()) {
            throw badRequest("the body must be a JSON object {\"url\": \"https://…\"}");
        }
        JsonObject object = json.getAsJsonObject();
        JsonElement url = object.get("url");
        if (url == null || !url.isJsonPrimitive() || !url.getAsJsonPrimitive().isString() || url.getAsString().isBlank()) {
            throw badRequest("the body needs a string field \"url\"");
        }
        return url.getAsString();
    }

    private static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }
}
