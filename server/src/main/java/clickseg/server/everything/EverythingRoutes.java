package clickseg.server.everything;

import clickseg.everything.EverythingParameters;
import clickseg.everything.GeneratedMask;
import clickseg.server.ApiException;
import clickseg.server.ImageLibrary;
import clickseg.server.DecoderTimeBudget;
import clickseg.server.JsonBody;
import clickseg.server.RefusedBody;
import clickseg.server.image.ImageFormat;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The "segment everything" routes:
 * <ul>
 * <li>POST /api/images/{id}/everything — body: optional parameters (see {@link EverythingRequest}); answer:
 *     200 with every mask as COCO RLE with bbox, area, predicted IoU and stability score, largest first, when
 *     cached; else 202 with a job (Location: its URL) to follow;</li>
 * <li>GET /api/everything/jobs/{jobId} — the job: status, queue position, progress, the masks kept so far,
 *     and once done the result (the 200 answer above); DELETE on it cancels it;</li>
 * <li>POST /api/everything — body: {"images": [id | {"id", "fileName"}, ...], parameters...}; answer: the
 *     same per image, in request order (synchronous: annotation tools wait for it; each image is a job and
 *     joins or is joined like any other);</li>
 * <li>POST /api/everything/coco — same body; answer: one COCO annotation file of all of them.</li>
 * </ul>
 * Results are cached per (image, parameters); a full job queue answers 503 with Retry-After. The client that
 * starts a job is charged its decoder time when it ends; joining a job, or a cached answer, costs nothing.
 */
public final class EverythingRoutes {
    private static final Set<String> BATCH_FIELDS = Set.of("images");

    private final EverythingService service;
    private final ImageLibrary library;
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    private final boolean largeJobs;
    private final DecoderTimeBudget budget;

    public EverythingRoutes(EverythingService service, ImageLibrary library) {
        this(service, library, false, new DecoderTimeBudget(1_000_000, System::nanoTime));
    }

    /**
     * @param largeJobs allow jobs past {@link EverythingRequest#overCaps the caps} (the operator's choice)
     * @param budget    decoder time per client address, shared with segment requests
     */
    public EverythingRoutes(EverythingService service, ImageLibrary library, boolean largeJobs, DecoderTimeBudget budget) {
        this.service = service;
        this.library = library;
        this.largeJobs = largeJobs;
        this.budget = budget;
    }

    // POST /api/images/{id}/everything
    public void image(Context ctx) throws Exception {
        String id = validId(ctx.pathParam("id"));
        EverythingParameters parameters = parameters(EverythingRequest.body(jsonText(ctx)), Set.of());
        requireStored(id);
        EverythingResult hit = service.cached(id, parameters);
        if (hit != null) {
            json(ctx, 200, describe(hit, true));
            return;
        }
        EverythingJob job = admit(ctx, id, parameters).job();
        ctx.header("Location", jobUrl(job));
        ctx.header("Cache-Control", "no-store");
        json(ctx, 202, describe(job));
    }

    // GET /api/everything/jobs/{jobId}
    public void job(Context ctx) {
        EverythingJob job = findJob(ctx);
        ctx.header("Cache-Control", "no-store");
        json(ctx, 200, describe(job));
    }

    // DELETE /api/everything/jobs/{jobId}: whoever holds the (unguessable) id may cancel; finished jobs stay as they are
    public void cancel(Context ctx) {
        EverythingJob job = findJob(ctx);
        service.cancel(job, "deleted", "the job was cancelled by a DELETE on it");
        ctx.header("Cache-Control", "no-store");
        json(ctx, 200, describe(job));
    }

    // POST /api/everything
    public void batch(Context ctx) throws Exception {
        JsonObject body = EverythingRequest.body(jsonText(ctx));
        EverythingParameters parameters = parameters(body, BATCH_FIELDS);
        List<String[]> images = images(body);
        List<Object> results = new ArrayList<>();
        for (String[] image : images) {
            boolean cached = service.cached(image[0], parameters) != null;
            results.add(describe(run(ctx, image[0], parameters), cached));
        }
        json(ctx, 200, Map.of("results", results));
    }

    // POST /api/everything/coco
    public void coco(Context ctx) throws Exception {
        JsonObject body = EverythingRequest.body(jsonText(ctx));
        EverythingParameters parameters = parameters(body, BATCH_FIELDS);
        List<String[]> images = images(body);
        List<CocoExport.Entry> entries = new ArrayList<>();
        for (String[] image : images) {
            entries.add(new CocoExport.Entry(image[1], run(ctx, image[0], parameters)));
        }
        ctx.header("Content-Disposition", "attachment; filename=\"clickseg-everything-coco.json\"");
        json(ctx, 200, CocoExport.of(entries));
    }

