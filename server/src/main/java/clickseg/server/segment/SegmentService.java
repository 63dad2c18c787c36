package clickseg.server.segment;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.prompt.CoordinateTransform;
import clickseg.prompt.Prompt;
import clickseg.server.ApiException;
import clickseg.server.ImageLibrary;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Segments a stored image on the server with the same Java decoder the browser runs: the image's f32
 * embedding from the {@link ImageLibrary}, its {@link ImageContext} from a small cache, one decode on a
 * pooled decoder, and the chosen masks' logits kept in a {@link MaskResultCache} for later refinement.
 */
public final class SegmentService {
    /** Images whose decoder context stays in memory (about 10 MB each). */
    public static final int CONTEXT_CAPACITY = 8;
    /** Masks kept for refinement (256 KB of logits each). */
    public static final int RESULT_CAPACITY = 256;
    /** How long a result can be refined: long enough for a person to look and click again. */
    public static final long RESULT_TIME_TO_LIVE_NANOS = TimeUnit.MINUTES.toNanos(15);
    /** A decoder costs about 90 MB of heap; a click keeps one core busy, so more than cores never helps. */
    public static final int MAX_DECODERS = 4;
    /** How long a request waits for a free decoder before the server answers 503. */
    private static final long DECODER_WAIT_SECONDS = 30;

    private final ImageLibrary library;
    private final DecoderPool decoders;
    private final ImageContextCache contexts;
    private final MaskResultCache results;

    /**
     * One mask of an answer.
     *
     * @param id     result id to refine it with
     * @param index  the decoder's mask token: 0 single-mask, 1–3 multimask
     * @param logits (256, 256) low-resolution logits
     */
    public record ChosenMask(String id, int index, float iou, float stability, float[] logits) {
    }

    /** What one request produced: the masks, best first, and the image frame they are in. */
    public record Outcome(CoordinateTransform transform, List<ChosenMask> masks) {
    }

    public SegmentService(ImageLibrary library, DecoderPool decoders, ImageContextCache contexts,
                          MaskResultCache results) {
        this.library = library;
        this.decoders = decoders;
        this.contexts = contexts;
        this.results = results;
    }

    /**
     * The server's service with the default sizes: one decoder per core up to {@link #MAX_DECODERS}, built
     * only when that many requests decode at once. DecoderPoolBenchmark (benchmarks/) measured 2 decoders at 1.18x
     * the clicks per second of 1 (synchronising on one decoder) for 2 concurrent clients on a 2-core machine
     * that other jobs kept loaded (load average 12); not yet measured on idle cores.
     */
    public static SegmentService create(ImageLibrary library, DecoderWeights weights) {
        int decoders = Math.min(MAX_DECODERS, Runtime.getRuntime().availableProcessors());
        return new SegmentService(library, new DecoderPool(weights, decoders), new ImageContextCache(CONTEXT_CAPACITY),
                new MaskResultCache(RESULT_CAPACITY, RESULT_TIME_TO_LIVE_NANOS, System::nanoTime));
    }

    public DecoderPool decoders() {
        return decoders;
    }

