package clickseg.web.worker;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.DecoderWeights;
import clickseg.decoder.ImageContext;
import clickseg.decoder.ImageSide;
import clickseg.decoder.JavaImageSide;
import clickseg.decoder.MaskDecoder;
import clickseg.prompt.Prompt;
import clickseg.wire.DecoderWeightsCodec;
import clickseg.wire.EmbeddingCodec;
import clickseg.wire.EmbeddingContainer;
import clickseg.web.simd.SimdImageSide;
import java.util.function.DoubleSupplier;
import org.teavm.classlib.PlatformDetector;

/**
 * The real decoder in a worker: shared's {@link MaskDecoder}, built once from the weights file;
 * each embedding becomes an {@link ImageContext} once (the prompt-independent work), and each
 * decode reuses the decoder's scratch memory and one {@link DecoderResult}.
 */
public final class MaskDecoderBackend {
    private static final int MASKS = DecoderResult.MASKS;
    private final DecoderResult result = new DecoderResult();
    private final boolean simdKernels;
    private final DoubleSupplier clock;
    private final TimedImageSide[] imageSide = new TimedImageSide[1]; // the decoder's, once weights are loaded
    private MaskDecoder decoder;
    private ImageContext image;

    public MaskDecoderBackend() {
        this(false, () -> 0);
    }

    /**
     * @param simdKernels the image side on the WebAssembly SIMD kernels (only in the WebAssembly GC
     *                    build, and only once worker.js has loaded them), else the Java kernels
     * @param clock       milliseconds, for {@link #imageSideMillis()}
     */
    public MaskDecoderBackend(boolean simdKernels, DoubleSupplier clock) {
        this.simdKernels = simdKernels;
        this.clock = clock;
    }

    /** The decoder's weights file (clickseg.wire.DecoderWeightsCodec format); before the first embedding. */
    public void loadWeights(byte[] weightsFile) {
        DecoderWeights weights = DecoderWeightsCodec.decode(weightsFile);
        // PlatformDetector is a compile-time constant: the JavaScript build never links the SIMD imports
        ImageSide.Factory kernels = simdKernels && PlatformDetector.isWebAssemblyGC()
                ? SimdImageSide.FACTORY : JavaImageSide.SCALAR;
        decoder = MaskDecoder.withImageSide(weights, TimedImageSide.wrapping(kernels, clock, imageSide));
        image = null;
    }

    /** One image's embedding container (clickseg.wire.EmbeddingCodec): the per-image work is done here, once. */
    public void loadEmbedding(byte[] container) {
        if (decoder == null) {
            throw new IllegalStateException("the decoder weights must be loaded before an embedding");
        }
        EmbeddingContainer embedding = EmbeddingCodec.decode(container);
        image = null; // a failed prepare must not leave the previous image answering for this one
        image = decoder.prepare(embedding.data(), embedding.originalWidth(), embedding.originalHeight());
    }

    /**
     * Decodes one prompt for the last loaded embedding.
     *
     * @param points          (n, 2) x, y in original image pixels
     * @param labels          (n) 1 foreground, 0 background
     * @param box             (4) x0, y0, x1, y1 in original pixels, or null
     * @param maskInput       (256, 256) previous low-res logits to refine, or null
     * @param lowResLogitsOut (4, 256, 256) written
     * @param iouOut          (4) predicted IoU per mask, written
     * @param stabilityOut    (4) stability score per mask, written
     * @return the mask the ONNX single-mask export would pick
     */
    public int decode(float[] points, int[] labels, float[] box, float[] maskInput,
                      float[] lowResLogitsOut, float[] iouOut, float[] stabilityOut) {
        if (image == null) {
            throw new IllegalStateException("no image embedding is loaded");
        }
        imageSide[0].reset();
        decoder.decode(image, toPrompt(points, labels, box), maskInput, result);
        System.arraycopy(result.lowResLogits, 0, lowResLogitsOut, 0, result.lowResLogits.length);
        System.arraycopy(result.iou, 0, iouOut, 0, MASKS);
        System.arraycopy(result.stability, 0, stabilityOut, 0, MASKS);
        return result.selected();
    }

    /**
     * First phase of this worker's row stripe [rowStart, rowEnd) of one decode shared with other
     * workers (see {@link MaskDecoder#beginStripe}): returns the partials to post to the others.
     */
    public float[] beginStripe(float[] points, int[] labels, float[] box, float[] maskInput, int rowStart, int rowEnd) {
        if (image == null) {
            throw new IllegalStateException("no image embedding is loaded");
        }
        imageSide[0].reset();
        return decoder.beginStripe(image, toPrompt(points, labels, box), maskInput, rowStart, rowEnd);
    }

    /**
     * Merges every stripe's partials (in stripe order) and runs on; null when this stripe's
     * rows of {@link #stripeResult()} are done.
     */
    public float[] continueStripe(float[][] stripePartials) {
        return decoder.continueStripe(stripePartials, result);
    }

    /** After a stripe is done: its IoUs, selected mask and its logit rows (the rest is stale). */
    public DecoderResult stripeResult() {
        return result;
    }

    private static Prompt toPrompt(float[] points, int[] labels, float[] box) {
        Prompt prompt = Prompt.points(points, labels);
        if (box != null) {
            prompt = prompt.withBox(box[0], box[1], box[2], box[3]);
        }
        return prompt;
    }

    /** Milliseconds the last decode (or this worker's stripe of it) spent in each image-side operation. */
    public double[] imageSideMillis() {
        return imageSide[0].millis();
    }

    /** Names of {@link #imageSideMillis()}'s entries. */
    public static String[] imageSideOperations() {
        return TimedImageSide.OPERATIONS.clone();
    }
}