    private String jsonText(Context ctx) {
        long wait = budget.secondsUntilAvailable(ctx.ip());
        if (wait > 0) {
            RefusedBody.discard(ctx);
            ctx.header("Retry-After", Long.toString(wait));
            budget.requireAvailable(ctx.ip());
        }
        return new String(JsonBody.read(ctx, JsonBody.DEFAULT_MAX_BYTES, "an everything request"),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private EverythingParameters parameters(JsonObject body, Set<String> otherFields) {
        EverythingParameters parameters = EverythingRequest.parameters(body, otherFields,
                service.config().maxPointsPerSide(), service.cropsSupported());
        String over = largeJobs ? null : EverythingRequest.overCaps(parameters);
        if (over != null) {
            throw new ApiException(400, "bad_parameter", over);
        }
        return parameters;
    }

    /** [id, fileName] per requested image, all checked before any work starts. */
    private List<String[]> images(JsonObject body) throws IOException {
        JsonElement list = body.get("images");
        if (list == null || !list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
            throw new ApiException(400, "bad_parameter", "\"images\" must be a non-empty array of image ids "
                    + "(or of {\"id\", \"fileName\"} objects)");
        }
        JsonArray array = list.getAsJsonArray();
        int max = service.config().maxBatchImages();
        if (array.size() > max) {
            throw new ApiException(400, "bad_parameter", "at most " + max + " images per request, got " + array.size());
        }
        List<String[]> images = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonElement e : array) {
            String id;
            String fileName = null;
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                id = e.getAsString();
            } else if (e.isJsonObject() && e.getAsJsonObject().has("id") && e.getAsJsonObject().get("id").isJsonPrimitive()) {
                JsonObject o = e.getAsJsonObject();
                id = o.get("id").getAsString();
                JsonElement name = o.get("fileName");
                if (name != null && !(name.isJsonPrimitive() && name.getAsJsonPrimitive().isString())) {
                    throw new ApiException(400, "bad_parameter", "fileName must be a string, got " + name);
                }
                fileName = name == null ? null : name.getAsString();
            } else {
                throw new ApiException(400, "bad_parameter", "each image is an id string or {\"id\", \"fileName\"}, got " + e);
            }
            validId(id);
            if (!seen.add(id)) {
                throw new ApiException(400, "bad_parameter", "image " + id + " is listed twice");
            }
            byte[] original = requireStored(id);
            if (fileName == null) {
                ImageFormat format = ImageFormat.sniff(original);
                fileName = id + "." + (format == null ? "bin" : format == ImageFormat.JPEG ? "jpg"
                        : format.name().toLowerCase(java.util.Locale.ROOT));
            }
            images.add(new String[] {id, fileName});
        }
        return images;
    }

    /** The job for (image, parameters), joined or new; the client that creates it is charged its decoder time. */
    private EverythingJobs.Admission admit(Context ctx, String id, EverythingParameters parameters) {
        String client = ctx.ip();
        try {
            return service.submit(id, parameters, nanos -> budget.charge(client, nanos));
        } catch (RejectedExecutionException e) {
            ctx.header("Retry-After", Long.toString(service.retryAfterSeconds()));
            throw new ApiException(503, "busy", "the everything queue is full (" + service.waiting()
                    + " images waiting); retry later");
        }
    }

