package clickseg.mask;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstClickPickTest {
    private static final int N = FirstClickPick.LOW_RES;
    private static final int PLANE = N * N;
    /** The click in the 1024 model frame: low-resolution cell (100, 100). */
    private static final float CLICK = 100 * 4 + 2;

    private static void square(float[] logits, int mask, int x0, int y0, int x1, int y1) {
        for (int i = mask * PLANE; i < (mask + 1) * PLANE; i++) {
            logits[i] = -5f;
        }
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                logits[mask * PLANE + y * N + x] = 5f;
            }
        }
    }

    /**
     * Mask 1: a 3×3 tile the click sits at the corner of; mask 2: a 41×41 square centred on the click;
     * mask 3: a large square whose edge the click sits on. Mask 3 has the best predicted IoU.
     */
    private static float[] partObjectWhole() {
        float[] logits = new float[4 * PLANE];
        square(logits, 0, 0, 0, -1, -1);
        square(logits, 1, 100, 100, 102, 102);
        square(logits, 2, 80, 80, 120, 120);
        square(logits, 3, 100, 0, 255, 255);
        return logits;
    }

    @Test
    void sam_takes_the_best_predicted_iou_even_when_the_click_is_on_that_masks_edge() {
        float[] iou = {0.5f, 0.90f, 0.88f, 0.95f};
        float[] stability = {1f, 1f, 1f, 1f};
        assertEquals(3, FirstClickPick.SAM.pick(partObjectWhole(), iou, stability, CLICK, CLICK, 1024, 1024));
    }

    @Test
    void central_takes_the_mask_the_click_sits_in_the_middle_of() {
        float[] iou = {0.5f, 0.90f, 0.88f, 0.95f};
        float[] stability = {1f, 1f, 1f, 1f};
        assertEquals(2, FirstClickPick.CENTRAL.pick(partObjectWhole(), iou, stability, CLICK, CLICK, 1024, 1024));
    }

    @Test
    void central_weighs_stability_so_an_unstable_central_mask_loses() {
        float[] iou = {0.5f, 0.90f, 0.88f, 0.95f};
        float[] stability = {1f, 1f, 0.3f, 1f};
        int pick = FirstClickPick.CENTRAL.pick(partObjectWhole(), iou, stability, CLICK, CLICK, 1024, 1024);
        assertTrue(pick != 2, "picked " + pick);
    }

    @Test
    void centrality_is_near_one_at_the_middle_of_a_square_and_zero_outside_the_mask() {
        float[] logits = partObjectWhole();
        // 21 cells to the edge of a 41x41 square; a disc of its area has a radius of 23.1 cells.
        assertEquals(21 / Math.sqrt(41 * 41 / Math.PI), FirstClickPick.centrality(logits, 2 * PLANE, CLICK, CLICK, 1024,
                1024), 1e-9);
        assertEquals(0.0, FirstClickPick.centrality(logits, 1 * PLANE, 4 * 50, 4 * 50, 1024, 1024), 1e-9);
        double edge = FirstClickPick.centrality(logits, 3 * PLANE, CLICK, CLICK, 1024, 1024);
        assertTrue(edge < 0.02, "on the edge " + edge);
    }

    @Test
    void the_padding_below_the_image_counts_as_outside_the_mask() {
        float[] logits = new float[4 * PLANE];
        java.util.Arrays.fill(logits, 5f); // the decoder may say "inside" over the padding; the image ends at row 50
        double inImage = FirstClickPick.centrality(logits, PLANE, 4 * 25 + 2, 4 * 48 + 2, 1024, 200);
        assertTrue(inImage < 0.05, "two cells above the image's bottom edge: " + inImage);
    }
}
