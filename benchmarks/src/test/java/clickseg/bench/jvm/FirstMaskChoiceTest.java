package clickseg.bench.jvm;

import clickseg.decoder.DecoderResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FirstMaskChoiceTest {

    private static DecoderResult scored(float[] iou, float[] stability) {
        DecoderResult r = new DecoderResult();
        System.arraycopy(iou, 0, r.iou, 0, 4);
        System.arraycopy(stability, 0, r.stability, 0, 4);
        return r;
    }

    @Test
    void the_stable_rule_takes_the_best_iou_among_stable_multimask_outputs_never_mask_0() {
        DecoderResult r = scored(new float[]{0.99f, 0.90f, 0.97f, 0.85f}, new float[]{1f, 0.96f, 0.80f, 0.99f});
        assertEquals(1, FirstMaskChoice.STABLE_BEST_IOU.pick(r)); // 2 has the best IoU but is unstable
    }

    @Test
    void the_stable_rule_falls_back_to_the_best_iou_when_no_mask_is_stable() {
        DecoderResult r = scored(new float[]{0.99f, 0.90f, 0.97f, 0.85f}, new float[]{1f, 0.5f, 0.94f, 0.9f});
        assertEquals(2, FirstMaskChoice.STABLE_BEST_IOU.pick(r));
    }
}
