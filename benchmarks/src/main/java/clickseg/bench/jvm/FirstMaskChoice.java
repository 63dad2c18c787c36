package clickseg.bench.jvm;

import clickseg.decoder.DecoderResult;

/** Which of the decoder's four masks a session keeps after its first click (later clicks always take mask 0). */
enum FirstMaskChoice {
    /** SAM's ONNX single-mask export: the best predicted IoU of masks 1-3 (what the oracle returns). */
    ONNX_RULE,
    /**
     * The best predicted IoU among masks 1-3 whose stability score is at least {@link #MIN_STABILITY} (the
     * threshold of SAM's automatic mask generator); the best predicted IoU of 1-3 when none is that stable.
     */
    STABLE_BEST_IOU;

    static final float MIN_STABILITY = 0.95f;

    int pick(DecoderResult result) {
        if (this == ONNX_RULE) {
            return result.selected();
        }
        int best = -1;
        for (int m = 1; m < DecoderResult.MASKS; m++) {
            if (result.stability[m] >= MIN_STABILITY && (best < 0 || result.iou[m] > result.iou[best])) {
                best = m;
            }
        }
        return best >= 0 ? best : result.bestMultimask();
    }
}
