package clickseg.bench.jvm;

import clickseg.decoder.DecoderResult;
import clickseg.decoder.ImageContext;
import clickseg.decoder.MaskDecoder;
import clickseg.mask.MaskUpsampler;
import clickseg.prompt.Prompt;

/**
 * The project's Java decoder as a click session sees it: decode, keep one of the four masks (the first click by
 * a {@link FirstMaskChoice}, later clicks by the ONNX single-mask rule), upsample it as the client does.
 * Also remembers what both first-click rules would have picked, so a variant that only changes that pick can
 * be skipped when it would pick the same mask.
 */
final class JavaClickSegmenter implements InteractiveSegmenter {
    private final MaskDecoder decoder;
    private final ImageContext image;
    private final FirstMaskChoice firstChoice;
    private final MaskUpsampler upsampler;
    private final DecoderResult result = new DecoderResult();
    private final float[] fullSize; // (H, W) upsampled logits
    private int firstPickOnnxRule = -1;
    private int firstPickStable = -1;
    private long nanos;
    private int decodes;

    JavaClickSegmenter(MaskDecoder decoder, ImageContext image, FirstMaskChoice firstChoice) {
        this.decoder = decoder;
        this.image = image;
        this.firstChoice = firstChoice;
        this.upsampler = new MaskUpsampler(image.transform());
        this.fullSize = new float[image.transform().originalWidth() * image.transform().originalHeight()];
    }

    @Override
    public void segment(Prompt prompt, float[] maskInput, float[] lowResOut, boolean[] maskOut) {
        long start = System.nanoTime();
        decoder.decode(image, prompt, maskInput, result);
        nanos += System.nanoTime() - start;
        decodes++;
        int chosen = result.selected();
        if (prompt.pointCount() == 1) {
            firstPickOnnxRule = FirstMaskChoice.ONNX_RULE.pick(result);
            firstPickStable = FirstMaskChoice.STABLE_BEST_IOU.pick(result);
            chosen = firstChoice.pick(result);
        }
        result.copyLogits(chosen, lowResOut);
        upsampler.upsample(result.lowResLogits, DecoderResult.offset(chosen), fullSize);
        for (int i = 0; i < maskOut.length; i++) {
            maskOut[i] = fullSize[i] > MaskUpsampler.THRESHOLD;
        }
    }

    /** Whether the two first-click rules picked different masks in the last session. */
    boolean firstClickRulesDisagree() {
        return firstPickOnnxRule != firstPickStable;
    }

    long decodeNanos() {
        return nanos;
    }

    int decodes() {
        return decodes;
    }
}
