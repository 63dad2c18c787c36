package clickseg.everything;

/**
 * SAM's calculate_stability_score: how little a mask changes when its logit threshold moves by
 * ±offset, as the IoU of (logits > +offset) and (logits > −offset). The first is a subset of the
 * second, so the IoU is the ratio of their pixel counts.
 */
public final class StabilityScore {
    private StabilityScore() {
    }

    /** @param logits (length) starting at offset; 0 when no pixel exceeds −logitOffset */
    public static float of(float[] logits, int offset, int length, float logitOffset) {
        int intersection = 0;
        int union = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            float v = logits[i];
            intersection += v > logitOffset ? 1 : 0;
            union += v > -logitOffset ? 1 : 0;
        }
        return union == 0 ? 0f : (float) intersection / union;
    }
}
