package clickseg.everything;

import clickseg.mask.BinaryMask;
import clickseg.mask.RunLengthEncoding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SmallRegionCleanupTest {
    private static final int W = 60;
    private static final int H = 40;
    private static final CropBox WHOLE = new CropBox(0, 0, W, H, 0);

    private static GeneratedMask mask(BinaryMask m) {
        return new GeneratedMask(RunLengthEncoding.counts(m), m.boundingBox(), m.area(), 0.9f, 0.96f, 0, 0, WHOLE);
    }

    private static void fill(BinaryMask m, int x0, int y0, int x1, int y1, boolean inside) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m.set(x, y, inside);
            }
        }
    }

    @Test
    void a_small_hole_is_filled_and_a_small_island_removed_while_large_ones_stay() {
        BinaryMask m = new BinaryMask(W, H);
        fill(m, 10, 10, 30, 30, true);   // 400 px body
        fill(m, 15, 15, 17, 17, false);  // 4 px hole: filled
        fill(m, 20, 20, 27, 27, false);  // 49 px hole: stays
        fill(m, 40, 5, 42, 7, true);     // 4 px island: removed
        GeneratedMask cleaned = new SmallRegionCleanup(W, H, 10).apply(mask(m));

        BinaryMask expected = new BinaryMask(W, H);
        fill(expected, 10, 10, 30, 30, true);
        fill(expected, 20, 20, 27, 27, false);
        BinaryMask actual = RunLengthEncoding.decode(cleaned.counts(), W, H);
        assertArrayEquals(expected.pixels(), actual.pixels());
        assertArrayEquals(new int[] {10, 10, 20, 20}, cleaned.box());
        assertEquals(expected.area(), cleaned.area());
    }

    @Test
    void when_every_island_is_small_the_largest_stays() {
        BinaryMask m = new BinaryMask(W, H);
        fill(m, 5, 5, 8, 8, true);    // 9 px
        fill(m, 30, 30, 32, 32, true); // 4 px
        GeneratedMask cleaned = new SmallRegionCleanup(W, H, 50).apply(mask(m));
        assertArrayEquals(new int[] {5, 5, 3, 3}, cleaned.box());
        assertEquals(9, cleaned.area());
    }

    @Test
    void a_notch_open_to_the_outside_is_not_a_hole_and_a_clean_mask_is_returned_unchanged() {
        BinaryMask m = new BinaryMask(W, H);
        fill(m, 10, 10, 30, 30, true);
        fill(m, 10, 18, 13, 21, false); // 9 px notch touching the mask's left edge: background, not a hole
        GeneratedMask original = mask(m);
        assertSame(original, new SmallRegionCleanup(W, H, 20).apply(original));
    }

    @Test
    void a_small_gap_at_the_image_corner_of_a_full_image_mask_is_a_hole_and_is_filled() {
        // the mask's box is the whole image, so nothing lies outside its window: the corner gap is enclosed
        BinaryMask m = new BinaryMask(W, H);
        fill(m, 0, 0, W, H, true);
        fill(m, 0, 0, 3, 3, false);
        GeneratedMask cleaned = new SmallRegionCleanup(W, H, 10).apply(mask(m));
        assertEquals((long) W * H, cleaned.area());
        assertArrayEquals(new int[] {0, 0, W, H}, cleaned.box());
    }
}