    /**
     * @throws ApiException 404 for an unknown image, 400 for a prompt outside it or an unknown mask input,
     *                      503 when no decoder comes free in time
     */
    public Outcome segment(String imageId, SegmentRequest request)
            throws IOException, ImageLibrary.EncodingFailedException, InterruptedException {
        ImageContext context = contexts.getIfReady(imageId);
        if (context == null) {
            EmbeddingContainer embedding = loadEmbedding(imageId);
            // Refuse a bad prompt before paying for the preparation.
            request.checkInside(embedding.originalWidth(), embedding.originalHeight());
            context = contexts.get(imageId, () -> prepare(embedding));
        }
        CoordinateTransform transform = context.transform();
        request.checkInside(transform.originalWidth(), transform.originalHeight());
        float[] maskInput = null;
        if (request.maskInput() != null) {
            MaskResultCache.StoredMask stored = MaskResultCache.isWellFormedId(request.maskInput())
                    ? results.get(request.maskInput()) : null;
            if (stored == null || !stored.imageId().equals(imageId)) {
                throw new ApiException(400, "unknown_mask_input", "maskInput: no result " + request.maskInput()
                        + " of image " + imageId + " is kept (results expire after "
                        + TimeUnit.NANOSECONDS.toMinutes(results.timeToLiveNanos()) + " minutes); send the prompt "
                        + "without maskInput");
            }
            maskInput = stored.logits();
        }

        int[] chosen;
        float[][] logits;
        float[] iou;
        float[] stability;
        DecoderPool.Slot slot = acquire();
        try {
            DecoderResult result = slot.result();
            slot.decoder().decode(context, request.toPrompt(), maskInput, result);
            chosen = request.multimask() ? multimaskByIou(result) : new int[] {singleMask(request, result, transform)};
            logits = new float[chosen.length][];
            iou = new float[chosen.length];
            stability = new float[chosen.length];
            for (int k = 0; k < chosen.length; k++) { // copy out before the slot serves someone else
                logits[k] = new float[DecoderResult.SIZE * DecoderResult.SIZE];
                result.copyLogits(chosen[k], logits[k]);
                iou[k] = result.iou[chosen[k]];
                stability[k] = result.stability[chosen[k]];
            }
        } finally {
            decoders.release(slot);
        }
        List<ChosenMask> masks = new ArrayList<>(chosen.length);
        for (int k = 0; k < chosen.length; k++) {
            String id = results.put(imageId, logits[k]);
            masks.add(new ChosenMask(id, chosen[k], iou[k], stability[k], logits[k]));
        }
        return new Outcome(transform, masks);
    }

    /** SAM's single-mask choice, except that a lone click picks among masks 1–3 by the request's rule. */
    private static int singleMask(SegmentRequest request, DecoderResult result, CoordinateTransform transform) {
        if (!request.isFirstClick()) {
            return result.selected();
        }
        Prompt prompt = request.toPrompt();
        return request.pick().pick(result.lowResLogits, result.iou, result.stability,
                transform.toModelX(prompt.pointX(0)), transform.toModelY(prompt.pointY(0)), transform.resizedWidth(),
                transform.resizedHeight());
    }

    /** Masks 1–3 by predicted IoU, best first (ties keep token order). */
    static int[] multimaskByIou(DecoderResult result) {
        int[] order = {1, 2, 3};
        for (int i = 1; i < order.length; i++) { // insertion sort, descending
            int m = order[i];
            int j = i - 1;
            while (j >= 0 && result.iou[order[j]] < result.iou[m]) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = m;
        }
        return order;
    }

    private EmbeddingContainer loadEmbedding(String imageId) throws IOException, ImageLibrary.EncodingFailedException {
        byte[] bytes;
        try {
            bytes = library.embedding(imageId);
        } catch (java.util.concurrent.RejectedExecutionException e) { // evicted embedding, encoder queue full
            throw busy("the encoder queue is full");
        }
        if (bytes == null) {
            throw new ApiException(404, "not_found", "no image " + imageId + " is stored (never uploaded, or evicted)");
        }
        return EmbeddingCodec.decode(bytes);
    }

    private ImageContext prepare(EmbeddingContainer embedding) {
        DecoderPool.Slot slot;
        try {
            slot = acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a decoder", e);
        }
        try {
            return slot.decoder().prepare(embedding.data(), embedding.originalWidth(), embedding.originalHeight());
        } finally {
            decoders.release(slot);
        }
    }

    private DecoderPool.Slot acquire() throws InterruptedException {
        DecoderPool.Slot slot = decoders.acquire(DECODER_WAIT_SECONDS, TimeUnit.SECONDS);
        if (slot == null) {
            throw busy("all " + decoders.size() + " decoders stayed busy for " + DECODER_WAIT_SECONDS + " s");
        }
        return slot;
    }

    private static ApiException busy(String why) {
        return new ApiException(503, "busy", why + "; retry later");
    }
}
