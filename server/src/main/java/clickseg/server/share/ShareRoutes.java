package clickseg.server.share;

import clickseg.export.ObjectColours;
import clickseg.mask.RunLengthEncoding;
import clickseg.server.ApiException;
import clickseg.server.App;
import clickseg.server.ImageLibrary;
import clickseg.server.RefusedBody;
import clickseg.server.image.DecodedImage;
import clickseg.server.image.ImageDecoder;
import clickseg.server.image.ImageRejectedException;
import clickseg.server.store.BlobStore;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Share links over HTTP: POST/GET/DELETE /api/shares and the pages /s/{id}, /s/{id}/preview.png and
 * /s/{id}/delete. The database and the rendered previews live in the data folder under ".shares/", a name the
 * blob store never treats as one of its blobs.
 */
public final class ShareRoutes implements AutoCloseable {
    /** Largest POST /api/shares body: a counts string for any realistic mask fits many times over. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final ShareStore store;
    private final SharedImagePins pins;
    private final ImageLibrary library;
    private final ImageDecoder decoder;
    private final ShareCreationQuota rateLimit;
    private final SharePreviews previews;
    private final ShareTokens tokens = new ShareTokens();
    private final SharePages pages = new SharePages();
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private volatile String publicUrl;
    private volatile BlobStore blobs;
    private volatile long pinnedBudget = Long.MAX_VALUE;

    ShareRoutes(ShareStore store, SharedImagePins pins, ImageLibrary library, ImageDecoder decoder,
                ShareCreationQuota rateLimit, SharePreviews previews) {
        this.store = store;
        this.pins = pins;
        this.library = library;
        this.decoder = decoder;
        this.rateLimit = rateLimit;
        this.previews = previews;
    }

    /**
     * @param blobs       the store whose pinned bytes are counted
     * @param budgetBytes what pinned blobs may take (--pinned-bytes); a share that would pass it is refused 507
     */
    public ShareRoutes withPinnedBudget(BlobStore blobs, long budgetBytes) {
        this.blobs = blobs;
        this.pinnedBudget = budgetBytes;
        return this;
    }

