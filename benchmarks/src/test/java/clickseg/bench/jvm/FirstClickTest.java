package clickseg.bench.jvm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FirstClickTest {

    @Test
    void the_click_lands_at_the_centre_of_a_square() {
        int w = 20;
        int h = 15;
        int[] labels = new int[w * h];
        for (int y = 2; y <= 12; y++) {
            for (int x = 5; x <= 15; x++) {
                labels[y * w + x] = 1; // 11 x 11 square centred on (10, 7): the only pixel 6 from its edge
            }
        }
        assertArrayEquals(new int[]{10, 7}, FirstClick.farthestFromBoundary(labels, w, h));
    }

    @Test
    void the_image_border_counts_as_boundary() {
        int w = 30;
        int h = 10;
        int[] labels = new int[w * h];
        java.util.Arrays.fill(labels, 1); // everything is object: the farthest point from the border wins
        // Distance to the padded border is min(x + 1, w - x, y + 1, h - y): 5 on rows 4-5, columns 4-25;
        // ties go to the first pixel in row-major order.
        assertArrayEquals(new int[]{4, 4}, FirstClick.farthestFromBoundary(labels, w, h));
    }

    @Test
    void the_larger_of_two_blobs_holds_the_click_and_an_empty_mask_has_none() {
        int w = 40;
        int h = 20;
        int[] labels = new int[w * h];
        for (int y = 1; y <= 3; y++) {
            for (int x = 1; x <= 3; x++) {
                labels[y * w + x] = 1; // small 3 x 3 blob
            }
        }
        for (int y = 5; y <= 15; y++) {
            for (int x = 20; x <= 30; x++) {
                labels[y * w + x] = 1; // large 11 x 11 blob centred on (25, 10)
            }
        }
        assertArrayEquals(new int[]{25, 10}, FirstClick.farthestFromBoundary(labels, w, h));
        assertNull(FirstClick.farthestFromBoundary(new int[w * h], w, h));
    }
}