    /** Waits for the result (the batch routes): cached, or a job's, joined or new. */
    private EverythingResult run(Context ctx, String id, EverythingParameters parameters) throws Exception {
        EverythingResult hit = service.cached(id, parameters);
        if (hit != null) {
            return hit;
        }
        EverythingJob job = admit(ctx, id, parameters).job();
        try {
            return job.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "busy", "interrupted while waiting for the result");
        } catch (CancellationException e) {
            if ("image_evicted".equals(job.reason())) {
                throw new ApiException(404, "not_found", job.message());
            }
            throw new ApiException(409, "cancelled", "the job for image " + id + " was cancelled: " + job.message());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RejectedExecutionException) {
                ctx.header("Retry-After", Long.toString(service.retryAfterSeconds()));
                throw new ApiException(503, "busy", "the encoder queue is full (crops need encodings); retry later");
            }
            throw cause instanceof Exception ex ? ex : e;
        }
    }

    /** For GET /health: jobs running and waiting now. */
    public Map<String, Object> health() {
        return Map.of("running", service.running(), "waiting", service.waiting(),
                "queueLimit", service.config().queue(), "jobsAtOnce", service.config().jobs());
    }

    private static String jobUrl(EverythingJob job) {
        return "/api/everything/jobs/" + job.id();
    }

    private EverythingJob findJob(Context ctx) {
        String jobId = ctx.pathParam("jobId");
        if (!EverythingService.isValidJobId(jobId)) {
            throw new ApiException(400, "bad_id", "a job id is 22 characters of base64url (A-Z a-z 0-9 - _), as in the "
                    + "Location of a 202 answer to POST /api/images/{id}/everything");
        }
        EverythingJob job = service.job(jobId);
        if (job == null) {
            throw new ApiException(404, "not_found", "no job " + jobId + " (never created, or finished more than "
                    + EverythingJobs.KEEP_FINISHED_NANOS / 60_000_000_000L + " minutes ago)");
        }
        return job;
    }

    /** A job as clients see it now: the 202 answer and the GET on the job. */
    private Map<String, Object> describe(EverythingJob job) {
        EverythingJob.Snapshot s = service.snapshot(job);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", job.id());
        body.put("url", jobUrl(job));
        body.put("image", job.imageId());
        body.put("status", s.status().wireName());
        if (s.status() == EverythingJob.Status.QUEUED) {
            body.put("position", s.position());
        }
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("pointsDone", s.pointsDone());
        progress.put("pointsPlanned", s.pointsPlanned());
        progress.put("levelsPlanned", s.levelsPlanned());
        progress.put("levels", job.parameters().gridLevels());
        progress.put("fraction", s.fraction());
        progress.put("percent", (int) Math.floor(s.fraction() * 100));
        progress.put("masks", s.masks().size());
        body.put("progress", progress);
        if (s.reason() != null) {
            body.put("reason", s.reason());
            body.put("message", s.message());
        }
        if (s.result() != null) {
            body.put("result", describe(s.result(), false));
        } else if (s.status() == EverythingJob.Status.RUNNING) {
            if (s.width() > 0) { // once the embedding is read
                body.put("width", s.width());
                body.put("height", s.height());
            }
            body.put("masks", masks(s.masks(), s.width(), s.height())); // kept so far
        }
        return body;
    }

    private Map<String, Object> describe(EverythingResult r, boolean cached) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("image", r.imageId());
        body.put("width", r.width());
        body.put("height", r.height());
        body.put("parameters", EverythingRequest.describe(r.parameters()));
        body.put("cached", cached);
        body.put("count", r.masks().size());
        body.put("masks", masks(r.masks(), r.width(), r.height()));
        EverythingResult.Timing t = r.timing();
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("seconds", t.seconds());
        timing.put("decoderSeconds", t.decoderSeconds());
        timing.put("collectSeconds", t.collectSeconds());
        timing.put("serialSeconds", t.serialSeconds());
        timing.put("cropEncodeSeconds", t.cropEncodeSeconds());
        timing.put("decoderShare", t.decoderShare());
        timing.put("decoderCpuSeconds", t.decoderCpuSeconds());
        timing.put("points", t.points());
        timing.put("candidates", t.candidates());
        timing.put("threads", t.threads());
        body.put("timing", timing);
        return body;
    }

    /** Masks as COCO RLE with their scores, in the frame of the whole image. */
    private static List<Object> masks(List<GeneratedMask> found, int width, int height) {
        List<Object> masks = new ArrayList<>(found.size());
        for (GeneratedMask m : found) {
            Map<String, Object> mask = new LinkedHashMap<>();
            mask.put("segmentation", CocoExport.segmentation(m, width, height));
            mask.put("bbox", m.box());
            mask.put("area", m.area());
            mask.put("predicted_iou", m.predictedIou());
            mask.put("stability_score", m.stability());
            mask.put("point_coords", new float[][] {{m.pointX(), m.pointY()}});
            mask.put("crop_box", new int[] {m.crop().x0(), m.crop().y0(), m.crop().width(), m.crop().height()});
            masks.add(mask);
        }
        return masks;
    }

    private byte[] requireStored(String id) throws IOException {
        byte[] original = library.original(id);
        if (original == null) {
            throw new ApiException(404, "not_found", "no image " + id + " is stored (never uploaded, or evicted)");
        }
        return original;
    }

    private static String validId(String id) {
        if (!ImageLibrary.isValidId(id)) {
            throw new ApiException(400, "bad_id", "an image id is 64 lowercase hex digits (the sha256 of its bytes)");
        }
        return id;
    }

    private void json(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(gson.toJson(body));
    }
}