    /** @param publicUrl the server's public base URL for absolute links in pages; null: the local address */
    public ShareRoutes withPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl;
        return this;
    }

    /**
     * Opens (and migrates) the share database under {@code dataDir}/.shares and pins the shared images in
     * {@code blobs} so eviction keeps them.
     */
    public static ShareRoutes open(Path dataDir, ImageLibrary library, BlobStore blobs, ImageDecoder decoder,
                                   int creationsPerMinute) throws ShareStore.ShareStoreException, IOException {
        Path folder = dataDir.resolve(".shares");
        return open(SqliteShareStore.open(folder.resolve("shares.db")), SharePreviews.inFolder(folder.resolve("previews")),
                library, blobs, decoder, creationsPerMinute);
    }

    /** Over a given store and previews (PostgreSQL and the shared bucket, for replicas). */
    public static ShareRoutes open(ShareStore store, SharePreviews previews, ImageLibrary library, BlobStore blobs,
                                   ImageDecoder decoder, int creationsPerMinute) throws ShareStore.ShareStoreException {
        SharedImagePins pins = new SharedImagePins();
        pins.resetTo(store.pinnedImageIds());
        blobs.pinWith(pins);
        // Replicas count creations in PostgreSQL: per-process counts would give a client the limit per replica.
        ShareCreationQuota quota = store instanceof PostgresShareStore database
                ? new PostgresCreationRateLimit(database.dataSource(), creationsPerMinute)
                : new CreationRateLimit(creationsPerMinute, System::currentTimeMillis);
        return new ShareRoutes(store, pins, library, decoder, quota, previews);
    }

    // POST /api/shares
    public void create(Context ctx) throws Exception {
        String client = ctx.ip();
        long wait = rateLimit.tryTake(client); // taken now, given back below unless the share is made
        if (wait > 0) {
            RefusedBody.discard(ctx);
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiException(429, "rate_limited", "too many shares from this address in the last minute; "
                    + "retry in " + wait + " s");
        }
        boolean created = false;
        try {
            createShare(ctx);
            created = true;
        } finally {
            if (!created) {
                rateLimit.refund(client);
            }
        }
    }

    private void createShare(Context ctx) throws Exception {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (!type.startsWith("application/json")) {
            // Also keeps other sites' plain HTML forms (which cannot send this type) from creating shares.
            RefusedBody.discard(ctx);
            throw new ApiException(415, "unsupported_media_type", "send the share as application/json (got \""
                    + ctx.contentType() + "\")");
        }
        ShareRequest request = ShareRequest.parse(RefusedBody.readAtMost(ctx, MAX_BODY_BYTES, "a share"));
        if (!request.modelId().equals(library.manifest().id())) {
            throw ShareRequest.bad("modelId: this server's model is \"" + library.manifest().id() + "\", not \""
                    + request.modelId() + "\"");
        }
        pins.hold(request.imageId());
        try {
            int[] size = imageSize(request.imageId());
            long pinned = blobs == null ? 0 : blobs.pinnedBytes(); // this image's blobs included: held above
            if (pinned > pinnedBudget) {
                throw new ApiException(507, "insufficient_storage", "shared images would take " + pinned
                        + " bytes, more than the " + pinnedBudget + " this server keeps for them (--pinned-bytes); "
                        + "delete old shares or ask the operator for more room");
            }
            int width = size[0];
            int height = size[1];
            checkMask(request.maskSize(), request.maskCounts(), "mask.", width, height);
            for (int i = 0; i < request.objects().size(); i++) {
                ShareObject object = request.objects().get(i);
                checkMask(object.maskSize(), object.maskCounts(), "objects[" + i + "].mask.", width, height);
            }
            request.checkInside(width, height);
            String id = tokens.newId();
            String secret = tokens.newSecret();
            Share share = new Share(id, request.imageId(), request.modelId(), request.title(),
                    request.promptsJson(), width, height, request.maskCounts(), System.currentTimeMillis(),
                    objectsJson(request.objects()));
            store.create(share, ShareTokens.hash(secret));
            refreshPins();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", id);
            answer.put("url", "/s/" + id);
            answer.put("deleteUrl", "/s/" + id + "/delete#" + secret);
            answer.put("secret", secret);
            ctx.header("Location", "/api/shares/" + id);
            json(ctx, 201, answer);
        } finally {
            pins.release(request.imageId());
        }
    }

    // GET /api/shares/{id}
    public void document(Context ctx) throws Exception {
        Share share = existing(ctx);
        ctx.header("Cache-Control", "no-cache"); // a deleted share must not live on in caches
        json(ctx, 200, documentOf(share));
    }

    // DELETE /api/shares/{id} with X-Delete-Secret
    public void delete(Context ctx) throws Exception {
        String id = validId(ctx);
        String secret = ctx.header("X-Delete-Secret");
        if (secret == null || secret.isEmpty()) {
            throw new ApiException(403, "wrong_secret", "send the share's delete secret in the X-Delete-Secret header");
        }
        switch (store.delete(id, ShareTokens.hash(secret))) {
            case NOT_FOUND -> throw notFound(id);
            case WRONG_SECRET -> throw new ApiException(403, "wrong_secret", "the delete secret does not match; "
                    + "nothing was deleted");
            case DELETED -> {
                previews.delete(id);
                refreshPins();
                ctx.status(204);
            }
        }
    }

    // GET /s/{id}
    public void page(Context ctx) throws Exception {
        Share share = existingForPage(ctx);
        if (share == null) {
            return;
        }
        int[] preview = previewSize(share.imageWidth(), share.imageHeight());
        html(ctx, 200, pages.sharePage(share, origin(ctx), preview[0], preview[1]));
    }

    // GET /s/{id}/delete
    public void deletePage(Context ctx) throws Exception {
        Share share = existingForPage(ctx);
        if (share == null) {
            return;
        }
        ctx.header("Referrer-Policy", "no-referrer");
        html(ctx, 200, pages.deletePage(share));
    }

    // GET /s/{id}/preview.png
    public void preview(Context ctx) throws Exception {
        Share share = existing(ctx);
        byte[] png = previews.get(share.id());
        if (png == null) {
            png = renderPreview(share);
            previews.put(share.id(), png);
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("image/png");
        ctx.result(png);
    }

    @Override
    public void close() throws ShareStore.ShareStoreException {
        store.close();
    }

    // ---- pieces --------------------------------------------------------------------------------

    /** The objects as stored: from the checked values, the size left out (it is the image's); null for none. */
    private String objectsJson(List<ShareObject> objects) {
        if (objects.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> stored = new ArrayList<>();
        for (ShareObject object : objects) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", object.id());
            one.put("label", object.label());
            one.put("prompts", JsonParser.parseString(object.promptsJson()));
            one.put("mask", Map.of("counts", object.maskCounts()));
            stored.add(one);
        }
        return gson.toJson(stored);
    }

    /**
     * The share's objects for readers: the stored list, or for a share made before objects existed its one
     * object (id 1, no label) from the prompts and mask columns. Each mask carries the image's size.
     */
    static List<StoredObject> objectsOf(Share share) {
        List<StoredObject> objects = new ArrayList<>();
        if (share.objectsJson() == null) {
            objects.add(new StoredObject(1, "", JsonParser.parseString(share.promptsJson()), share.maskCounts()));
            return objects;
        }
        for (com.google.gson.JsonElement element : JsonParser.parseString(share.objectsJson()).getAsJsonArray()) {
            com.google.gson.JsonObject object = element.getAsJsonObject();
            objects.add(new StoredObject(object.get("id").getAsInt(), object.get("label").getAsString(),
                    object.get("prompts"), object.getAsJsonObject("mask").get("counts").getAsString()));
        }
        return objects;
    }

    /** One object of a stored share. */
    record StoredObject(int id, String label, com.google.gson.JsonElement prompts, String maskCounts) {
    }

    private Map<String, Object> documentOf(Share share) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", share.id());
        body.put("imageId", share.imageId());
        body.put("modelId", share.modelId());
        body.put("title", share.title());
        body.put("prompts", JsonParser.parseString(share.promptsJson()));
        body.put("mask", Map.of("size", List.of(share.imageHeight(), share.imageWidth()), "counts", share.maskCounts()));
        List<Map<String, Object>> objects = new ArrayList<>();
        for (StoredObject object : objectsOf(share)) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", object.id());
            one.put("label", object.label());
            one.put("prompts", object.prompts());
            one.put("mask", Map.of("size", List.of(share.imageHeight(), share.imageWidth()), "counts",
                    object.maskCounts()));
            objects.add(one);
        }
        body.put("objects", objects);
        body.put("createdAt", Instant.ofEpochMilli(share.createdAt()).toString());
        body.put("imageWidth", share.imageWidth());
        body.put("imageHeight", share.imageHeight());
        body.put("image", "/api/images/" + share.imageId());
        body.put("embedding", "/api/images/" + share.imageId() + "/embedding?dtype="
                + App.DEFAULT_EMBEDDING_DTYPE.wireName());
        body.put("preview", "/s/" + share.id() + "/preview.png");
        return body;
    }

    /** The image's {width, height} from its stored embedding's metadata (encoding again if it was evicted). */
    private int[] imageSize(String imageId) throws Exception {
        // keep first: from here eviction (on any replica) leaves the image alone until the share pins it for good
        int[] size = library.keep(imageId) ? library.size(imageId) : null;
        if (size == null) {
            throw new ApiException(404, "not_found", "imageId: no image " + imageId
                    + " is stored (never uploaded, or evicted); upload it first");
        }
        return size;
    }

    /** The RLE must be well-formed and cover exactly the image, and not be empty (size may be left out: null). */
    private static void checkMask(int[] size, String counts, String field, int width, int height) {
        if (size != null && (size[0] != height || size[1] != width)) {
            throw ShareRequest.bad(field + "size: [" + size[0] + ", " + size[1] + "] is not the image's [height, width] ["
                    + height + ", " + width + "]");
        }
        int[] runs;
        try {
            runs = RunLengthEncoding.decodeCounts(counts);
        } catch (RuntimeException e) {
            throw ShareRequest.bad(field + "counts: not a COCO compressed RLE string (" + e.getMessage() + ")");
        }
        long total = 0;
        long inside = 0;
        for (int i = 0; i < runs.length; i++) {
            if (runs[i] < 0 || (runs[i] == 0 && i > 0)) {
                throw ShareRequest.bad(field + "counts: run " + i + " has length " + runs[i]);
            }
            total += runs[i];
            if (i % 2 == 1) {
                inside += runs[i];
            }
        }
        if (total != (long) width * height) {
            throw ShareRequest.bad(field + "counts: the runs cover " + total + " pixels, the image has " + width + " x "
                    + height + " = " + (long) width * height);
        }
        if (inside == 0) {
            throw ShareRequest.bad(field + "counts: the mask is empty; share a mask with at least one pixel");
        }
    }

    private byte[] renderPreview(Share share) throws Exception {
        byte[] original = library.original(share.imageId());
        if (original == null) { // pinned, so only a store emptied by hand gets here
            throw new ApiException(404, "not_found", "the shared image is no longer stored");
        }
        DecodedImage image;
        try {
            image = decoder.decode(original);
        } catch (ImageRejectedException e) {
            throw new IllegalStateException("the stored image " + share.imageId() + " no longer decodes", e);
        }
        if (share.objectsJson() == null) {
            return SharePreview.render(image, share.maskCounts());
        }
        List<StoredObject> objects = objectsOf(share);
        List<String> counts = new ArrayList<>();
        int[] colours = new int[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            counts.add(objects.get(i).maskCounts());
            colours[i] = ObjectColours.forIndex(objects.get(i).id() - 1); // the page's colour of this object
        }
        return SharePreview.render(image, counts, colours);
    }

    static int[] previewSize(int width, int height) {
        double shrink = Math.min(1.0, (double) SharePreview.LONGEST_SIDE / Math.max(width, height));
        return new int[] {Math.max(1, (int) Math.round(width * shrink)), Math.max(1, (int) Math.round(height * shrink))};
    }

    /** Re-reads the pinned images; serialised so that an older read never overwrites a newer one. */
    private synchronized void refreshPins() throws ShareStore.ShareStoreException {
        pins.resetTo(store.pinnedImageIds());
    }

    private Share existing(Context ctx) throws ShareStore.ShareStoreException {
        String id = validId(ctx);
        Share share = store.find(id);
        if (share == null) {
            throw notFound(id);
        }
        return share;
    }

    /** The share for a page, or null after answering with an HTML page that says what is wrong. */
    private Share existingForPage(Context ctx) throws ShareStore.ShareStoreException {
        String id = ctx.pathParam("id");
        if (!ShareTokens.isWellFormedId(id)) {
            html(ctx, 400, pages.gonePage("This address does not name a share: a share id is 22 letters, digits, "
                    + "'-' or '_'. Check that the link was copied whole."));
            return null;
        }
        Share share = store.find(id);
        if (share == null) {
            html(ctx, 404, pages.gonePage("It was deleted by its author, or the link is wrong."));
        }
        return share;
    }

    private static String validId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ShareTokens.isWellFormedId(id)) {
            throw new ApiException(400, "bad_id", "a share id is 22 characters of A-Z, a-z, 0-9, '-' and '_'");
        }
        return id;
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "not_found", "no share " + id + " exists (deleted, or never created)");
    }

    /**
     * The absolute base Open Graph wants: --public-url when configured, else the address and port the connection
     * arrived on. Never the Host header: a cache in front of the server that does not key on Host would store
     * an attacker's host name in the page and serve it to everyone.
     */
    private String origin(Context ctx) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String local = ctx.req().getLocalAddr();
        String host = local.contains(":") ? "[" + local + "]" : local;
        return ctx.scheme() + "://" + host + ":" + ctx.req().getLocalPort();
    }

    private void json(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(gson.toJson(body));
    }

    private static void html(Context ctx, int status, String page) {
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(page);
    }

}
