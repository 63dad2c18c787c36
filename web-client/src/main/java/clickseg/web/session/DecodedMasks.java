package clickseg.web.session;

/**
 * What the decoder answered for one prompt: four low-resolution mask logits (index 0 the
 * single-mask token, 1-3 the multimask candidates), their predicted IoUs, and which one the
 * user sees (initially the decoder's pick, changeable among the candidates).
 */
public final class DecodedMasks {
    public static final int MASKS = 4;
    public static final int LOW_RES_AREA = 256 * 256;

    public final float[] lowResLogits; // (4, 256, 256)
    public final float[] iou; // (4) predicted IoU
    public final float[] stability; // (4) IoU of (logits > 1) and (logits > -1)
    private int chosen;

    public DecodedMasks(float[] lowResLogits, float[] iou, float[] stability, int chosen) {
        this.lowResLogits = lowResLogits;
        this.iou = iou;
        this.stability = stability;
        this.chosen = chosen;
    }

    public int chosen() {
        return chosen;
    }

    public void choose(int maskIndex) {
        if (maskIndex < 0 || maskIndex >= MASKS) {
            throw new IllegalArgumentException("mask index " + maskIndex + " is not in 0..3");
        }
        chosen = maskIndex;
    }

    /** Offset of the chosen mask in {@link #lowResLogits}. */
    public int chosenOffset() {
        return chosen * LOW_RES_AREA;
    }

    /** The chosen mask's logits (256, 256), copied: the next click feeds them back in. */
    public float[] chosenLogits() {
        float[] m = new float[LOW_RES_AREA];
        System.arraycopy(lowResLogits, chosenOffset(), m, 0, LOW_RES_AREA);
        return m;
    }
}
