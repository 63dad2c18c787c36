package clickseg.everything;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clickseg.decoder.DecoderResult;
import clickseg.prompt.CoordinateTransform;
import org.junit.jupiter.api.Test;

class CoverageGuidedGridTest {

    @Test
    void left_to_itself_the_walk_starts_from_eight_by_eight_whatever_the_finest_grid() {
        assertEquals(1, EverythingParameters.coarseToFineLevels(8));
        assertEquals(2, EverythingParameters.coarseToFineLevels(16));
        assertEquals(3, EverythingParameters.coarseToFineLevels(32));
        assertEquals(4, EverythingParameters.coarseToFineLevels(64));
        assertEquals(2, EverythingParameters.coarseToFineLevels(24), "24 → 12 → (6 is below 8)");
        assertEquals(1, EverythingParameters.coarseToFineLevels(12), "halving 12 gives 6: SAM's grid");
        assertEquals(1, EverythingParameters.coarseToFineLevels(15), "odd sizes do not halve");
        assertEquals(1, EverythingParameters.coarseToFineLevels(1));
        assertEquals(EverythingParameters.MAX_GRID_LEVELS, EverythingParameters.coarseToFineLevels(256));
        for (int side : new int[] {16, 32, 64}) {
            assertEquals(EverythingParameters.COARSEST_POINTS_PER_SIDE,
                    new CoverageGuidedGrid(640, 480, side, EverythingParameters.coarseToFineLevels(side)).coarsestPerSide());
        }
    }
    private static final int LOW = DecoderResult.SIZE;

    @Test
    void the_first_level_is_sams_grid_and_with_nothing_found_a_finer_level_spreads_twice_as_many_points() {
        CoverageGuidedGrid grid = new CoverageGuidedGrid(640, 480, 32, 3);
        assertEquals(8, grid.coarsestPerSide());
        assertArrayEquals(PointGrid.points(8, 640, 480), grid.nextLevel());
        float[] fine = PointGrid.points(16, 640, 480);
        float[] second = grid.nextLevel();
        assertEquals(2 * 128, second.length, "no finer level spends more than twice the first level's points");
        for (int k = 0; k < 128; k++) { // every other of the 256 open cells, in raster order: spread over the photo
            assertEquals(fine[2 * 2 * k], second[2 * k]);
            assertEquals(fine[2 * 2 * k + 1], second[2 * k + 1]);
        }
        assertEquals(2 * 128, grid.nextLevel().length);
        assertTrue(grid.done());
        assertEquals(0, grid.nextLevel().length);
        assertEquals(64 + 2 * 128, grid.points());
    }

    @Test
    void once_a_mask_covers_everything_the_finer_levels_add_no_points() {
        CoverageGuidedGrid grid = new CoverageGuidedGrid(600, 450, 32, 3);
        grid.nextLevel();
        float[] logits = new float[4 * LOW * LOW];
        java.util.Arrays.fill(logits, LOW * LOW, 2 * LOW * LOW, 5f); // mask 1 covers the whole frame
        grid.cover(logits, LOW * LOW);
        assertEquals(0, grid.nextLevel().length);
        assertEquals(0, grid.nextLevel().length);
        assertEquals(64, grid.points());
        assertEquals(1.0, grid.coveredShare());
    }

    @Test
    void finer_points_go_only_where_no_mask_covers_the_photo_yet() {
        int width = 800;
        int height = 400;
        CoverageGuidedGrid grid = new CoverageGuidedGrid(width, height, 16, 2);
        assertEquals(64, grid.nextLevel().length / 2);
        // a mask over the left half of the photo, in low-res logits (the photo fills the top of the 1024 frame)
        CoordinateTransform transform = new CoordinateTransform(width, height);
        float[] plane = new float[LOW * LOW];
        java.util.Arrays.fill(plane, -3f);
        int halfX = (int) (transform.toModelX(width / 2.0) / 4);
        for (int y = 0; y < LOW; y++) {
            for (int x = 0; x < halfX; x++) {
                plane[y * LOW + x] = 2f;
            }
        }
        grid.cover(plane, 0);
        float[] next = grid.nextLevel();
        assertEquals(128, next.length / 2, "every open cell: the right half of the 16 × 16 grid is the budget, 128");
        for (int p = 0; p < next.length / 2; p++) {
            assertTrue(next[2 * p] > width / 2.0, "point " + p + " at x " + next[2 * p]);
        }
        assertEquals(0.5, grid.coveredShare(), 1e-9);
    }

    @Test
    void a_grid_that_cannot_halve_is_one_level_and_nonsense_sizes_are_refused() {
        CoverageGuidedGrid odd = new CoverageGuidedGrid(100, 100, 15, 4);
        assertEquals(15, odd.coarsestPerSide());
        assertEquals(225, odd.nextLevel().length / 2);
        assertTrue(odd.done());
        assertThrows(IllegalArgumentException.class, () -> new CoverageGuidedGrid(100, 100, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new CoverageGuidedGrid(100, 100, 8, 0));
    }
}
