package clickseg.everything;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridAndCropsTest {
    @Test
    void the_point_grid_sits_at_the_cell_centres_row_by_row() {
        assertArrayEquals(new float[] {25, 12.5f, 75, 12.5f, 25, 37.5f, 75, 37.5f}, PointGrid.points(2, 100, 50));
        assertArrayEquals(new float[] {50, 25}, PointGrid.points(1, 100, 50));
    }

    @Test
    void crop_layer_one_of_a_640x480_image_matches_sam_s_generate_crop_boxes() {
        // SAM: overlap = int(512/1500 * 480) = 163; crop 402 x 322; x0 in {0, 239}, y0 in {0, 159}
        List<CropBox> boxes = CropBox.layers(640, 480, 1, 512f / 1500f);
        assertEquals(List.of(new CropBox(0, 0, 640, 480, 0), new CropBox(0, 0, 402, 322, 1),
                new CropBox(0, 159, 402, 480, 1), new CropBox(239, 0, 640, 322, 1), new CropBox(239, 159, 640, 480, 1)), boxes);
    }

    @Test
    void box_nms_keeps_the_best_of_overlapping_boxes_and_all_separate_ones() {
        CropBox whole = new CropBox(0, 0, 100, 100, 0);
        GeneratedMask a = new GeneratedMask(new int[] {1}, new int[] {10, 10, 20, 20}, 1, 0.9f, 1, 0, 0, whole);
        GeneratedMask b = new GeneratedMask(new int[] {1}, new int[] {11, 10, 20, 20}, 1, 0.95f, 1, 0, 0, whole);
        GeneratedMask c = new GeneratedMask(new int[] {1}, new int[] {60, 60, 20, 20}, 1, 0.5f, 1, 0, 0, whole);
        List<GeneratedMask> kept = BoxNms.keep(List.of(a, b, c), new float[] {0.9f, 0.95f, 0.5f}, 0.7f);
        assertEquals(List.of(b, c), kept);
    }

    @Test
    void parameters_out_of_range_are_named_and_defaults_pass() {
        assertNull(EverythingParameters.defaults().validate(64));
        EverythingParameters d = EverythingParameters.defaults();
        assertTrue(d.withPointsPerSide(0).validate(64).contains("pointsPerSide"));
        assertTrue(d.withPointsPerSide(65).validate(64).contains("1..64"));
        assertTrue(d.withThresholds(1.5f, 0.9f).validate(64).contains("predIouThreshold"));
        assertTrue(d.withThresholds(0.5f, Float.NaN).validate(64).contains("stabilityThreshold"));
        assertEquals(32 * 32 + 4 * 16 * 16, d.withPointsPerSide(32).withCrops(1, 2).totalPoints());
    }
}
