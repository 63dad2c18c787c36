package clickseg.bench.jvm;

import clickseg.prompt.Prompt;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClickSimulationTest {
    private static final int W = 40;
    private static final int H = 20;

    /** Ground truth: the object is the rectangle x 5..24, y 2..17. */
    private static int[] rectangleObject() {
        int[] labels = new int[W * H];
        fill(labels, 5, 2, 24, 17, 1);
        return labels;
    }

    private static void fill(int[] a, int x0, int y0, int x1, int y1, int value) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                a[y * W + x] = value;
            }
        }
    }

    private static void fill(boolean[] a, int x0, int y0, int x1, int y1, boolean value) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                a[y * W + x] = value;
            }
        }
    }

    private static boolean[] objectOf(int[] labels) {
        boolean[] mask = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            mask[i] = labels[i] == 1;
        }
        return mask;
    }

    @Test
    void the_first_click_is_a_positive_one_at_the_objects_interior_most_pixel() {
        int[] labels = rectangleObject();
        ClickSimulation.Click click = new ClickSimulation(labels, W, H).nextClick(new boolean[W * H]);
        assertEquals(new ClickSimulation.Click(click.x(), click.y(), true), click);
        assertArrayEquals(FirstClick.farthestFromBoundary(labels, W, H), new int[]{click.x(), click.y()});
        // 20 x 16 rectangle: the first row-major pixel 8 away from every side (rows 9-10, columns 12-17)
        assertArrayEquals(new int[]{12, 9}, new int[]{click.x(), click.y()});
    }

    @Test
    void a_deeper_spill_than_miss_gets_a_negative_click_at_the_spills_centre_and_never_the_same_pixel_twice() {
        int[] labels = rectangleObject();
        boolean[] predicted = objectOf(labels);
        fill(predicted, 8, 8, 12, 12, false); // a 5 x 5 miss: 3 pixels deep at (10, 10)
        fill(predicted, 30, 5, 38, 13, true); // a 9 x 9 spill on the background: 5 pixels deep at (34, 9)
        ClickSimulation simulation = new ClickSimulation(labels, W, H);
        assertEquals(new ClickSimulation.Click(34, 9, false), simulation.nextClick(predicted));
        // Same prediction again: the centre is taken, the next deepest spill pixels are 4 deep, first (33, 8).
        assertEquals(new ClickSimulation.Click(33, 8, false), simulation.nextClick(predicted));
    }

    @Test
    void a_deeper_miss_than_spill_gets_a_positive_click_at_the_misses_centre() {
        int[] labels = rectangleObject();
        boolean[] predicted = objectOf(labels);
        fill(predicted, 8, 4, 18, 14, false); // an 11 x 11 miss: 6 pixels deep at (13, 9)
        fill(predicted, 30, 5, 34, 9, true);  // a 5 x 5 spill: 3 pixels deep
        assertEquals(new ClickSimulation.Click(13, 9, true), new ClickSimulation(labels, W, H).nextClick(predicted));
    }

    @Test
    void a_miss_and_a_spill_of_equal_depth_give_a_negative_click_as_in_ritm() {
        int[] labels = rectangleObject();
        boolean[] predicted = objectOf(labels);
        fill(predicted, 8, 8, 12, 12, false); // 5 x 5 miss centred on (10, 10)
        fill(predicted, 30, 5, 34, 9, true);  // 5 x 5 spill centred on (32, 7)
        assertEquals(new ClickSimulation.Click(32, 7, false), new ClickSimulation(labels, W, H).nextClick(predicted));
    }

    @Test
    void the_unknown_band_is_no_error_and_bounds_the_error_regions_like_background() {
        int[] labels = rectangleObject();
        fill(labels, 5, 2, 14, 17, GroundTruthPair.IGNORE); // left half of the object is GrabCut's 128 band
        fill(labels, 25, 2, 29, 17, GroundTruthPair.IGNORE); // and so is a strip of background to its right
        // The remaining object, x 15..24, is 10 wide: its deepest pixels are 5 from the band, not the old centre.
        ClickSimulation.Click first = new ClickSimulation(labels, W, H).nextClick(new boolean[W * H]);
        assertEquals(new ClickSimulation.Click(19, 6, true), first);

        // A prediction that is exact except inside the band leaves nothing to click.
        boolean[] predicted = objectOf(labels);
        fill(predicted, 5, 2, 9, 17, true);   // part of the band covered
        fill(predicted, 25, 2, 29, 17, true); // the background band fully covered
        assertNull(new ClickSimulation(labels, W, H).nextClick(predicted));
    }

    @Test
    void iou_leaves_the_band_out_and_counts_every_other_pixel() {
        int[] labels = rectangleObject(); // 20 x 16 = 320 object pixels
        fill(labels, 5, 2, 14, 17, GroundTruthPair.IGNORE); // 160 of them ignored
        boolean[] predicted = objectOf(labels);
        assertEquals(1.0, ClickSimulation.iou(predicted, labels));
        fill(predicted, 5, 2, 14, 17, true); // covering the band changes nothing
        assertEquals(1.0, ClickSimulation.iou(predicted, labels));
        fill(predicted, 30, 0, 39, 3, true); // 40 background pixels spilled: 160 / 200
        assertEquals(0.8, ClickSimulation.iou(predicted, labels), 1e-12);
        fill(predicted, 15, 2, 24, 9, false); // half the counted object missed: 80 / 200
        assertEquals(0.4, ClickSimulation.iou(predicted, labels), 1e-12);
    }

    @Test
    void no_ground_truth_and_no_prediction_is_a_perfect_match() {
        int[] labels = new int[W * H];
        assertEquals(1.0, ClickSimulation.iou(new boolean[W * H], labels));
        assertNull(new ClickSimulation(labels, W, H).nextClick(new boolean[W * H]));
    }

    /** Reveals two more object rows per click and stamps its low-res output with the click count. */
    private static final class RowRevealingSegmenter implements InteractiveSegmenter {
        final int[] labels;
        final List<Float> maskInputs = new ArrayList<>(); // the stamp each call received, NaN for no mask input

        RowRevealingSegmenter(int[] labels) {
            this.labels = labels;
        }

        @Override
        public void segment(Prompt prompt, float[] maskInput, float[] lowResOut, boolean[] maskOut) {
            maskInputs.add(maskInput == null ? Float.NaN : maskInput[0]);
            java.util.Arrays.fill(lowResOut, prompt.pointCount());
            for (int i = 0; i < maskOut.length; i++) {
                maskOut[i] = labels[i] == 1 && i / W < 2 + 2 * prompt.pointCount();
            }
        }
    }

    @Test
    void a_session_feeds_back_the_previous_logits_and_stops_once_it_is_good_enough() throws Exception {
        int[] labels = rectangleObject(); // rows 2..17: 2 rows per click give IoU 2/16, 4/16, ... 16/16
        RowRevealingSegmenter segmenter = new RowRevealingSegmenter(labels);
        ClickCurve curve = new ClickSimulation(labels, W, H).run(segmenter, true, 12, 3, 0.90);
        // IoU 0.875 after 7 clicks, 1.0 after 8: the session stops there.
        assertEquals(8, curve.clicks().size());
        assertEquals(List.of(Float.NaN, 1f, 2f, 3f, 4f, 5f, 6f, 7f), segmenter.maskInputs);
        assertEquals(2.0 / 16, curve.iouAfter(1), 1e-12);
        assertEquals(6.0 / 16, curve.iouAfter(3), 1e-12);
        assertEquals(1.0, curve.iouAfter(12), 1e-12); // carried forward
        assertEquals(7, curve.clicksToReach(0.85));
        assertEquals(8, curve.clicksToReach(0.90));
        assertTrue(curve.clicks().stream().allMatch(ClickSimulation.Click::positive));

        RowRevealingSegmenter withoutFeedback = new RowRevealingSegmenter(labels);
        new ClickSimulation(labels, W, H).run(withoutFeedback, false, 12, 3, 0.90);
        assertTrue(withoutFeedback.maskInputs.stream().allMatch(f -> f.isNaN()));
    }

    @Test
    void a_good_first_mask_still_gets_the_minimum_clicks_and_a_perfect_one_stops_at_once() throws Exception {
        int[] labels = rectangleObject();
        // 1 of 320 object pixels missed: IoU 0.997 from the first click, but 5 clicks are needed for mIoU@5.
        InteractiveSegmenter almost = (prompt, maskInput, lowResOut, maskOut) -> {
            boolean[] object = objectOf(labels);
            object[10 * W + 10 + prompt.pointCount()] = false;
            System.arraycopy(object, 0, maskOut, 0, maskOut.length);
        };
        ClickCurve curve = new ClickSimulation(labels, W, H).run(almost, true, 20, 5, 0.90);
        assertEquals(5, curve.clicks().size());
        assertEquals(1, curve.clicksToReach(0.90));

        InteractiveSegmenter perfect = (prompt, maskInput, lowResOut, maskOut) ->
                System.arraycopy(objectOf(labels), 0, maskOut, 0, maskOut.length);
        ClickCurve done = new ClickSimulation(labels, W, H).run(perfect, true, 20, 5, 0.90);
        assertEquals(1, done.clicks().size()); // nothing left to click after the first
        assertEquals(1.0, done.iouAfter(5));
    }

    @Test
    void a_session_that_never_gets_there_places_distinct_clicks_up_to_the_cap_and_counts_the_cap_as_noc()
            throws Exception {
        int[] labels = rectangleObject();
        InteractiveSegmenter useless = (prompt, maskInput, lowResOut, maskOut) -> java.util.Arrays.fill(maskOut, false);
        ClickCurve curve = new ClickSimulation(labels, W, H).run(useless, true, 20, 5, 0.90);
        assertEquals(20, curve.clicks().size());
        assertEquals(20, new HashSet<>(curve.clicks()).size());
        assertEquals(20, curve.clicksToReach(0.85));
        assertEquals(0.0, curve.iouAfter(5));
    }

    @Test
    void noc_is_the_first_click_at_or_above_the_threshold() {
        ClickCurve curve = new ClickCurve(new double[]{0.5, 0.85, 0.89, 0.90, 0.7, 0.95}, List.of());
        assertEquals(2, curve.clicksToReach(0.85));
        assertEquals(4, curve.clicksToReach(0.90));
        assertEquals(6, curve.clicksToReach(0.95));
        assertEquals(6, curve.clicksToReach(0.99)); // never: the cap
        assertEquals(1, curve.clicksToReach(0.5));
        assertTrue(Double.isNaN(curve.iouAfter(7)));
    }
}
