package clickseg.decoder;

/**
 * The decoder's output for one prompt: all four 256×256 low-resolution mask logits (index 0 is
 * the single-mask token, 1–3 the multimask tokens), their predicted IoUs and stability scores.
 * Allocate once and pass to {@link MaskDecoder#decode} for every click; it is overwritten.
 */
public final class DecoderResult {
    public static final int MASKS = DecoderWeights.NUM_MASK_TOKENS;
    public static final int SIZE = 256;
    /** Logit offset for the stability score: IoU of (logits > +1) and (logits > -1), as SAM. */
    public static final float STABILITY_OFFSET = 1f;

    public final float[] lowResLogits = new float[MASKS * SIZE * SIZE]; // (4, 256, 256)
    public final float[] iou = new float[MASKS];                        // (4)
    public final float[] stability = new float[MASKS];                  // (4)
    int modelPointCount;   // points the model saw, including box corners or padding
    long multiplyAdds;     // spent by the last decode, counted analytically per path taken

    /**
     * The mask SAM's ONNX export returns in single-mask mode: argmax of IoU + (P − 2.5)·1000 for
     * mask 0, P counting model points including padding. So one click or a box alone takes the
     * best-IoU mask of 1–3, anything more takes mask 0.
     */
    public int selected() {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int m = 0; m < MASKS; m++) {
            float score = iou[m] + (m == 0 ? (modelPointCount - 2.5f) * 1000f : 0f);
            if (score > bestScore) { // first maximum wins, like argmax
                bestScore = score;
                best = m;
            }
        }
        return best;
    }

    /** Multimask mode: the best of masks 1–3 by predicted IoU. */
    public int bestMultimask() {
        int best = 1;
        for (int m = 2; m < MASKS; m++) {
            if (iou[m] > iou[best]) {
                best = m;
            }
        }
        return best;
    }

    /** Offset of mask m in {@link #lowResLogits}. */
    public static int offset(int mask) {
        return mask * SIZE * SIZE;
    }

    public int modelPointCount() {
        return modelPointCount;
    }

    public long multiplyAdds() {
        return multiplyAdds;
    }

    /** Copies mask m's logits (256, 256) into dst, e.g. to feed back as the next mask input. */
    public void copyLogits(int mask, float[] dst) {
        System.arraycopy(lowResLogits, offset(mask), dst, 0, SIZE * SIZE);
    }

    void computeStability() {
        int plane = SIZE * SIZE;
        for (int m = 0; m < MASKS; m++) {
            int intersection = 0;
            int union = 0;
            for (int i = m * plane, end = i + plane; i < end; i++) {
                float v = lowResLogits[i];
                if (v > STABILITY_OFFSET) {
                    intersection++;
                }
                if (v > -STABILITY_OFFSET) {
                    union++;
                }
            }
            stability[m] = union == 0 ? 0f : (float) intersection / union;
        }
    }
}
